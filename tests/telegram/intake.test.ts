import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { createLogger } from '../../src/logger.ts';
import { createApi } from '../../src/telegram/api.ts';
import { ChatLanes, HELD_AFTER_MS, laneOf, type OwnRecordOf } from '../../src/telegram/lanes.ts';
import { Poller, type PollerInbox } from '../../src/telegram/poller.ts';
import { Intake } from '../../src/telegram/intake.ts';
import { HttpServer } from '../../src/http/server.ts';
import type { Config } from '../../src/config.ts';
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

/**
 * Lanes whose handler notes each update's text in `order` once its gate (if the test made one with `hold`) opens;
 * `ownRecordOf` reads a member (and a record) from the text.
 */
function gatedLanes(ownRecordOf: OwnRecordOf) {
  const order: string[] = [];
  const gates = new Map<string, ReturnType<typeof gate>>();
  const lanes = new ChatLanes(
    async (u) => {
      const text = (u as { message: { text: string } }).message.text;
      await gates.get(text)?.promise;
      order.push(text);
    },
    quietLog(),
    Date.now,
    ownRecordOf,
  );
  const hold = (text: string) => gates.set(text, gate());
  const open = (text: string) => gates.get(text)!.open();
  return { lanes, order, hold, open };
}

/** Hands texts to the lanes as one group's updates, numbered in order. */
const runAll = (lanes: ChatLanes, texts: string[]) => texts.map((text, i) => lanes.run(message(i + 1, -1, text)));

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

  it('counts a lane whose update has run a second or more as held, not moving', async () => {
    let now = 0;
    const held = gate();
    const lanes = new ChatLanes(
      async (u) => {
        if (u.update_id < 3) await held.promise;
      },
      quietLog(),
      () => now,
    );
    const all = [
      lanes.run(message(1, -1, 'slow')),
      lanes.run(message(2, -1, 'behind it')),
      lanes.run(message(3, -2, 'quick')),
    ];
    await all[2];
    assert.equal(lanes.moving(), 2, 'the slow chat’s two, just started');
    now = HELD_AFTER_MS;
    assert.equal(lanes.moving(), 0, 'held: its updates no longer count as moving');
    assert.equal(lanes.pending, 2, 'but they are still in hand');
    await lanes.room(2, 3);
    now = 0;
    let roomy = false;
    const waiting = lanes.room(2, 3).then(() => (roomy = true));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(roomy, false, 'no room while the slow chat’s two are moving');
    held.open();
    await Promise.all([...all, waiting]);
    assert.ok(roomy);
    assert.equal(lanes.pending, 0);
  });

  it('a member’s own record goes on beside other members’, and keeps its order with their own and the chat’s others', async () => {
    // "m<member>:<name>" touches only that member's record; anything else is in the whole chat's order.
    const { lanes, order, hold, open } = gatedLanes((u) => {
      const match = /^m(\d+):/.exec((u as { message: { text: string } }).message.text);
      return match ? { member: Number(match[1]) } : undefined;
    });
    hold('/archive');
    hold('m1:press');
    const done = runAll(lanes, ['/archive', 'm1:press', 'm2:press', 'm1:/undo', '/today', 'm2:after today']);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, [], 'every press waits for the /archive sent before it');
    open('/archive');
    await Promise.race([
      done[2],
      new Promise((_, reject) => setTimeout(() => reject(new Error('member 2 waited for member 1')), 2000)),
    ]);
    assert.deepEqual(order, ['/archive', 'm2:press'], 'member 2 went on while member 1’s press was held');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(order, ['/archive', 'm2:press'], 'member 1’s /undo waits for their press; /today for both');
    open('m1:press');
    await Promise.all(done);
    assert.deepEqual(order, ['/archive', 'm2:press', 'm1:press', 'm1:/undo', '/today', 'm2:after today']);
    assert.equal(lanes.pending, 0);
  });

  it('a member’s presses of different records go on side by side; the same record’s, and their other updates, keep their order', async () => {
    // "m<member>:<record>:<name>" names one record of that member; "m<member>::<name>" their record as a whole.
    const { lanes, order, hold, open } = gatedLanes((u) => {
      const match = /^m(\d+):(\w*):/.exec((u as { message: { text: string } }).message.text);
      if (!match) return undefined;
      return match[2] ? { member: Number(match[1]), record: match[2] } : { member: Number(match[1]) };
    });
    hold('m1:a:first');
    const done = runAll(lanes, [
      'm1:a:first',
      'm1:b:press',
      'm1:a:again',
      'm1:c:press',
      'm1::/undo',
      'm1:b:after undo',
      '/today',
    ]);
    await Promise.race([
      Promise.all([done[1], done[3]]),
      new Promise((_, reject) => setTimeout(() => reject(new Error('record b or c waited for record a')), 2000)),
    ]);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      order,
      ['m1:b:press', 'm1:c:press'],
      'a’s second press waits for its first; /undo for every press',
    );
    open('m1:a:first');
    await Promise.all(done);
    assert.deepEqual(order, [
      'm1:b:press',
      'm1:c:press',
      'm1:a:first',
      'm1:a:again',
      'm1::/undo',
      'm1:b:after undo',
      '/today',
    ]);
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

/** An inbox in memory, as the database keeps it: what was kept and not finished, and what was finished. */
class MemoryInbox implements PollerInbox {
  readonly kept = new Map<number, Update>();
  readonly finished: number[] = [];
  failKeeps = 0;
  async unfinished(): Promise<Update[]> {
    return [...this.kept.values()].sort((a, b) => a.update_id - b.update_id);
  }
  async keep(updates: Update[]): Promise<void> {
    if (this.failKeeps > 0) {
      this.failKeeps -= 1;
      throw new Error('database is locked');
    }
    for (const u of updates) this.kept.set(u.update_id, u);
  }
  /** How long a finish takes (a commit on a busy database). */
  finishMs = 0;
  async finish(ids: number[]): Promise<void> {
    if (this.finishMs > 0) await new Promise((r) => setTimeout(r, this.finishMs));
    for (const id of ids) this.kept.delete(id);
    this.finished.push(...ids);
  }
}

describe('the poller', () => {
  let tg: FakeTelegram;
  let poller: Poller | undefined;
  const options = { pollTimeoutSeconds: 1, callTimeoutMs: 2000, maxInHand: 1000, maxMoving: 100 };
  beforeEach(async () => {
    tg = new FakeTelegram();
    await tg.start();
  });
  afterEach(async () => {
    await poller?.stop();
    await tg.stop();
  });

  /** A poller over two groups whose handler holds the update 'slow' until the test opens the gate. */
  async function pollWithSlowChat() {
    const busy = tg.addGroup(-100, 'Bận', [], { announce: false });
    const other = tg.addGroup(-200, 'Khác', [], { announce: false });
    const held = gate();
    const handled: string[] = [];
    const lanes = new ChatLanes(async (u) => {
      const text = (u as { message: { text: string } }).message.text;
      if (text === 'slow') await held.promise;
      handled.push(text);
    }, quietLog());
    const inbox = new MemoryInbox();
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, inbox);
    await poller.start(() => undefined);
    return { busy, other, held, handled, lanes, inbox };
  }

  it('reads the backlog before it starts: the start resolves once what waited is handled', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const handled: number[] = [];
    const lanes = new ChatLanes(async (u) => {
      await new Promise((r) => setTimeout(r, 50));
      handled.push(u.update_id);
    }, quietLog());
    const waiting = [tg.send(group, people.alice, 'a'), tg.send(group, people.bình, 'b')];
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, new MemoryInbox());
    await poller.start(() => undefined);
    assert.deepEqual(handled, waiting);
  });

  it('goes on polling while one chat is held: the held update is kept in the inbox until it is handled', async () => {
    const { busy, other, held, handled, inbox } = await pollWithSlowChat();
    const slowId = tg.send(busy, people.alice, 'slow');
    const later = [
      tg.send(other, people.bình, 'one'),
      tg.send(busy, people.alice, 'after'),
      tg.send(other, people.bình, 'two'),
    ];
    await tg.waitFor(() => handled.includes('two'), 5000, 'the other chat’s updates');
    assert.deepEqual(handled, ['one', 'two'], 'the busy chat’s later update waits for its first');
    await tg.drained(5000);
    assert.deepEqual(
      [...inbox.kept.keys()].sort((a, b) => a - b),
      [slowId, later[1]],
      'Telegram was told they are taken; the inbox keeps the two not handled',
    );
    assert.ok(!inbox.finished.includes(slowId));
    held.open();
    await tg.waitFor(() => handled.length === 4 && inbox.kept.size === 0, 5000, 'the held chat to finish');
    assert.deepEqual(handled.slice(2), ['slow', 'after']);
    assert.deepEqual(
      [...inbox.finished].sort((a, b) => a - b),
      [slowId, ...later],
    );
    assert.ok(
      tg.callsOf('getUpdates').every((c) => c.payload.limit === options.maxMoving),
      'each poll asks for no more than the lanes take at once',
    );
  });

  it('one chat with more than Telegram’s 100 updates in hand does not keep the others waiting', async () => {
    const { busy, other, held, handled, lanes } = await pollWithSlowChat();
    tg.send(busy, people.alice, 'slow');
    for (let i = 0; i < 150; i += 1) tg.send(busy, people.alice, `busy ${i}`);
    tg.send(other, people.bình, 'other');
    await tg.waitFor(() => handled.includes('other'), 5000, 'the other chat behind 151 of the busy one');
    assert.equal(lanes.pending, 151, 'the busy chat’s updates wait in its lane');
    held.open();
    await tg.waitFor(() => handled.length === 152, 5000, 'the busy chat to finish');
  });

  it('after a crash, handles what the inbox kept before polling, and not what was finished', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const inbox = new MemoryInbox();
    const u = (id: number, text: string) => message(id, -300, text);
    const handled: string[] = [];
    // The earlier run took 1 and 2, finished 1 (recorded as handled) and died before finishing 2, and before a poll
    // confirmed either to Telegram, which hands both out again. The backend knows 1 is handled (HandledUpdates).
    const handledBefore = new Set([1]);
    const lanes = new ChatLanes(async (up) => {
      if (handledBefore.has(up.update_id)) return;
      handled.push((up as { message: { text: string } }).message.text);
    }, quietLog());
    tg.send(group, people.alice, 'finished');
    tg.send(group, people.alice, 'unfinished');
    const fresh = tg.send(group, people.alice, 'new');
    inbox.kept.set(2, u(2, 'unfinished'));
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, inbox);
    await poller.start(() => undefined);
    assert.deepEqual(handled, ['unfinished', 'new'], 'the inbox’s first, in its chat’s order, and 2 once');
    await tg.waitFor(() => inbox.kept.size === 0, 5000, 'both finished');
    assert.deepEqual(
      inbox.finished.sort((a, b) => a - b),
      [1, 2, fresh],
    );
  });

  it('confirms what Telegram hands out again that the inbox already gave the lanes, and does not ask again and again', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const inbox = new MemoryInbox();
    // The earlier run kept both and died before a poll confirmed them: Telegram holds exactly those two.
    const ids = [tg.send(group, people.alice, 'a'), tg.send(group, people.alice, 'b')];
    for (const id of ids) inbox.kept.set(id, message(id, -300, String(id)));
    const handled: number[] = [];
    const lanes = new ChatLanes(async (up) => void handled.push(up.update_id), quietLog());
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, inbox);
    await poller.start(() => undefined);
    await tg.drained(5000);
    const polls = tg.callsOf('getUpdates').length;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(tg.callsOf('getUpdates').length - polls <= 2, 'a long poll, not a loop of polls');
    assert.deepEqual(handled, ids, 'each handled once');
  });

  it('a row left in the inbox long ago does not move the offset past what Telegram holds', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const inbox = new MemoryInbox();
    // Telegram starts its ids afresh after a week without updates: the old row's id is above the new ones.
    inbox.kept.set(900_000, message(900_000, -300, 'old'));
    const handled: string[] = [];
    const lanes = new ChatLanes(
      async (up) => void handled.push((up as { message: { text: string } }).message.text),
      quietLog(),
    );
    tg.send(group, people.alice, 'a');
    tg.send(group, people.alice, 'b');
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, inbox);
    await poller.start(() => undefined);
    await tg.waitFor(() => handled.length === 3, 5000, 'the old row and both new updates');
    assert.deepEqual(handled, ['old', 'a', 'b']);
  });

  it('stops only once every update in hand is handled and out of the inbox', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const inbox = new MemoryInbox();
    inbox.finishMs = 200;
    let started = false;
    const lanes = new ChatLanes(async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 50));
    }, quietLog());
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, inbox);
    await poller.start(() => undefined);
    const id = tg.send(group, people.alice, 'a');
    await tg.waitFor(() => started, 5000, 'the update in hand');
    await poller.stop();
    poller = undefined;
    assert.equal(inbox.kept.size, 0, 'nothing left for the next start to handle again');
    assert.deepEqual(inbox.finished, [id]);
  });

  it('takes nothing it could not store: Telegram hands the batch out again', async () => {
    const group = tg.addGroup(-300, 'Nhóm', [], { announce: false });
    const inbox = new MemoryInbox();
    inbox.failKeeps = 1;
    const handled: number[] = [];
    const lanes = new ChatLanes(async (up) => void handled.push(up.update_id), quietLog());
    const id = tg.send(group, people.alice, 'a');
    poller = new Poller(createApi(tg.token, tg.url), lanes, quietLog(), options, inbox);
    await poller.start(() => undefined);
    await tg.waitFor(() => handled.length === 1, 5000, 'the update, once stored');
    assert.deepEqual(handled, [id]);
    const offsets = tg.callsOf('getUpdates').map((c) => Number(c.payload.offset ?? 0));
    assert.ok(offsets.filter((o) => o <= id).length >= 2, 'the offset stayed until the batch was stored');
  });
});

describe('the webhook’s start', () => {
  it('handles what a polling run left in the inbox before it sets the webhook', async () => {
    const tg = new FakeTelegram();
    await tg.start();
    const server = new HttpServer(quietLog());
    const inbox = new MemoryInbox();
    inbox.kept.set(41, message(41, -300, 'left by polling'));
    const handled: number[] = [];
    let webhookSetBefore = -1;
    const config = {
      webhook: { url: 'https://loa.example/hook', secret: 'x'.repeat(32) },
      apiTimeoutMs: 2000,
      pollTimeoutSeconds: 1,
    } as unknown as Config;
    const intake = new Intake(
      config,
      createApi(tg.token, tg.url),
      quietLog(),
      async (u) => {
        handled.push(u.update_id);
        webhookSetBefore = tg.callsOf('setWebhook').length;
      },
      async () => undefined,
      inbox,
    );
    try {
      await intake.start(() => undefined, server);
      assert.deepEqual(handled, [41]);
      assert.deepEqual(inbox.finished, [41], 'and out of the inbox');
      assert.equal(webhookSetBefore, 0, 'handled before the webhook was set');
      assert.equal(tg.callsOf('setWebhook').length, 1);
    } finally {
      await intake.stop();
      await tg.stop();
    }
  });
});
