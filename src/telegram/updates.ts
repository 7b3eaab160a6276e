import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'telegraf/types';
import type { Logger } from '../logger.ts';
import { classify } from './errors.ts';
import type { ApiCaller } from './sender.ts';

// Where updates come from: long polling, or a webhook server. Both hand each update to `handle`
// (which has its own error boundary) and, on stop, let the updates in flight finish.

export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
  'chat_member',
] as const;

export type UpdateHandler = (update: Update) => Promise<void>;

export class FatalPollingError extends Error {
  override name = 'FatalPollingError';
}

/**
 * Long polling with an offset confirmed only after a batch was handled, so a crash means redelivery,
 * never loss. Every call has a timeout (poll time plus a margin), so a hung connection is abandoned.
 * A 409 means another process polls with this token: that is an operator's mistake to fix, not a fight
 * to win, so polling ends with a FatalPollingError (as does a 401, a revoked token).
 */
export class Poller {
  private offset = 0;
  private readonly abort = new AbortController();
  private loopDone: Promise<void> | undefined;

  constructor(
    private readonly api: ApiCaller,
    private readonly handle: UpdateHandler,
    private readonly log: Logger,
    private readonly pollTimeoutSeconds: number,
    private readonly callTimeoutMs: number,
    /** Called once a batch was handled, before its offset is confirmed. */
    private readonly afterBatch: (updates: Update[]) => Promise<void> = async () => undefined,
  ) {}

  /** Starts polling; the promise settles when polling stops (rejects on a fatal error). */
  start(): Promise<void> {
    this.loopDone = this.loop();
    return this.loopDone;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      let updates: Update[];
      try {
        const options = { signal: this.abort.signal, timeoutMs: this.pollTimeoutSeconds * 1000 + this.callTimeoutMs };
        updates = (await this.api.callApi(
          'getUpdates',
          { offset: this.offset, timeout: this.pollTimeoutSeconds, allowed_updates: ALLOWED_UPDATES },
          options,
        )) as Update[];
        failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const failure = classify(err);
        if (failure.kind === 'conflict')
          throw new FatalPollingError(
            'another bot instance is polling with this token (409 Conflict); stop the other one, or use a webhook for several replicas',
          );
        if (failure.kind === 'unauthorized')
          throw new FatalPollingError('Telegram refused the bot token (401 Unauthorized); check BOT_TOKEN');
        failures += 1;
        const waitMs =
          failure.kind === 'rate_limited'
            ? failure.retryAfterSeconds * 1000
            : Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.log.warn({ failure: failure.kind, waitMs, err: (err as Error).message }, 'getUpdates failed; retrying');
        await sleep(waitMs, this.abort.signal);
        continue;
      }
      if (updates.length === 0) continue;
      await handleInOrder(updates, this.handle);
      await this.afterBatch(updates).catch((err: unknown) => this.log.error({ err }, 'after-batch step failed'));
      this.offset = updates[updates.length - 1]!.update_id + 1;
    }
    // Confirm what was handled, so a restart does not see it again.
    if (this.offset > 0) {
      await this.api
        .callApi(
          'getUpdates',
          { offset: this.offset, timeout: 0, limit: 1, allowed_updates: ALLOWED_UPDATES },
          { timeoutMs: this.callTimeoutMs },
        )
        .catch(() => undefined);
    }
  }

  /** Stops polling and waits for the updates being handled to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loopDone?.catch(() => undefined);
  }
}

/** The chat an update belongs to, so one chat's updates are handled in the order they were sent. */
function chatKey(update: Update): string {
  type Carrier = { chat?: { id: number }; from?: { id: number }; message?: { chat: { id: number } } };
  const u = update as unknown as Record<string, Carrier | undefined>;
  const chat =
    u.message?.chat ??
    u.edited_message?.chat ??
    u.callback_query?.message?.chat ??
    u.my_chat_member?.chat ??
    u.chat_member?.chat;
  if (chat?.id !== undefined) return `c${chat.id}`;
  const from = u.callback_query?.from ?? u.message?.from;
  return from?.id !== undefined ? `u${from.id}` : `x${update.update_id}`;
}

/** Handles a batch: each chat's updates one after another (a /post before the /push that needs it), chats in parallel. */
export async function handleInOrder(updates: Update[], handle: UpdateHandler): Promise<void> {
  const byChat = new Map<string, Update[]>();
  for (const u of updates) {
    const key = chatKey(u);
    const list = byChat.get(key);
    if (list) list.push(u);
    else byChat.set(key, [u]);
  }
  await Promise.all(
    [...byChat.values()].map(async (list) => {
      for (const u of list) await handle(u);
    }),
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * The webhook server: refuses any request without the secret header (before reading its body) and any
 * body over 1 MB, answers 200 only once the update was handled, so Telegram redelivers on a crash.
 */
export class WebhookServer {
  private readonly server: http.Server;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly secret: Buffer;

  constructor(
    private readonly path: string,
    secret: string,
    private readonly handle: UpdateHandler,
    private readonly log: Logger,
    private readonly afterUpdate: (update: Update) => Promise<void> = async () => undefined,
  ) {
    this.secret = Buffer.from(secret);
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
  }

  listen(port: number, host = '0.0.0.0'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve((this.server.address() as { port: number }).port));
    });
  }

  private secretMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const given = Buffer.from(header);
    return given.length === this.secret.length && timingSafeEqual(given, this.secret);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'POST' || url.pathname !== this.path) return void res.writeHead(404).end();
    if (!this.secretMatches(req.headers['x-telegram-bot-api-secret-token'])) {
      req.resume();
      return void res.writeHead(401).end();
    }
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) {
      req.resume();
      return void res.writeHead(413).end();
    }
    // Read with events, not for-await: iterating a request destroys it at the end, and with it the
    // kept-alive connection Telegram would reuse for the next update.
    const body = await new Promise<Buffer | undefined>((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > WEBHOOK_BODY_LIMIT) {
          res.writeHead(413, { connection: 'close' }).end();
          req.destroy();
          resolve(undefined);
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', () => resolve(undefined));
    });
    if (body === undefined) return;
    let update: Update;
    try {
      update = JSON.parse(body.toString('utf8')) as Update;
      if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number')
        throw new Error('not an update');
    } catch {
      return void res.writeHead(400).end();
    }
    const work = this.handle(update);
    this.inFlight.add(work);
    try {
      await work;
      await this.afterUpdate(update);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } catch (err) {
      this.log.error({ err, updateId: update.update_id }, 'webhook update failed');
      res.writeHead(500).end();
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** Stops accepting requests and waits for the updates in flight. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await Promise.allSettled([...this.inFlight]);
    this.server.closeAllConnections();
    await closed;
  }
}
