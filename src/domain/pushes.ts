import { randomUUID } from 'node:crypto';
import { wroteRow, type Article, type Db, type Executor } from '../db/index.ts';
import { approvedFor } from './articles.ts';
import { activeGroups } from './chats.ts';
import { startJob } from './job-runs.ts';
import type { Day } from './periods.ts';

// The daily push, kept exactly once per group and day by state in the database:
//  - job_runs('push', day) says the day's push has started (so a restart resumes it rather than
//    starting over, and a group that joins later is not surprised by it);
//  - group_pushes(chat, day) says a group is due that day's articles;
//  - push_items(chat, article) is claimed *before* the message is sent and confirmed after, so no
//    article ever reaches a group twice. A claim whose send was cut short by a crash stays 'sending'
//    and is not retried: at most once, by choice (see README, "Exactly once").

/** Starts the day's push if it has not started: every active group becomes due. Returns whether it started now. */
export async function startDailyPush(db: Db, day: Day, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if (!(await startJob(tx, 'push', day, now))) return false;
    for (const group of await activeGroups(tx)) {
      await markGroupDue(tx, group.id, day, now);
    }
    return true;
  });
}

/** Makes one group due for a day's push (a leader's /push, or an owner's push to all). Returns false if it already was. */
export async function markGroupDue(db: Executor, chatId: number, day: Day, now: Date): Promise<boolean> {
  const r = await db
    .insertInto('group_pushes')
    .values({ chat_id: chatId, day, created_at: now.toISOString(), completed_at: null })
    .onConflict((oc) => oc.columns(['chat_id', 'day']).doNothing())
    .executeTakeFirst();
  return wroteRow(r);
}

export async function isGroupDue(db: Executor, chatId: number, day: Day): Promise<boolean> {
  const row = await db
    .selectFrom('group_pushes')
    .select('chat_id')
    .where('chat_id', '=', chatId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row !== undefined;
}

/** Active groups due for a day's push, those not yet complete first. */
export async function dueGroups(db: Executor, day: Day): Promise<number[]> {
  const rows = await db
    .selectFrom('group_pushes')
    .innerJoin('chats', 'chats.id', 'group_pushes.chat_id')
    .select(['group_pushes.chat_id', 'group_pushes.completed_at'])
    .where('group_pushes.day', '=', day)
    .where('chats.active', '=', 1)
    .where('chats.admission', '=', 'allowed')
    .orderBy('group_pushes.completed_at')
    .orderBy('group_pushes.chat_id')
    .execute();
  return rows.map((r) => Number(r.chat_id));
}

/** Today's articles a due group has not been sent (nor had claimed), in id order; and whether it got any yet. */
export async function undelivered(
  db: Executor,
  chatId: number,
  day: Day,
): Promise<{ articles: Article[]; firstOfDay: boolean }> {
  const articles = await approvedFor(db, day, chatId);
  const items = await db.selectFrom('push_items').select(['article_id', 'day']).where('chat_id', '=', chatId).execute();
  const claimed = new Set(items.map((i) => Number(i.article_id)));
  return { articles: articles.filter((a) => !claimed.has(a.id)), firstOfDay: !items.some((i) => i.day === day) };
}

/** Claims articles for one message to a group. Returns the batch id, or undefined if any was claimed meanwhile. */
export async function claim(
  db: Db,
  chatId: number,
  articleIds: number[],
  day: Day,
  now: Date,
): Promise<string | undefined> {
  const batch = randomUUID();
  return db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('push_items')
      .select('article_id')
      .where('chat_id', '=', chatId)
      .where('article_id', 'in', articleIds)
      .execute();
    if (taken.length > 0) return undefined;
    await tx
      .insertInto('push_items')
      .values(
        articleIds.map((article_id) => ({
          chat_id: chatId,
          article_id,
          day,
          batch,
          status: 'sending' as const,
          message_id: null,
          claimed_at: now.toISOString(),
          sent_at: null,
        })),
      )
      .execute();
    return batch;
  });
}

export async function confirmSent(
  db: Executor,
  chatId: number,
  batch: string,
  messageId: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable('push_items')
    .set({ status: 'sent', message_id: messageId, sent_at: now.toISOString() })
    .where('chat_id', '=', chatId)
    .where('batch', '=', batch)
    .execute();
}

/** A send that definitely failed (Telegram said no): release the claim so a later run may try again. */
export async function releaseClaim(db: Executor, chatId: number, batch: string): Promise<void> {
  await db.deleteFrom('push_items').where('chat_id', '=', chatId).where('batch', '=', batch).execute();
}

export async function completeGroup(db: Executor, chatId: number, day: Day, now: Date): Promise<void> {
  await db
    .updateTable('group_pushes')
    .set({ completed_at: now.toISOString() })
    .where('chat_id', '=', chatId)
    .where('day', '=', day)
    .where('completed_at', 'is', null)
    .execute();
}

/** Claims left 'sending' by a crash: the operator is told, since Loa cannot know whether Telegram got them. */
export async function interruptedClaims(db: Executor, day: Day): Promise<{ chat_id: number; article_id: number }[]> {
  return db
    .selectFrom('push_items')
    .select(['chat_id', 'article_id'])
    .where('day', '=', day)
    .where('status', '=', 'sending')
    .execute();
}

/** How far a day's push has come: the groups due, and those done. */
export async function pushGroups(db: Executor, day: Day): Promise<{ due: number; done: number }> {
  const groups = await db
    .selectFrom('group_pushes')
    .select((eb) => [eb.fn.countAll<number>().as('due'), eb.fn.count<number>('completed_at').as('done')])
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return { due: Number(groups.due), done: Number(groups.done) };
}

/** A day's push messages by status (sending: claimed, not yet confirmed). */
export async function pushMessages(db: Executor, day: Day): Promise<Record<'sending' | 'sent' | 'failed', number>> {
  const items = await db
    .selectFrom('push_items')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('day', '=', day)
    .groupBy('status')
    .execute();
  const messages = { sending: 0, sent: 0, failed: 0 };
  for (const row of items) messages[row.status] = Number(row.n);
  return messages;
}
