import type { Executor } from '../db/index.ts';

// Update ids already handled. Marked after the update's effects, so a crash in between means the update is
// handled again (at least once), which the records' own uniqueness makes harmless; what this prevents is
// the common case: Telegram redelivering an update it was not sure we had.

export async function alreadyHandled(db: Executor, updateId: number): Promise<boolean> {
  const row = await db.selectFrom('processed_updates').select('update_id').where('update_id', '=', updateId).executeTakeFirst();
  return row !== undefined;
}

export async function markHandled(db: Executor, updateId: number, now: Date): Promise<void> {
  await db.insertInto('processed_updates').values({ update_id: updateId, handled_at: now.toISOString() }).onConflict((oc) => oc.column('update_id').doNothing()).execute();
}

/** Forgets update ids older than a week (Telegram keeps undelivered updates for 24 hours). */
export async function pruneHandled(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('processed_updates').where('handled_at', '<', new Date(now.getTime() - 7 * 86_400_000).toISOString()).execute();
}
