import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { createLogger } from '../../src/logger.ts';
import { ChatLanes } from '../../src/telegram/lanes.ts';
import { HttpServer } from '../../src/http/server.ts';
import { webhookHandler } from '../../src/telegram/webhook.ts';

// The webhook server against what a stranger can send, over raw sockets: every request gets a plain 4xx (or the
// connection is closed), nothing stops the server, and real updates are handled all along.

const SECRET = 'a'.repeat(20) + '_Secret-0123456789';
const quietLog = () => createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));

/** Sends raw bytes; resolves with what came back until the server closed or went quiet. */
function raw(port: number, bytes: string, quietMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (d) => {
      got += String(d);
      clearTimeout(timer);
      timer = setTimeout(done, 100);
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes);
    timer = setTimeout(done, quietMs);
  });
}

const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

describe('the webhook server against malformed requests', () => {
  const handled: number[] = [];
  let server: HttpServer;
  let port: number;
  before(async () => {
    const lanes = new ChatLanes(async (u: Update) => void handled.push(u.update_id), quietLog());
    server = new HttpServer(quietLog(), { headersTimeoutMs: 1000, requestTimeoutMs: 1500 });
    server.route(
      'POST',
      '/hook',
      webhookHandler({ secret: SECRET, maxInHand: 100 }, lanes, quietLog(), async () => undefined),
    );
    server.route('GET', '/healthz', (_req, res) => void res.writeHead(200).end('ok'));
    server.route('GET', '/broken', () => {
      throw new Error('a handler’s own bug');
    });
    port = await server.listen(0, '127.0.0.1');
  });
  after(() => server.stop());

  const update = (id: number) =>
    JSON.stringify({ update_id: id, message: { message_id: 1, date: 0, chat: { id: -1, type: 'group' }, text: 'hi' } });
  const post = (path: string, body: string, headers = `X-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n`) =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\n${headers}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const works = async (id: number) => {
    assert.equal(status(await raw(port, post('/hook', update(id)))), 200, 'a real update is still handled');
    assert.ok(handled.includes(id));
  };

  it('answers odd request lines and paths with a plain 4xx, and goes on', async () => {
    const answers = [
      await raw(port, 'GET // HTTP/1.1\r\nHost: x\r\n\r\n'),
      await raw(port, 'GET /%zz%%/../\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'),
      await raw(port, post('http://evil.example/hook', update(1))),
      await raw(port, post('/hook?x=%zz', update(2), 'X-Telegram-Bot-Api-Secret-Token: wrong\r\n')),
      await raw(port, 'BREW /hook HTCPCP/1.0\r\n\r\n'),
      await raw(port, 'this is not http at all\r\n\r\n'),
      await raw(port, `DELETE /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n\r\n`),
    ];
    for (const a of answers) assert.ok(status(a) >= 400 && status(a) < 500, `a 4xx, got: ${a.split('\r\n')[0]}`);
    assert.deepEqual(handled, []);
    assert.equal(status(await raw(port, 'GET /healthz?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n')), 200, 'other routes serve');
    assert.equal(
      status(await raw(port, 'GET /broken HTTP/1.1\r\nHost: x\r\n\r\n')),
      500,
      'a handler that throws: a 500',
    );
    await works(10);
  });

  it('refuses bodies that are not updates, and cuts off a truncated or slow one', async () => {
    for (const body of ['{not json', '[]', 'null', '{"update_id":"1"}', '{"update_id":1.5}', '\u00ff\u00fe'])
      assert.equal(status(await raw(port, post('/hook', body))), 400, `refused: ${body}`);
    // Says 1,000 bytes, sends 10, then nothing: the request times out and the connection is closed.
    const truncated = await raw(
      port,
      `POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Length: 1000\r\n\r\n{"update_i`,
      5000,
    );
    assert.ok(status(truncated) === 408 || truncated === '', `timed out: ${truncated.split('\r\n')[0]}`);
    // Headers that never end.
    const slow = await raw(port, 'POST /hook HTTP/1.1\r\nHost: x\r\nX-Slow: 1', 5000);
    assert.ok(status(slow) === 408 || slow === '', `timed out: ${slow.split('\r\n')[0]}`);
    await works(11);
  });
});
