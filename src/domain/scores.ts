import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { recordsIn, type Period } from './periods.ts';

// Ranking: points, then rebuttals, then whoever reached their score first (earliest last record).

export interface ScoreRow {
  rank: number;
  userId: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  shared: number;
  rebutted: number;
  points: number;
  reachedAt: string;
}

export function compareScores(a: Omit<ScoreRow, 'rank'>, b: Omit<ScoreRow, 'rank'>): number {
  return (
    b.points - a.points || b.rebutted - a.rebutted || a.reachedAt.localeCompare(b.reachedAt) || a.userId - b.userId
  );
}

/** Every member of a group with a record in the period, ranked. Period undefined means all time. */
export async function groupRanking(db: Executor, chatId: number, period: Period | undefined): Promise<ScoreRow[]> {
  let q = db
    .selectFrom('records')
    .innerJoin('users', 'users.id', 'records.user_id')
    .select([
      'records.user_id as userId',
      'users.first_name as firstName',
      'users.last_name as lastName',
      'users.username as username',
      sql<number>`sum(case when records.kind = 'shared' then 1 else 0 end)`.as('shared'),
      sql<number>`sum(case when records.kind = 'rebutted' then 1 else 0 end)`.as('rebutted'),
      sql<number>`sum(records.points)`.as('points'),
      sql<string>`max(records.created_at)`.as('reachedAt'),
    ])
    .where('records.chat_id', '=', chatId)
    // A rebuttal over the day's limit is kept for the export, but counts for nothing.
    .where('records.unscored', '=', 0)
    .groupBy(['records.user_id', 'users.first_name', 'users.last_name', 'users.username']);
  if (period) q = q.where(recordsIn(period));
  const rows = (await q.execute()).map((r) => ({
    userId: Number(r.userId),
    firstName: r.firstName,
    lastName: r.lastName,
    username: r.username,
    shared: Number(r.shared),
    rebutted: Number(r.rebutted),
    points: Number(r.points),
    reachedAt: String(r.reachedAt),
  }));
  return rows.sort(compareScores).map((r, i) => ({ ...r, rank: i + 1 }));
}
