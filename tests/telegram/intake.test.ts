import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { createLogger } from '../../src/logger.ts';
import { createApi } from '../../src/telegram/api.ts';
import { ChatLanes, laneOf } from '../../src/telegram/lanes.ts';
import { Poller } from '../../src/telegram/poller.ts';
import { FakeTelegram } from '../support/fake-telegram.ts';
import { people } from '../support/harness.ts';

// Intake in lanes: one chat's updates in order, chats side by side, and Telegram told an update is done only
// once it is handled.

const quietLog = () => createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));
const message = (id: number, chatId: number, text: string) =>
  ({
    update_id: id,
    message: { message_id: id, date: 0, chat: { id: chatId, type: 'group' }, text },
  }) as unknown as Update;

/** A promise with its resolve function, to hold a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('chat lanes', () => {
  it('handles one chat’s updates in order and other chats meanwhile', async () => {
    const order: string[] = [];
    const held = gate();
    const lanes = new ChatLanes(async (u) => {
      const text = (u as { message: { text: string } }).message.text;
      if (text === 'A1') await held.promise;
      order.push(text);
    }, quietLog());
    const done = [
      lanes.run(message(1, -1, 'A1')),
      lanes.run(message(2, -1, 'A2')),
      lanes.run(message(3, -2, 'B1')),
      lanes.run(message(4, -2, 'B2')),
    ];
    await done[3];
    assert.deepEqual(order, ['B1', 'B2'], 'the other chat went on while A1 was held');
    assert.equal(lanes.pending, 2);
    held.open();
    await Promise.all(done);
    assert.deepEqual(order, ['B1', 'B2', 'A1', 'A2'], 'A2 waited for A1');
    assert.equal(lanes.pending, 0);
  });

  it('a failure rejects for its caller and the lane goes on', async () => {
    const lanes = new ChatLanes(async (u) => {
      if (u.update_id === 1) throw new Error('commit failed');
    }, quietLog());
    const first = lanes.run(message(1, -1, 'x'));
    const second = lanes.run(message(2, -1, 'y'));
    await assert.rejects(first, /commit failed/);
    await second;
    assert.equal(lanes.pending, 0);
  });

  it('puts a button press in its message’s chat, and an update with no chat in a lane of its own', () => {
    const press = {
      update_id: 9,
      callback_query: { from: { id: 5 }, message: { chat: { id: -7 } } },
    } as unknown as Update;
    assert.equal(laneOf(press), 'c-7');
    assert.equal(laneOf({ update_id: 10 } as Update), 'x10');
  });
});

describe('the poller', () => {
  let tg: FakeTelegram;
  let poller: Poller | undefined;
  beforeEach(async () => {
    tg = new FakeTelegram();
    await tg.start();
  });
  afterEach(async () => {
    await poller?.stop();
    await tg.stop();
  });

  it('reads the backlog before it starts: the start resolves once what waited is handled', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const handled: number[] = [];
    const lanes = new ChatLanes(async (u) => {
      await new Promise((r) => setTimeout(r, 50));
      handled.push(u.update_id);
    }, quietLog());
    const waiting = [tg.send(group, people.alice, 'a'), tg.send(group, people.bình, 'b')];
    poller = new Poller(
      createApi(tg.token, tg.url),
      lanes,
      quietLog(),
      { pollTimeoutSeconds: 1, callTimeoutMs: 2000, maxInHand: 100 },
      async () => undefined,
    );
    await poller.start(() => undefined);
    assert.deepEqual(handled, waiting);
  });

  it('goes on polling while one chat is held, and confirms nothing past the update still in hand', async () => {
    const busy = tg.addGroup(-100, 'Bận', [], { announce: false });
    const other = tg.addGroup(-200, 'Khác', [], { announce: false });
    const held = gate();
    const handled: string[] = [];
    const marked: number[] = [];
    const lanes = new ChatLanes(async (u) => {
      const text = (u as { message: { text: string } }).message.text;
      if (text === 'slow') await held.promise;
      handled.push(text);
    }, quietLog());
    poller = new Poller(
      createApi(tg.token, tg.url),
      lanes,
      quietLog(),
      { pollTimeoutSeconds: 1, callTimeoutMs: 2000, maxInHand: 100 },
      async (ids) => void marked.push(...ids),
    );
    await poller.start(() => undefined);
    const slowId = tg.send(busy, people.alice, 'slow');
    const later = [
      tg.send(other, people.bình, 'one'),
      tg.send(busy, people.alice, 'after'),
      tg.send(other, people.bình, 'two'),
    ];
    await tg.waitFor(() => handled.includes('two'), 5000, 'the other chat’s updates');
    assert.deepEqual(handled, ['one', 'two'], 'the busy chat’s later update waits for its first');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(tg.pendingUpdates() >= 1, 'the held update is not confirmed to Telegram');
    assert.ok(!marked.includes(slowId));
    held.open();
    await tg.waitFor(() => handled.length === 4, 5000, 'the held chat to finish');
    assert.deepEqual(handled.slice(2), ['slow', 'after']);
    await tg.drained(5000);
    assert.deepEqual(
      [...marked].sort((a, b) => a - b),
      [slowId, ...later],
      'each recorded as handled before it was confirmed',
    );
  });
});
