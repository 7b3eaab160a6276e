import http from 'node:http';
import type { Logger } from '../logger.ts';

/** A route's handler; a throw is logged and answered 500, and never stops the process. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface HttpServerOptions {
  /** How long a client may take to send its headers, and its whole request (defaults: 10 s and 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Loa's one HTTP server: the webhook (when Telegram delivers updates that way), `/healthz` and `/metrics`, on
 * `PORT` with a webhook or `HTTP_PORT` when polling. Whatever arrives, however malformed, is answered with a
 * plain 4xx and never stops the process: the path is compared as text (no URL parsing of what a stranger sends),
 * an unknown route is a 404 before any body is read, and slow or idle connections time out.
 */
export class HttpServer {
  private readonly server: http.Server;
  private readonly routes = new Map<string, Handler>();

  constructor(
    private readonly log: Logger,
    options: HttpServerOptions = {},
  ) {
    this.server = http.createServer(
      {
        // Explicit, not Node's defaults: a client gets 10 s to send its headers and 30 s for the whole request.
        headersTimeout: options.headersTimeoutMs ?? 10_000,
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        keepAliveTimeout: 65_000,
      },
      (req, res) => void this.onRequest(req, res),
    );
    // Telegram opens at most 100 connections (setWebhook's max_connections); a flood of others is cut off.
    this.server.maxConnections = 256;
    // A request line or headers Node cannot parse: a plain 400 and the connection closed.
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Serves `method path` (the path exactly, any query ignored) with `handler`. */
  route(method: 'GET' | 'POST', path: string, handler: Handler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve((this.server.address() as { port: number }).port));
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const handler = this.routes.get(`${req.method} ${path}`);
    if (!handler) return refuse(req, res, 404);
    try {
      await handler(req, res);
    } catch (err) {
      this.log.error({ err, path }, 'http request failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  }

  /** Stops accepting requests, lets `drain` finish what is in hand (the webhook's updates), then closes. */
  async stop(drain: () => Promise<void> = async () => undefined): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await drain();
    this.server.closeAllConnections();
    await closed;
  }
}

/** A plain status; the body is not read: the connection is closed after the answer rather than drained for a stranger. */
export function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number): void {
  res.writeHead(status, { connection: 'close' }).end();
  req.resume();
}

/**
 * The body up to `limit` bytes, read with events, not for-await: iterating a request destroys it at the end, and
 * with it the kept-alive connection Telegram would reuse for the next update. Undefined when it was refused (413)
 * or cut off.
 */
export function readBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limit: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
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
