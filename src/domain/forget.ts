import type { Db } from '../db/index.ts';

export interface Forgotten {
  records: number;
  memberships: number;
  user: boolean;
}

/**
 * Forgets a member (an owner's `npm run forget -- <telegram-id>`): their records, their memberships and
 * their user row are deleted in one transaction. Group totals for past periods drop accordingly (stored
 * weekly summaries keep their figures but lose the name, which is removed from them too). Articles they
 * proposed or decided stay, without the link to them.
 */
export async function forgetMember(db: Db, userId: number): Promise<Forgotten> {
  return db.transaction().execute(async (tx) => {
    const records = await tx.deleteFrom('records').where('user_id', '=', userId).executeTakeFirst();
    const memberships = await tx
      .deleteFrom('memberships')
      .where('chat_id', '<', 0)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    await tx.updateTable('articles').set({ proposed_by: null }).where('proposed_by', '=', userId).execute();
    await tx.updateTable('articles').set({ decided_by: null }).where('decided_by', '=', userId).execute();
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
}
