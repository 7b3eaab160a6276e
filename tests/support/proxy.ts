import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small round-robin reverse proxy, as a load balancer in front of several bot replicas: each request
 * goes to the next backend; a backend that refuses the connection is skipped (nginx's proxy_next_upstream
 * error); one that fails after the request was sent gets a 502, as a POST is not retried by a proxy.
 */
export class RoundRobinProxy {
  private readonly server: http.Server;
  private next = 0;
  readonly served = new Map<number, number>();
  url = '';

  constructor(private readonly backends: number[]) {
    const agent = new http.Agent({ keepAlive: true });
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.forward(req, Buffer.concat(chunks), res, agent, 0));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
    agent: http.Agent,
    tried: number,
  ): void {
    if (tried >= this.backends.length) return void res.writeHead(502).end();
    const port = this.backends[this.next++ % this.backends.length]!;
    let sent = false;
    const out = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        this.served.set(port, (this.served.get(port) ?? 0) + 1);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('socket', (socket) => (socket.connecting ? socket.once('connect', () => (sent = true)) : (sent = true)));
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (!sent && err.code === 'ECONNREFUSED') return this.forward(req, body, res, agent, tried + 1);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    out.end(body);
  }
}
