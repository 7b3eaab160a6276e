import { sql } from 'kysely';
import type { Db } from './index.ts';

// Telegram's limits are per bot, not per process. When several processes share a PostgreSQL database they
// reserve each send here: one row paces the bot as a whole, one row per chat paces that chat. Each row holds
// a "theoretical arrival time" (the generic cell rate algorithm): a send may go at the earliest at
// tat − tolerance, and moves tat on by the interval. Times come from the database's clock, so the
// processes' own clocks need not agree.

export interface Pace {
  /** Milliseconds between sends in the long run. */
  interval: number;
  /** How far ahead of the pace a burst may run (0: strictly spaced). */
  tolerance: number;
}

export interface SenderPaces {
  global: Pace;
  group: Pace;
  private: Pace;
}

/**
 * The paces that keep under Telegram's limits with the same 3% margin as one process's sender: the bot
 * spaced strictly; a group in bursts of half its minute's allowance, then evenly, so that no 60 seconds
 * hold more than the limit; a private chat strictly.
 */
export function pacesFor(limits: {
  globalPerSecond: number;
  groupPerMinute: number;
  privatePerSecond: number;
}): SenderPaces {
  const burst = Math.max(1, Math.floor(limits.groupPerMinute / 2));
  const groupInterval = (60_000 / Math.max(1, limits.groupPerMinute - burst)) * 1.03;
  return {
    global: { interval: (1000 / limits.globalPerSecond) * 1.03, tolerance: 0 },
    group: { interval: groupInterval, tolerance: (burst - 1) * groupInterval },
    private: { interval: 1000 / limits.privatePerSecond, tolerance: 0 },
  };
}

/** The earliest moment all rows allow a send, and each row's new tat once it is taken. */
export function gcra(now: number, rows: { tat: number; pace: Pace }[]): { at: number; tats: number[] } {
  const at = rows.reduce((t, r) => Math.max(t, r.tat - r.pace.tolerance), now);
  return { at, tats: rows.map((r) => Math.max(r.tat, at) + r.pace.interval) };
}

/** A send's turn under the shared budget: taken (send after `waitMs`), or not yet the chat's turn. */
export interface Reservation {
  /** Milliseconds to wait: before sending, if `reserved`; else before asking again. */
  waitMs: number;
  /**
   * False when the chat's own pace is what holds the send (a busy group's minute): nothing is reserved then,
   * so the bot's pace is not held for it and other chats' sends go meanwhile.
   */
  reserved: boolean;
}

/**
 * Reserves the next slot for a send into `chatId` under the bot's and the chat's paces, shared by every
 * process on this database.
 */
export class SharedSendBudget {
  private reservations = 0;

  constructor(
    private readonly db: Db,
    private readonly paces: SenderPaces,
  ) {}

  async reserve(chatId: number | string, isGroup: boolean): Promise<Reservation> {
    const { at, now, reserved } = await this.reserveSlot(chatId, isGroup);
    // Chats not written to for an hour have nothing left to pace: forget them now and then.
    if (++this.reservations % 1000 === 0) {
      await sql`delete from send_budget where key <> '*' and tat < (extract(epoch from clock_timestamp()) * 1000 - 3600000)`
        .execute(this.db)
        .catch(() => undefined);
    }
    return { waitMs: Math.max(0, at - now), reserved };
  }

  /**
   * The slot (`at`) and the database's time when asked (`now`), both in ms since the epoch; `reserved` false
   * when the chat's pace holds the send past the bot's next slot by more than one interval. A slot so far ahead
   * is not taken: taking it would move the bot's pace there too, and every other chat would wait behind a busy
   * group.
   */
  async reserveSlot(
    chatId: number | string,
    isGroup: boolean,
  ): Promise<{ at: number; now: number; reserved: boolean }> {
    const chatKey = `${isGroup ? 'g' : 'p'}${chatId}`;
    const chatPace = isGroup ? this.paces.group : this.paces.private;
    return this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('send_budget')
        .values([
          { key: '*', tat: 0 },
          { key: chatKey, tat: 0 },
        ])
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      // Rows locked in one order (binary collation: '*' first) by every process, so two never deadlock.
      const { rows } = await sql<{ key: string; tat: number; now: number }>`
        select key, tat, (extract(epoch from clock_timestamp()) * 1000)::float8 as now
        from send_budget where key in ('*', ${chatKey}) order by key collate "C" for update`.execute(tx);
      const now = rows[0]!.now;
      const global = rows.find((r) => r.key === '*')!;
      const chat = rows.find((r) => r.key === chatKey)!;
      const botAt = gcra(now, [{ tat: global.tat, pace: this.paces.global }]).at;
      const chatAt = gcra(now, [{ tat: chat.tat, pace: chatPace }]).at;
      if (chatAt - botAt > this.paces.global.interval) return { at: chatAt, now, reserved: false };
      const { at, tats } = gcra(now, [
        { tat: global.tat, pace: this.paces.global },
        { tat: chat.tat, pace: chatPace },
      ]);
      await tx.updateTable('send_budget').set({ tat: tats[0]! }).where('key', '=', '*').execute();
      await tx.updateTable('send_budget').set({ tat: tats[1]! }).where('key', '=', chatKey).execute();
      return { at, now, reserved: true };
    });
  }
}
