import type { Db } from '../db/index.ts';
import { eraseOnDelete, scrubFreedSpace } from '../db/scrub.ts';

export interface Forgotten {
  records: number;
  memberships: number;
  user: boolean;
  /** Whether the deleted bytes are erased from the database files already (see scrubFreedSpace). */
  scrubbed: boolean;
}

/** Every table that can hold a member's id or words, so each is rewritten after a forget (PostgreSQL). */
const TOUCHED = [
  'records',
  'memberships',
  'articles',
  'weekly_summaries',
  'report_deliveries',
  'send_budget',
  'reminder_deliveries',
  // A member's words in an update not yet handled (emptied within moments as updates are handled).
  'inbox',
  'push_items',
  'group_pushes',
  'chats',
  'users',
] as const;

/**
 * Forgets a member (an owner's `npm run forget -- <telegram-id>`), leaving no trace of them in any table: their
 * records, memberships, user row, the reports sent to them in private and their private chat's send budget are
 * deleted, and their id is taken off the articles they proposed (in a group or in private) or decided, in one
 * transaction. Group totals for past periods drop accordingly; stored weekly summaries keep their figures but
 * lose the name. Then the freed space is erased (SQLite: zeros and a truncated WAL; PostgreSQL: the tables
 * rewritten). Backups made before still hold the member (README, "Forgetting a member").
 */
export async function forgetMember(db: Db, userId: number): Promise<Forgotten> {
  await eraseOnDelete(db);
  const done = await db.transaction().execute(async (tx) => {
    const records = await tx.deleteFrom('records').where('user_id', '=', userId).executeTakeFirst();
    const memberships = await tx.deleteFrom('memberships').where('user_id', '=', userId).executeTakeFirst();
    await tx.updateTable('articles').set({ proposed_by: null }).where('proposed_by', '=', userId).execute();
    await tx.updateTable('articles').set({ decided_by: null }).where('decided_by', '=', userId).execute();
    await tx.updateTable('campaigns').set({ created_by: null }).where('created_by', '=', userId).execute();
    // A proposal sent in private names the private chat, whose id is the member's.
    await tx.updateTable('articles').set({ proposed_in: null }).where('proposed_in', '=', userId).execute();
    // What was sent to them in private (the leaders' roll-ups), and their private chat's pacing.
    await tx.deleteFrom('report_deliveries').where('chat_id', '=', userId).execute();
    await tx.deleteFrom('reminder_deliveries').where('user_id', '=', userId).execute();
    await tx.deleteFrom('push_items').where('chat_id', '=', userId).execute();
    await tx.deleteFrom('group_pushes').where('chat_id', '=', userId).execute();
    await tx.deleteFrom('send_budget').where('key', '=', `p${userId}`).execute();
    await tx.deleteFrom('chats').where('id', '=', userId).execute();
    // Stored weekly summaries name the top five: replace this member's name there.
    const summaries = await tx
      .selectFrom('weekly_summaries')
      .select(['chat_id', 'week', 'data'])
      .where('data', 'like', `%"userId":${userId},%`)
      .execute();
    for (const s of summaries) {
      const data = JSON.parse(s.data) as {
        top?: { userId: number; firstName: string; lastName: string | null; username: string | null }[];
      };
      for (const row of data.top ?? []) {
        if (row.userId === userId) Object.assign(row, { userId: 0, firstName: '—', lastName: null, username: null });
      }
      await tx
        .updateTable('weekly_summaries')
        .set({ data: JSON.stringify(data) })
        .where('chat_id', '=', s.chat_id)
        .where('week', '=', s.week)
        .execute();
    }
    const user = await tx.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
    return {
      records: Number(records.numDeletedRows),
      memberships: Number(memberships.numDeletedRows),
      user: Number(user.numDeletedRows) > 0,
    };
  });
  const scrubbed = await scrubFreedSpace(db, TOUCHED);
  return { ...done, scrubbed };
}
