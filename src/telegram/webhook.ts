import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'telegraf/types';
import type { Logger } from '../logger.ts';
import type { ChatLanes } from './lanes.ts';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookOptions {
  path: string;
  secret: string;
  /** Updates taken and not yet handled, at most: past it a request is answered 503 and Telegram retries it. */
  maxInHand: number;
  /** How long a client may take to send its headers, and its whole request (defaults: 10 s and 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * The webhook server. Whatever arrives, however malformed, is answered with a plain 4xx and never stops the
 * process: a request without the secret header is refused before its body is read, a body over 1 MB or that is
 * not an update is refused, and slow or idle connections time out. An update goes into its chat's lane and is
 * answered 200 only once it is handled (and recorded), so Telegram redelivers whatever a crash cut short.
 */
export class WebhookServer {
  private readonly server: http.Server;
  private readonly secret: Buffer;

  constructor(
    private readonly options: WebhookOptions,
    private readonly lanes: ChatLanes,
    private readonly log: Logger,
    private readonly markHandled: (updateIds: number[]) => Promise<void>,
  ) {
    this.secret = Buffer.from(options.secret);
    this.server = http.createServer(
      {
        // Explicit, not Node's defaults: a client gets 10 s to send its headers and 30 s for the whole request.
        headersTimeout: options.headersTimeoutMs ?? 10_000,
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        keepAliveTimeout: 65_000,
      },
      (req, res) =>
        void this.onRequest(req, res).catch((err: unknown) => {
          this.log.error({ err }, 'webhook request failed');
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        }),
    );
    // Telegram opens at most 100 connections (setWebhook's max_connections); a flood of others is cut off.
    this.server.maxConnections = 256;
    // A request line or headers Node cannot parse: a plain 400 and the connection closed.
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  listen(port: number, host: string): Promise<number> {
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
    // The path as sent, without its query, compared as text: no URL parsing of whatever a stranger sends.
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== this.options.path) return refuse(req, res, 404);
    if (!this.secretMatches(req.headers['x-telegram-bot-api-secret-token'])) return refuse(req, res, 401);
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) return refuse(req, res, 413);
    if (this.lanes.pending >= this.options.maxInHand) return refuse(req, res, 503);
    const body = await readBody(req, res);
    if (body === undefined) return;
    let update: Update;
    try {
      update = JSON.parse(body.toString('utf8')) as Update;
      if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id))
        throw new Error('not an update');
    } catch {
      return void res.writeHead(400).end();
    }
    try {
      await this.lanes.run(update);
      await this.markHandled([update.update_id]);
    } catch (err) {
      // Not handled (a failed commit), or not recorded: Telegram delivers it again.
      this.log.error({ err, updateId: update.update_id }, 'webhook update not handled');
      return void res.writeHead(500).end();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }

  /** Stops accepting requests and waits for the updates in hand. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await this.lanes.idle();
    this.server.closeAllConnections();
    await closed;
  }
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number): void {
  // The body is not read: the connection is closed after the answer rather than drained for a stranger.
  res.writeHead(status, { connection: 'close' }).end();
  req.resume();
}

/**
 * The body, read with events, not for-await: iterating a request destroys it at the end, and with it the
 * kept-alive connection Telegram would reuse for the next update. Undefined when it was refused or cut off.
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) {
        if (!res.headersSent) res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined));
  });
}
