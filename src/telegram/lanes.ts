import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Update } from 'telegraf/types';
import type { Logger } from '../logger.ts';

// Updates in lanes: each chat's updates are handled one after another, in the order Telegram numbered them (a
// /post before the /push that needs it); different chats go on side by side, so one busy or slow chat holds up
// no other. The design of grammY's runner (`sequentialize` by chat, a bound on what is in hand), kept to what
// Loa needs. Within a chat, what touches only the member's own record (a press of Shared, /shared, /undo: see
// ownRecordOf) keeps the order of that member's updates and of the chat's others, but not of other members' own
// records: a group's morning of presses goes on member by member side by side, not one press at a time. And a
// member's presses of different buttons (each names one record: an article and a kind) go on side by side too,
// between that member's other updates: eight buttons pressed in a second are eight answers at once, not a queue.

/**
 * The member whose own record, and nothing else, an update changes or reads (see commands/record.ts), and the one
 * record it names when it names one (a button's article and kind); undefined for an update in the order of its
 * whole chat.
 */
export type OwnRecordOf = (update: Update) => { member: number; record?: string } | undefined;

/** What a member's next updates about their own record wait for (see OwnRecordOf). */
interface MemberOrder {
  /** The member's last update that names no one record (/shared, /undo), or the chat's barrier. */
  after: Promise<void>;
  /** Since then, the last update naming each record: another of the same record waits for it, others do not. */
  records: Map<string, Promise<void>>;
}

/** The lane an update belongs to: its chat; else (an inline query, say) the person; else a lane of its own. */
export function laneOf(update: Update): string {
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

/** A chat's lane: what its next updates wait for, how many it holds, when it last moved. */
interface Lane {
  /** Done when the chat's last update in its whole order, and everything before it, is done. */
  barrier: Promise<void>;
  /** Each member's updates about their own record since the barrier (see OwnRecordOf). */
  members: Map<number, MemberOrder>;
  count: number;
  /** When an update of the lane last started or finished. */
  movedAt: number;
}

/** A lane with updates in hand that has neither started nor finished one for this long is held up (a slow call). */
export const HELD_AFTER_MS = 1000;

export class ChatLanes {
  private readonly lanes = new Map<string, Lane>();
  private count = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly handle: (update: Update) => Promise<void>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly ownRecordOf: OwnRecordOf = () => undefined,
  ) {}

  /** Updates taken and not yet handled, in all lanes. */
  get pending(): number {
    return this.count;
  }

  /**
   * Updates in lanes that are moving: all but those of a lane that has not moved for HELD_AFTER_MS. What the bot
   * will get through shortly, as opposed to what waits behind a slow chat.
   */
  moving(): number {
    const held = this.now() - HELD_AFTER_MS;
    let n = 0;
    for (const lane of this.lanes.values()) if (lane.movedAt > held) n += lane.count;
    return n;
  }

  /**
   * Queues an update behind its chat's earlier ones. Resolves once it is handled; rejects if handling failed
   * outside the bot's error boundary (a PostgreSQL commit), which is also logged. Its lane goes on either way.
   */
  run(update: Update): Promise<void> {
    const key = laneOf(update);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { barrier: Promise.resolve(), members: new Map(), count: 0, movedAt: this.now() };
      this.lanes.set(key, lane);
    }
    const it = lane;
    it.count += 1;
    this.count += 1;
    const own = this.ownRecordOf(update);
    const order = own && it.members.get(own.member);
    const result = waitFor(it, own, order).then(() => {
      it.movedAt = this.now();
      return this.handle(update);
    });
    const done: Promise<void> = result
      .catch((err: unknown) =>
        this.log.error({ err, updateId: update.update_id }, 'update failed outside the error boundary'),
      )
      .finally(() => {
        this.count -= 1;
        it.count -= 1;
        it.movedAt = this.now();
        if (it.count === 0) this.lanes.delete(key);
        for (const wake of this.waiters.splice(0)) wake();
      });
    if (!own) {
      it.barrier = done;
      it.members.clear();
    } else if (own.record !== undefined) {
      if (order) order.records.set(own.record, done);
      else it.members.set(own.member, { after: it.barrier, records: new Map([[own.record, done]]) });
    } else it.members.set(own.member, { after: done, records: new Map() });
    // Settles after the bookkeeping above, so a caller that waits for it sees the update out of hand.
    return done.then(() => result);
  }

  /** Resolves at the next update finished (or at once when none is in hand). */
  progress(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Resolves when there is room to take more: fewer than `moving` updates in moving lanes (a batch's worth: more
   * would only wait in the process instead of at Telegram), and fewer than `total` in hand (memory). A lane
   * that becomes held frees room without an update finishing, so this looks again every 250 ms.
   */
  async room(moving: number, total: number): Promise<void> {
    while (this.count >= total || this.moving() >= moving)
      await Promise.race([this.progress(), sleepFor(250, undefined, { ref: false })]);
  }

  /** Resolves when every update in hand is handled. */
  async idle(): Promise<void> {
    while (this.count > 0) await this.progress();
  }
}

/** What an update waits for in its lane (see OwnRecordOf); `order` is its member's, if any. */
function waitFor(lane: Lane, own: ReturnType<OwnRecordOf>, order: MemberOrder | undefined): Promise<unknown> {
  // In the order of the whole chat: after everything before it.
  if (!own)
    return lane.members.size === 0
      ? lane.barrier
      : Promise.all([lane.barrier, ...[...lane.members.values()].flatMap(everything)]);
  if (!order) return lane.barrier;
  // A press: after the member's last update that names no one record, or the last press of the same record.
  if (own.record !== undefined) return order.records.get(own.record) ?? order.after;
  return order.records.size === 0 ? order.after : Promise.all(everything(order));
}

/** Everything a member's update that names no one record waits for: their last such update and every press since. */
const everything = (order: MemberOrder): Promise<void>[] => [order.after, ...order.records.values()];
