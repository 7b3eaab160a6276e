import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTelegram } from '../support/fake-telegram.ts';
import { botEnv, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';

const { alice } = people;

describe('Telegram faults, end to end', () => {
  const running: BotProcess[] = [];
  const fakes: FakeTelegram[] = [];
  after(async () => {
    for (const b of running) await b.stop('SIGKILL');
    for (const f of fakes) await f.stop();
  });
  const boot = async (extra: Record<string, string> = {}) => {
    const tg = new FakeTelegram();
    fakes.push(tg);
    await tg.start();
    const bot = startBot(botEnv(tg, tempDir(), { API_TIMEOUT_MS: '1500', ...extra }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);
    return { tg, bot };
  };

  it('a getUpdates that hangs is abandoned after its timeout, and polling goes on', async () => {
    const { tg } = await boot();
    tg.fail('getUpdates', 1, { kind: 'hang' });
    await new Promise((r) => setTimeout(r, 1200)); // the current poll ends, the next one hangs
    tg.send('private', alice, '/help');
    const answer = await tg.waitFor(() => tg.messagesTo(alice.id)[0], 15_000, 'an answer after the hang');
    assert.match(answer.text!, /Loa commands/);
  });

  it('dropped connections and 502s on getUpdates are retried with backoff', async () => {
    const { tg, bot } = await boot();
    tg.fail('getUpdates', 2, { kind: 'drop' });
    tg.fail('getUpdates', 2, { kind: 'error', code: 502, description: 'Bad Gateway' });
    // The poll already waiting when the faults are set is not one of them: wait until the next polls failed
    // (and were logged), then send, so the answer comes after the faults, not before them.
    await bot.waitForLog(/getUpdates failed; retrying/, 10_000);
    tg.send('private', alice, '/help');
    await tg.waitFor(() => tg.messagesTo(alice.id)[0], 20_000, 'an answer after the faults');
    assert.equal(
      bot.output().match(/getUpdates failed; retrying/g)?.length,
      4,
      'each of the four failed polls logged and retried',
    );
  });

  it('a 409 Conflict (another instance polling) is logged clearly and the bot exits instead of fighting', async () => {
    const { tg, bot } = await boot();
    // Another process long-polls with the same token: Telegram ends the older poll with 409. It polls until our
    // bot has exited, so a moment when our bot is between two polls (a loaded machine) does not leave it running.
    let exited = false;
    const other = (async () => {
      while (!exited) {
        await fetch(`${tg.url}/bot${tg.token}/getUpdates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ timeout: 1 }),
        }).catch(() => undefined);
      }
    })();
    const code = await bot.exited;
    exited = true;
    await other;
    assert.equal(code, 3);
    assert.match(bot.output(), /another bot instance is polling with this token/);
  });

  it('a revoked token (401) stops the start with one clear line', async () => {
    const tg = new FakeTelegram();
    fakes.push(tg);
    await tg.start();
    const bot = startBot(botEnv(tg, tempDir(), { BOT_TOKEN: '123456:revoked-token-abcdefghijklmnopqrstuv' }));
    running.push(bot);
    assert.equal(await bot.exited, 3);
    assert.match(bot.output(), /Telegram refused the bot token \(401 Unauthorized\)/);
    assert.ok(!bot.output().includes('revoked-token-abcdefghijklmnopqrstuv'));
  });
});
