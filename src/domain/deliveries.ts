import { wroteRow, type Executor } from '../db/index.ts';
import type { GroupSummary } from './reports.ts';

// Scheduled reports go out at most once per kind, period and chat, like the push: claimed just before the
// send, confirmed after; a definite failure releases the claim so a later run may try again.

export type ReportKind = 'leaderboard' | 'weekly' | 'rollup';

export async function claimReport(
  db: Executor,
  kind: ReportKind,
  period: string,
  chatId: number,
  now: Date,
): Promise<boolean> {
  const r = await db
    .insertInto('report_deliveries')
    .values({ kind, period, chat_id: chatId, status: 'sending', claimed_at: now.toISOString(), sent_at: null })
    .onConflict((oc) => oc.columns(['kind', 'period', 'chat_id']).doNothing())
    .executeTakeFirst();
  return wroteRow(r);
}

export async function confirmReport(
  db: Executor,
  kind: ReportKind,
  period: string,
  chatId: number,
  now: Date,
): Promise<void> {
  await db
    .updateTable('report_deliveries')
    .set({ status: 'sent', sent_at: now.toISOString() })
    .where('kind', '=', kind)
    .where('period', '=', period)
    .where('chat_id', '=', chatId)
    .execute();
}

export async function releaseReport(db: Executor, kind: ReportKind, period: string, chatId: number): Promise<void> {
  await db
    .deleteFrom('report_deliveries')
    .where('kind', '=', kind)
    .where('period', '=', period)
    .where('chat_id', '=', chatId)
    .execute();
}

export async function reportDelivered(
  db: Executor,
  kind: ReportKind,
  period: string,
  chatId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('report_deliveries')
    .select('status')
    .where('kind', '=', kind)
    .where('period', '=', period)
    .where('chat_id', '=', chatId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The stored weekly summary of a group, made once so it can be shown again unchanged. */
export async function storedWeekly(db: Executor, chatId: number, week: string): Promise<GroupSummary | undefined> {
  const row = await db
    .selectFrom('weekly_summaries')
    .select('data')
    .where('chat_id', '=', chatId)
    .where('week', '=', week)
    .executeTakeFirst();
  return row ? (JSON.parse(row.data) as GroupSummary) : undefined;
}

/** Stores a weekly summary unless one is stored already; returns the one that is kept. */
export async function keepWeekly(
  db: Executor,
  chatId: number,
  week: string,
  summary: GroupSummary,
  now: Date,
): Promise<GroupSummary> {
  await db
    .insertInto('weekly_summaries')
    .values({ chat_id: chatId, week, data: JSON.stringify(summary), created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['chat_id', 'week']).doNothing())
    .execute();
  return (await storedWeekly(db, chatId, week))!;
}
