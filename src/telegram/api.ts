import http from 'node:http';
import { Telegram } from 'telegraf';
import type { ApiCaller } from './sender.ts';

/**
 * The raw Bot API client: telegraf's, pointed at TELEGRAM_API_ROOT. Its errors are TelegramError with the
 * Bot API's error_code and parameters, and it already strips the token from network errors' messages.
 */
export function createApi(token: string, apiRoot: string): ApiCaller {
  const telegram = new Telegram(token, { apiRoot, webhookReply: false });
  // telegraf drops its keep-alive agent for an http:// root (a self-hosted Bot API server, or the tests'
  // fake), and node-fetch then asks for a new connection per call; keep connections alive there too.
  if (apiRoot.startsWith('http://')) (telegram as unknown as { options: { agent?: http.Agent } }).options.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    // telegraf types its signal with the abort-controller polyfill; Node's AbortSignal is what it gets at run time.
    callApi: (method, payload, options) => telegram.callApi(method as 'getMe', payload as never, options as never),
  };
}
