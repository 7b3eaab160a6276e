import { sql } from 'kysely';
import type { Executor, LoaRecord, RecordKind } from '../db/index.ts';
import { committedTogether } from '../db/group-commit.ts';
import { prepared } from '../db/prepared.ts';
import { getArticle } from './articles.ts';
import { addDays, dayOf, type Day, type Period } from './periods.ts';

// What members did: one record per (member, article, kind), one per (member, kind, link).

export interface Scoring {
  scoreShared: number;
  scoreRebutted: number;
}

export const pointsFor = (kind: RecordKind, s: Scoring): number =>
  kind === 'shared' ? s.scoreShared : s.scoreRebutted;

export interface RecordRequest {
  userId: number;
  /** The group it was made in; undefined when made in private. */
  chatId: number | undefined;
  articleId: number | undefined;
  kind: RecordKind;
  link?: string | undefined;
  note?: string | undefined;
}

export type RecordResult =
  | { ok: true; record: LoaRecord }
  | { ok: false; reason: 'duplicate'; existing: LoaRecord }
  | { ok: false; reason: 'unknown_article' | 'archived_article' | 'unapproved_article'; articleId: number };

/** Checks that an article may be recorded against: it exists and is approved (an archived one is closed). */
export async function recordableArticle(
  db: Executor,
  id: number,
): Promise<{ ok: true } | { ok: false; reason: 'unknown_article' | 'archived_article' | 'unapproved_article' }> {
  const article = await getArticle(db, id);
  if (!article) return { ok: false, reason: 'unknown_article' };
  if (article.state === 'archived') return { ok: false, reason: 'archived_article' };
  if (article.state !== 'approved') return { ok: false, reason: 'unapproved_article' };
  return { ok: true };
}

// Run for every press and recording command: compiled once.
const insertRecord = prepared(
  (
    db,
    user_id: number,
    chat_id: number | null,
    article_id: number | null,
    kind: RecordKind,
    link: string | null,
    note: string | null,
    points: number,
    created_at: string,
  ) =>
    db
      .insertInto('records')
      .values({ user_id, chat_id, article_id, kind, link, note, points, created_at })
      // Both unique indexes are partial, so no conflict target: any uniqueness clash means "already recorded".
      .onConflict((oc) => oc.doNothing())
      .returningAll(),
);

export async function recordAction(
  db: Executor,
  req: RecordRequest,
  scoring: Scoring,
  now: Date,
): Promise<RecordResult> {
  if (req.articleId !== undefined) {
    const check = await recordableArticle(db, req.articleId);
    if (!check.ok) return { ok: false, reason: check.reason, articleId: req.articleId };
  }
  // Presses arriving together share one commit; the answer waits for it (see committedTogether).
  return committedTogether(db, (tx) => insertOrFind(tx, req, scoring, now));
}

async function insertOrFind(db: Executor, req: RecordRequest, scoring: Scoring, now: Date): Promise<RecordResult> {
  const [inserted] = await insertRecord(
    db,
    req.userId,
    req.chatId ?? null,
    req.articleId ?? null,
    req.kind,
    req.link ?? null,
    req.note?.trim() || null,
    pointsFor(req.kind, scoring),
    now.toISOString(),
  );
  if (inserted) return { ok: true, record: inserted };
  let q = db.selectFrom('records').selectAll().where('user_id', '=', req.userId).where('kind', '=', req.kind);
  q =
    req.articleId !== undefined && req.link !== undefined
      ? q.where((eb) => eb.or([eb('article_id', '=', req.articleId!), eb('link', '=', req.link!)]))
      : req.articleId !== undefined
        ? q.where('article_id', '=', req.articleId)
        : q.where('link', '=', req.link ?? '');
  const existing = await q.executeTakeFirst();
  if (!existing) throw new Error('record was neither inserted nor found');
  return { ok: false, reason: 'duplicate', existing };
}

export const UNDO_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Removes the member's most recent record from the last 24 hours; returns it, or undefined. */
export async function undoLast(db: Executor, userId: number, now: Date): Promise<LoaRecord | undefined> {
  const since = new Date(now.getTime() - UNDO_WINDOW_MS).toISOString();
  const last = await db
    .selectFrom('records')
    .selectAll()
    .where('user_id', '=', userId)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!last) return undefined;
  await db.deleteFrom('records').where('id', '=', last.id).execute();
  return last;
}

export interface Tally {
  shared: number;
  rebutted: number;
  points: number;
}

export async function tally(db: Executor, userId: number, period: Period | undefined): Promise<Tally> {
  let q = db
    .selectFrom('records')
    .select([
      sql<number>`coalesce(sum(case when kind = 'shared' then 1 else 0 end), 0)`.as('shared'),
      sql<number>`coalesce(sum(case when kind = 'rebutted' then 1 else 0 end), 0)`.as('rebutted'),
      sql<number>`coalesce(sum(points), 0)`.as('points'),
    ])
    .where('user_id', '=', userId);
  if (period) q = q.where('created_at', '>=', period.from).where('created_at', '<', period.to);
  const row = await q.executeTakeFirstOrThrow();
  return { shared: Number(row.shared), rebutted: Number(row.rebutted), points: Number(row.points) };
}

/**
 * Consecutive local days, ending today (or yesterday, so a streak is not lost before the member
 * has had a chance today), with at least one record.
 */
export async function streak(db: Executor, userId: number, today: Day, zone: string): Promise<number> {
  const rows = await db
    .selectFrom('records')
    .select('created_at')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(5000)
    .execute();
  const days = new Set(rows.map((r) => dayOf(r.created_at, zone)));
  return countStreak(days, today);
}

export function countStreak(days: ReadonlySet<Day>, today: Day): number {
  let day = days.has(today) ? today : addDays(today, -1);
  let n = 0;
  while (days.has(day)) {
    n += 1;
    day = addDays(day, -1);
  }
  return n;
}
