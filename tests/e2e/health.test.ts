import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTelegram } from '../support/fake-telegram.ts';
import { botEnv, freePort, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';

const { alice } = people;

describe('/healthz and /metrics on HTTP_PORT while polling, end to end', () => {
  let tg: FakeTelegram;
  let bot: BotProcess;
  let base: string;
  before(async () => {
    tg = new FakeTelegram();
    await tg.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = startBot(botEnv(tg, tempDir(), { HTTP_PORT: String(port), LISTEN_HOST: '127.0.0.1' }));
    await bot.waitForLog(/polling for updates/);
  });
  after(async () => {
    await bot.stop('SIGKILL');
    await tg.stop().catch(() => undefined);
  });

  it('is healthy while Telegram answers, and counts what it handled and sent', async () => {
    tg.send('private', alice, '/start');
    await tg.waitFor(() => tg.messagesTo(alice.id).length > 0, 10_000, 'the answer to /start');
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { ok: boolean; intake: { mode: string } };
    assert.equal(body.ok, true);
    assert.equal(body.intake.mode, 'polling');
    const metrics = await fetch(`${base}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await metrics.text();
    assert.match(text, /^loa_updates_total\{outcome="handled"\} [1-9]\d*$/m);
    assert.match(text, /^loa_telegram_calls_total\{method="sendMessage",outcome="sent"\} [1-9]\d*$/m);
    assert.equal((await fetch(`${base}/nothing-here`)).status, 404);
  });

  it('answers 503 with the reason once Telegram stops answering', async () => {
    await tg.stop();
    // POLL_TIMEOUT_SECONDS=1 and API_TIMEOUT_MS=3000 in the tests: silent for over 8 s is unhealthy.
    let last: { status: number; body: { ok: boolean; reason?: string } } | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}/healthz`);
      last = { status: res.status, body: (await res.json()) as { ok: boolean; reason?: string } };
      if (last.status === 503) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(last?.status, 503);
    assert.match(last!.body.reason!, /no answer from Telegram for \d+ s/);
  });
});
