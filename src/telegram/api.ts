import { Telegram, TelegramError } from 'telegraf';
import { Pool } from 'undici';
import type { ApiCaller } from './sender.ts';

/** Calls that upload a file go through telegraf's multipart encoder; every other call is plain JSON. */
const UPLOADS = new Set(['sendDocument', 'sendPhoto', 'sendMediaGroup', 'sendVideo', 'sendAudio', 'sendVoice', 'sendAnimation', 'sendSticker']);

/**
 * The raw Bot API client, pointed at TELEGRAM_API_ROOT. Plain JSON calls (nearly all: answers to button
 * presses, reactions, messages, getUpdates) go over a pool of kept-alive connections (undici), which costs
 * about half the CPU of the node-fetch client inside telegraf; uploads use telegraf's. Either way a refusal
 * is a TelegramError carrying the Bot API's error_code and parameters, and no error names the token.
 */
export function createApi(token: string, apiRoot: string): ApiCaller {
  const telegram = new Telegram(token, { apiRoot, webhookReply: false });
  const root = new URL(apiRoot);
  const base = root.pathname.replace(/\/+$/, '');
  const pool = new Pool(root.origin, { connections: 64, keepAliveTimeout: 30_000 });
  const json = async (method: string, payload: object, signal?: AbortSignal): Promise<unknown> => {
    let res;
    try {
      res = await pool.request({ method: 'POST', path: `${base}/bot${token}/${method}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), ...(signal ? { signal } : {}) });
    } catch (err) {
      // undici's errors carry no URL; keep only the kind and message, never the request.
      const e = err as Error & { code?: string };
      throw Object.assign(new Error(`${method} failed: ${e.message}`), { name: e.name === 'AbortError' ? 'AbortError' : 'NetworkError', errno: e.code });
    }
    const text = await res.body.text();
    let data: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: object };
    try {
      data = JSON.parse(text);
    } catch {
      throw Object.assign(new Error(`${method}: the Bot API answered ${res.statusCode} without JSON`), { name: 'NetworkError' });
    }
    if (!data.ok) throw new TelegramError({ error_code: data.error_code ?? res.statusCode, description: data.description ?? '', ...(data.parameters ? { parameters: data.parameters } : {}) } as never, { method, payload });
    return data.result;
  };
  return {
    callApi: (method, payload, options) =>
      // telegraf types its signal with the abort-controller polyfill; Node's AbortSignal is what it gets at run time.
      UPLOADS.has(method) ? telegram.callApi(method as 'getMe', payload as never, options as never) : json(method, payload, options?.signal),
  };
}
