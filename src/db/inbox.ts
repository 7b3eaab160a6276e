import type { Update } from 'telegraf/types';
import type { Executor } from './index.ts';

// Updates taken by long polling and not yet handled (migration 0010). The poller stores each batch here before its
// next poll confirms the batch to Telegram, so the offset moves on at once and one slow chat cannot hold the
// 100 updates Telegram hands out from the offset; a row leaves when its update is handled (and recorded as such,
// in the same commit on SQLite). After a crash, what is left is handled at the next start, before polling: the
// unfinished are handled again, the handled are not (see HandledUpdates and claimUpdate).

/** Stores updates just taken from Telegram, in one statement; one stored already is left as it is. */
export async function keepInInbox(db: Executor, updates: Update[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const at = now.toISOString();
  await db
    .insertInto('inbox')
    .values(updates.map((u) => ({ update_id: u.update_id, body: JSON.stringify(u), received_at: at })))
    .onConflict((oc) => oc.column('update_id').doNothing())
    .execute();
}

/** Updates left unfinished by an earlier run, oldest first. */
export async function unfinishedInInbox(db: Executor): Promise<Update[]> {
  const rows = await db.selectFrom('inbox').select('body').orderBy('update_id').execute();
  return rows.map((r) => JSON.parse(r.body) as Update);
}

/** Takes handled updates out of the inbox. */
export async function dropFromInbox(db: Executor, updateIds: number[]): Promise<void> {
  if (updateIds.length > 0) await db.deleteFrom('inbox').where('update_id', 'in', updateIds).execute();
}
