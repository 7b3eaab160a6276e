import http from 'node:http';
import https from 'node:https';
import { Telegram, TelegramError } from 'telegraf';
import type { ApiCaller, CallOptions } from './sender.ts';

/** Calls that upload a file go through telegraf's multipart encoder; every other call is plain JSON. */
const UPLOADS = new Set([
  'sendDocument',
  'sendPhoto',
  'sendMediaGroup',
  'sendVideo',
  'sendAudio',
  'sendVoice',
  'sendAnimation',
  'sendSticker',
]);

type Answer = { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: object };

/**
 * The raw Bot API client, pointed at TELEGRAM_API_ROOT. Plain JSON calls (nearly all: answers to button
 * presses, reactions, messages, getUpdates) go straight over Node's http(s) with kept-alive connections,
 * which costs about half the CPU of the node-fetch client inside telegraf (and far less memory than a second
 * HTTP client library: +4 MB, against +22 MB measured for undici); uploads use telegraf's. Either way a
 * refusal is a TelegramError carrying the Bot API's error_code and parameters, and no error names the token.
 */
export function createApi(token: string, apiRoot: string): ApiCaller {
  const telegram = new Telegram(token, { apiRoot, webhookReply: false });
  const root = new URL(apiRoot);
  const base = root.pathname.replace(/\/+$/, '');
  const transport = root.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 64 });
  // telegraf drops its keep-alive agent for an http:// root; give its uploads the same connections.
  (telegram as unknown as { options: { agent?: http.Agent } }).options.agent = agent;
  const json = (method: string, payload: object, options: CallOptions = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const { signal, timeoutMs } = options;
      const body = Buffer.from(JSON.stringify(payload));
      // A plain timer, not AbortSignal.timeout: a signal and its listeners cost more than the rest of a small call.
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => req.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { name: 'AbortError' })),
              timeoutMs,
            );
      // Node's errors here name the host and port, never the path (where the token is).
      const fail = (err: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(
          Object.assign(new Error(`${method} failed: ${err.message}`), {
            name: err.name === 'AbortError' ? 'AbortError' : 'NetworkError',
            errno: err.code,
          }),
        );
      };
      const req = transport.request(
        {
          host: root.hostname,
          port: root.port || undefined,
          method: 'POST',
          path: `${base}/bot${token}/${method}`,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
          agent,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            let data: Answer;
            try {
              data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer;
            } catch {
              return reject(
                Object.assign(new Error(`${method}: the Bot API answered ${res.statusCode} without JSON`), {
                  name: 'NetworkError',
                }),
              );
            }
            if (data.ok) return resolve(data.result);
            reject(
              new TelegramError(
                {
                  error_code: data.error_code ?? res.statusCode,
                  description: data.description ?? '',
                  ...(data.parameters ? { parameters: data.parameters } : {}),
                } as never,
                { method, payload },
              ),
            );
          });
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  const upload = (method: string, payload: object, { signal, timeoutMs }: CallOptions = {}) => {
    const signals = [signal, timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)].filter(
      (x): x is AbortSignal => x !== undefined,
    );
    // telegraf types its signal with the abort-controller polyfill; Node's AbortSignal is what it gets at run time.
    return telegram.callApi(
      method as 'getMe',
      payload as never,
      (signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}) as never,
    );
  };
  return {
    callApi: (method, payload, options) =>
      UPLOADS.has(method) ? upload(method, payload, options) : json(method, payload, options),
  };
}
