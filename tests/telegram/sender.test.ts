import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createApi } from '../../src/telegram/api.ts';
import { SendError } from '../../src/telegram/errors.ts';
import { Sender } from '../../src/telegram/sender.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeTelegram } from '../support/fake-telegram.ts';

// The sender against the fake Bot API with Telegram's limits switched on.

const quietLog = () => createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));

describe('the sender', () => {
  let tg: FakeTelegram;
  // A fresh fake per test, so one test's sends do not count against the next one's limits.
  beforeEach(async () => {
    tg = new FakeTelegram(undefined, { limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 } });
    await tg.start();
  });
  afterEach(() => tg.stop());

  const groups = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => tg.addGroup(from - i, `G${i}`, [], { announce: false }).id);
  const sender = (hooks = {}, timeoutMs = 2000) =>
    new Sender(
      createApi(tg.token, tg.url),
      { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 },
      quietLog(),
      hooks,
      timeoutMs,
    );

  it('sends 45 messages to 45 groups without a single 429', async () => {
    const ids = groups(-100, 45);
    const before = tg.rateLimited;
    const s = sender();
    await Promise.all(ids.map((id) => s.sendMessage(id, `hello <b>${id}</b>`)));
    assert.equal(tg.rateLimited - before, 0);
    for (const id of ids) assert.equal(tg.messagesTo(id).length, 1);
  });

  it('keeps to 20 a minute in one group: the 21st waits instead of drawing a 429', async () => {
    const [id] = groups(-300, 1);
    const s = sender();
    const before = tg.rateLimited;
    const sends = Array.from({ length: 22 }, (_, i) => s.sendMessage(id!, `m${i}`).catch(() => undefined));
    await tg.waitFor(() => tg.messagesTo(id!).length >= 20, 5000, '20 messages');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(tg.messagesTo(id!).length, 20);
    assert.equal(s.pending(), 2);
    assert.equal(tg.rateLimited - before, 0);
    s.close();
    void sends;
  });

  it('waits out a 429 storm with retry_after and delivers everything exactly once', async () => {
    const ids = groups(-400, 5);
    tg.fail('sendMessage', 6, {
      kind: 'error',
      code: 429,
      description: 'Too Many Requests: retry after 1',
      retryAfter: 1,
    });
    const s = sender();
    await Promise.all(ids.map((id) => s.sendMessage(id, 'after the storm')));
    for (const id of ids) assert.equal(tg.messagesTo(id).length, 1);
    assert.ok(s.stats.rateLimited >= 6);
  });

  it('retries 500/502 bursts, hung calls and dropped connections, then delivers once', async () => {
    const [a, b, c] = groups(-500, 3);
    tg.fail('sendMessage', 2, { kind: 'error', code: 502, description: 'Bad Gateway' }, a);
    tg.fail('sendMessage', 1, { kind: 'hang' }, b);
    tg.fail('sendMessage', 1, { kind: 'drop' }, c);
    const s = sender({}, 400);
    await Promise.all([a, b, c].map((id) => s.sendMessage(id!, 'eventually')));
    for (const id of [a, b, c]) assert.equal(tg.messagesTo(id!).length, 1);
  });

  it('a chat that hangs does not hold up the others', async () => {
    const [slow, ...fast] = groups(-600, 4);
    tg.fail('sendMessage', 1, { kind: 'hang' }, slow);
    const s = sender({}, 3000);
    const slowSend = s.sendMessage(slow!, 'slow');
    await Promise.all(fast.map((id) => s.sendMessage(id, 'fast')));
    assert.equal(tg.messagesTo(slow!).length, 0, 'the slow chat is still waiting…');
    for (const id of fast) assert.equal(tg.messagesTo(id).length, 1, '…while the others are served');
    await slowSend;
    assert.equal(tg.messagesTo(slow!).length, 1);
  });

  it('gives up after a bounded number of retries and says why', async () => {
    const [id] = groups(-700, 1);
    tg.fail('sendMessage', 100, { kind: 'error', code: 500 }, id);
    const s = new Sender(
      createApi(tg.token, tg.url),
      { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 },
      quietLog(),
      {},
      1000,
    );
    const err = await s.call('sendMessage', { chat_id: id, text: 'x' }, { maxRetries: 2 }).catch((e: unknown) => e);
    assert.ok(err instanceof SendError);
    assert.equal(err.failure.kind, 'transient');
  });

  it('on 403 reports the chat gone; on migration follows the new id', async () => {
    const [kicked, moving] = groups(-800, 2);
    tg.kick(kicked!, false);
    tg.migrate(moving!, -800999);
    const gone: number[] = [];
    const moved: [number, number][] = [];
    const s = sender({
      onChatGone: (id: number) => void gone.push(id),
      onChatMigrated: (a: number, b: number) => void moved.push([a, b]),
    });
    const err = await s.sendMessage(kicked!, 'x').catch((e: unknown) => e);
    assert.ok(err instanceof SendError && err.failure.kind === 'chat_gone');
    await s.sendMessage(moving!, 'follows');
    assert.deepEqual(gone, [kicked]);
    assert.deepEqual(moved, [[moving, -800999]]);
    assert.equal(tg.messagesTo(-800999).length, 1);
  });

  it('a malformed message is refused by Telegram and not retried', async () => {
    const [id] = groups(-900, 1);
    const s = sender();
    const before = tg.calls.length;
    const err = await s.sendMessage(id!, '<b>unclosed').catch((e: unknown) => e);
    assert.ok(err instanceof SendError && err.failure.kind === 'bad_request');
    assert.equal(tg.calls.length - before, 1);
  });

  it('folds the same group answer asked for again within a minute, and sends it again after', async () => {
    const [id] = groups(-500, 1);
    const s = sender();
    const at = Date.UTC(2026, 10, 30, 2);
    const first = s.sendMessage(id!, 'Bài hôm nay', {}, { fold: { key: 'today', at } });
    const again = await s.sendMessage(id!, 'Bài hôm nay', {}, { fold: { key: 'today', at: at + 1000 } });
    assert.equal(again, null, 'folded while the first is queued');
    await first;
    assert.equal(await s.sendMessage(id!, 'Bài hôm nay', {}, { fold: { key: 'today', at: at + 59_000 } }), null);
    const later = await s.sendMessage(id!, 'Bài hôm nay', {}, { fold: { key: 'today', at: at + 61_000 } });
    assert.notEqual(later, null, 'a minute on, asked again: answered again');
    assert.equal(tg.messagesTo(id!).length, 2);
    assert.equal(s.stats.folded, 2);
  });

  it('never folds private answers, nor different answers in one group', async () => {
    const [id] = groups(-510, 1);
    tg.markStarted(7001);
    const s = sender();
    const at = Date.now();
    await s.sendMessage(7001, 'x', {}, { fold: { key: 'x', at } });
    await s.sendMessage(7001, 'x', {}, { fold: { key: 'x', at } });
    await s.sendMessage(id!, 'a', {}, { fold: { key: 'a', at } });
    await s.sendMessage(id!, 'b', {}, { fold: { key: 'b', at } });
    assert.equal(tg.messagesTo(7001).length, 2);
    assert.equal(tg.messagesTo(id!).length, 2);
  });

  it('drops a reply whose turn comes after it went stale, counts it, and sends the rest', async () => {
    const [id] = groups(-520, 1);
    const s = sender();
    // 20 fill the group's minute; the 21st can only go a minute later, long after its 300 ms of usefulness.
    const fill = Array.from({ length: 20 }, (_, i) => s.sendMessage(id!, `m${i}`, {}, { priority: 'bulk' }));
    const stale = s.sendMessage(id!, 'late answer', {}, { staleAfterMs: 300 });
    await Promise.all(fill);
    assert.ok(s.expectedWaitMs(id!) > 30_000, 'the group is over its budget: the next message waits');
    assert.equal(s.expectedWaitMs(-999_999), 0, 'an idle chat does not wait');
    assert.equal(await stale, null);
    assert.equal(s.stats.dropped, 1);
    assert.ok(!tg.messagesTo(id!).some((m) => m.text === 'late answer'));
    s.close();
  });

  it('a group held by its shared budget (another replica used its minute) frees its lane and holds no one else', async () => {
    const [busy] = groups(-540, 1);
    const [other] = groups(-560, 1);
    const asked: number[] = [];
    // The shared budget: the busy group's turn is 1.5 s away, and nothing is reserved for it until then.
    const turnAt = Date.now() + 1500;
    const s = sender({
      reserve: async (chatId: number) => {
        asked.push(chatId);
        if (chatId === busy && Date.now() < turnAt) return { waitMs: turnAt - Date.now(), reserved: false };
        return { waitMs: 0, reserved: true };
      },
    });
    const late = s.sendMessage(busy!, 'busy group');
    await tg.waitFor(() => asked.includes(busy!), 2000, 'the busy group asks for its turn');
    assert.ok(s.expectedWaitMs(busy!) > 1000, 'the wait is known, so a reply there shows 👀 at once');
    await s.sendMessage(other!, 'another group');
    assert.equal(tg.messagesTo(busy!).length, 0, 'the other group went first');
    await late;
    assert.ok(Date.now() >= turnAt, 'the busy group’s message went at its turn');
    assert.ok(asked.filter((c) => c === busy).length >= 2, 'it asked again, rather than holding a slot');
    s.close();
  });
});
