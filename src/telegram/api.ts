import { Telegram } from 'telegraf';
import type { ApiCaller } from './sender.ts';

/**
 * The raw Bot API client: telegraf's, pointed at TELEGRAM_API_ROOT. Its errors are TelegramError with the
 * Bot API's error_code and parameters, and it already strips the token from network errors' messages.
 */
export function createApi(token: string, apiRoot: string): ApiCaller {
  const telegram = new Telegram(token, { apiRoot, webhookReply: false });
  return {
    // telegraf types its signal with the abort-controller polyfill; Node's AbortSignal is what it gets at run time.
    callApi: (method, payload, options) => telegram.callApi(method as 'getMe', payload as never, options as never),
  };
}
