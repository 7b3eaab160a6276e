import { wroteRow, type Executor } from './index.ts';

// Update ids already handled. Marked after the update's effects, so a crash in between means the update is
// handled again (at least once), which the records' own uniqueness makes harmless; what this prevents is
// the common case: Telegram redelivering an update it was not sure we had.

export async function alreadyHandled(db: Executor, updateId: number): Promise<boolean> {
  const row = await db
    .selectFrom('processed_updates')
    .select('update_id')
    .where('update_id', '=', updateId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The handled-update check without a query per update: Telegram's update ids only grow, so an id above
 * the highest one stored when this process started can only be a repeat of one this process handled,
 * which it remembers (the last 10,000). Ids at or below that mark are looked up in the database.
 */
export class HandledUpdates {
  private readonly recent = new Set<number>();

  private constructor(
    private readonly db: Executor,
    private readonly storedMax: number,
  ) {}

  static async load(db: Executor): Promise<HandledUpdates> {
    const row = await db
      .selectFrom('processed_updates')
      .select((eb) => eb.fn.max('update_id').as('max'))
      .executeTakeFirst();
    return new HandledUpdates(db, Number(row?.max ?? -1));
  }

  async seen(updateId: number): Promise<boolean> {
    if (this.recent.has(updateId)) return true;
    return updateId <= this.storedMax && alreadyHandled(this.db, updateId);
  }

  /** Remembers an update taken for handling, so a redelivery while or after it is handled is seen as one. */
  remember(updateId: number): void {
    this.recent.add(updateId);
    // A Set keeps insertion order: drop the oldest ids, without copying the set each time.
    if (this.recent.size > 10_000) {
      for (const id of this.recent) {
        if (this.recent.size <= 10_000) break;
        this.recent.delete(id);
      }
    }
  }

  /** Stores handled updates, so a restart knows them too. */
  async mark(updateIds: number[], now: Date): Promise<void> {
    for (const id of updateIds) this.remember(id);
    await markHandled(this.db, updateIds, now);
  }
}

/** Marks updates as handled, in one statement (a polled batch at a time: one commit, not one per update). */
export async function markHandled(db: Executor, updateIds: number[], now: Date): Promise<void> {
  if (updateIds.length > 0) await insertHandled(db, updateIds, now);
}

function insertHandled(db: Executor, updateIds: number[], now: Date) {
  const at = now.toISOString();
  return db
    .insertInto('processed_updates')
    .values(updateIds.map((update_id) => ({ update_id, handled_at: at })))
    .onConflict((oc) => oc.column('update_id').doNothing())
    .executeTakeFirst();
}

/** Forgets update ids older than a week (Telegram keeps undelivered updates for 24 hours). */
export async function pruneHandled(db: Executor, now: Date): Promise<void> {
  await db
    .deleteFrom('processed_updates')
    .where('handled_at', '<', new Date(now.getTime() - 7 * 86_400_000).toISOString())
    .execute();
}

/**
 * Claims an update for handling inside the transaction that will hold its effects: true if this is its
 * first delivery. A replica handling the same update at the same moment waits on the row until this
 * transaction ends, then finds it (committed: a repeat) or not (rolled back: its turn).
 */
export async function claimUpdate(db: Executor, updateId: number, now: Date): Promise<boolean> {
  return wroteRow(await insertHandled(db, [updateId], now));
}
