import type { Reservation } from './send-budget.ts';
import type { Transaction } from 'kysely';
import type { Update } from 'telegraf/types';
import type { Db } from './index.ts';
import type { Database } from './schema.ts';
import type { UnitOfWork } from './update-transactions.ts';

/**
 * What differs between the two databases once Loa runs, chosen once (src/app.ts) and asked nowhere else.
 * SQLite: one process; the handled update ids are kept in memory and marked after the update; this process
 * paces its own sends. PostgreSQL: replicas share the database; each update runs in a transaction that holds its
 * update_id, sends are paced in a budget the replicas share, and lock waits are bounded.
 */
export interface Backend {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Db;
  /** Loads what the backend needs before the first update (SQLite: the highest update id handled). */
  open(): Promise<void>;
  /**
   * Handles an update once: `handle` runs unless the update was handled before (then false). On PostgreSQL it
   * runs in the update's transaction; a failed commit throws, so Telegram redelivers.
   */
  handleOnce(update: Update, now: Date, handle: (update: Update) => Promise<void>): Promise<boolean>;
  /** Records handled updates before Telegram is told so (SQLite; on PostgreSQL each committed with its effects). */
  markHandled(updateIds: number[], now: Date): Promise<void>;
  /** Polled updates handled: recorded as handled (as markHandled) and out of the inbox, in one commit. */
  finishPolled(updateIds: number[], now: Date): Promise<void>;
  /**
   * How long handled updates may gather before finishPolled (see PollerInbox.finishAfterMs): 0 where finishing
   * records them as handled (SQLite), longer where each update's own commit did (PostgreSQL).
   */
  readonly finishPolledAfterMs: number;
  /** The unit of work of an update being handled, when it has one (PostgreSQL: its transaction). */
  unitOf(update: object): UnitOfWork | undefined;
  /** Several processes sending for one bot: this send's turn in their shared budget. */
  readonly reserveSend: ((chatId: number | string, isGroup: boolean) => Promise<Reservation>) | undefined;
  /**
   * Bounds how long this transaction waits for rows another holds (a send that finds a group migration may
   * come from an update whose transaction holds the old group's rows).
   */
  boundLockWait(tx: Transaction<Database>): Promise<void>;
  close(): Promise<void>;
}
