import { sql } from 'kysely';
import { inTransaction, type Db, type Executor, type LoaRecord, type RecordKind } from '../db/index.ts';
import { committedTogether } from '../db/group-commit.ts';
import { claimAndRecord } from '../db/press-claims.ts';
import { claimUpdate } from '../db/handled-updates.ts';
import { prepared } from '../db/prepared.ts';
import { getArticle } from './articles.ts';
import { lastOpenDay } from './campaigns.ts';
import { inServedGroup } from './chats.ts';
import { addDays, dayOf, dayPeriod, localDay, type Day, type Period, recordsIn } from './periods.ts';

// What members did: one record per (member, article, kind), one per (member, kind, link).

export interface Scoring {
  scoreShared: number;
  scoreRebutted: number;
  /** Rebuttals without an article that earn points, per member and local day (each needs only a new link). */
  rebuttalsPerDay: number;
  /** The zone whose calendar says which day it is (publish dates, the daily limit). */
  timezone: string;
  /** Days an article counts after its publish day (ARTICLE_OPEN_DAYS); undefined: it never closes by age. */
  articleOpenDays?: number;
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
  /**
   * `linkAdded`: the link went onto the member's earlier rebuttal of the article (a press), which kept its points;
   * `unscored`: kept, but over the day's limit of rebuttals without an article, so it earned nothing.
   */
  | { ok: true; record: LoaRecord; linkAdded?: true; unscored?: true }
  /** A clash with one of the member's records (this article and kind, or this link) when it was written. */
  | { ok: false; reason: 'duplicate' }
  | { ok: false; reason: 'unknown_article' | 'archived_article'; articleId: number }
  | { ok: false; reason: 'closed_article'; articleId: number; lastDay: Day };

/**
 * Whether an article may be recorded against, here and now. It must be meant for this chat (every group's, or
 * this group's; in private, every group's or one of the member's groups') and published on or before today.
 * Anything else is "unknown", whatever the reason, so an id reveals nothing of other groups or later days. An
 * article the chat could see but that was withdrawn since is "archived"; one past its last day (its window of
 * `openDays`, or its campaign's end) is "closed".
 */
export async function recordableArticle(
  db: Executor,
  id: number,
  where: { userId: number; chatId: number | undefined },
  today: Day,
  openDays?: number,
): Promise<
  | { ok: true }
  | { ok: false; reason: 'unknown_article' | 'archived_article' }
  | { ok: false; reason: 'closed_article'; lastDay: Day }
> {
  const article = await getArticle(db, id);
  const published =
    article !== undefined &&
    (article.state === 'approved' || article.state === 'archived') &&
    article.publish_date !== null &&
    article.publish_date <= today;
  if (!published || !(await meantFor(db, article.scope_chat_id, where)))
    return { ok: false, reason: 'unknown_article' };
  if (article.state === 'archived') return { ok: false, reason: 'archived_article' };
  const lastDay = lastOpenDay(article, openDays);
  if (lastDay !== undefined && today > lastDay) return { ok: false, reason: 'closed_article', lastDay };
  return { ok: true };
}

/** Whether an article for `scope` (null: every group) is meant for the chat a member records in. */
async function meantFor(
  db: Executor,
  scope: number | null,
  where: { userId: number; chatId: number | undefined },
): Promise<boolean> {
  if (scope === null) return true;
  if (where.chatId !== undefined) return Number(scope) === where.chatId;
  return inServedGroup(db, Number(scope), where.userId);
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
    unscored: number,
  ) =>
    db
      .insertInto('records')
      .values({ user_id, chat_id, article_id, kind, link, note, points, created_at, unscored })
      // Both unique indexes are partial, so no conflict target: any uniqueness clash means "already recorded".
      .onConflict((oc) => oc.doNothing())
      .returningAll(),
);

/**
 * Records what a member did. With `claim` (PostgreSQL, a press or recording command handled outside a transaction
 * of its own), the update is claimed by what writes the record: the statement shared with the presses beside it
 * (see claimAndRecord), except a link for an article (`/rebutted 12 <link>`), which has a short transaction. A
 * redelivery changes nothing and gets `repeated` (its claim marked so).
 */
export async function recordAction(
  db: Executor,
  req: RecordRequest,
  scoring: Scoring,
  now: Date,
  claim?: PressClaim,
): Promise<RecordResult | { ok: false; reason: 'repeated' }> {
  const today = localDay(now, scoring.timezone);
  if (req.articleId !== undefined) {
    const check = await recordableArticle(db, req.articleId, req, today, scoring.articleOpenDays);
    if (!check.ok) return { ...check, articleId: req.articleId };
  }
  // Records arriving together share one commit; the answer waits for it (see committedTogether).
  if (!claim || db.isTransaction) return committedTogether(db, (tx) => insertOrFind(tx, req, scoring, today, now));
  // A press, `/shared 12`, `/rebutted <link>`: claimed and written by the one statement shared with the presses
  // beside it. Not a link for an article (`/rebutted 12 <link>`), which may go onto an earlier rebuttal instead.
  if (req.articleId === undefined || req.link === undefined) {
    const outcome = await claimAndRecord(db as Db, {
      updateId: claim.updateId,
      userId: req.userId,
      chatId: req.chatId ?? null,
      articleId: req.articleId ?? null,
      kind: req.kind,
      points: pointsFor(req.kind, scoring),
      createdAt: now.toISOString(),
      link: req.link ?? null,
      note: req.note?.trim() || null,
      ...(req.kind === 'rebutted' && req.articleId === undefined ? { dailyCap: dailyCap(today, scoring) } : {}),
    });
    if (!outcome.claimed) {
      claim.repeated = true;
      return { ok: false, reason: 'repeated' };
    }
    return outcome.record ? recorded(outcome.record) : { ok: false, reason: 'duplicate' };
  }
  // The claim and the record commit together: in the commit shared with others, or in one of their own (alone, or
  // run again alone after the shared one failed).
  return committedTogether(db, (tx) =>
    inTransaction(tx, async (t) => {
      if (!(await claimUpdate(t, claim.updateId, now))) {
        claim.repeated = true;
        return { ok: false, reason: 'repeated' } as const;
      }
      return insertOrFind(t, req, scoring, today, now);
    }),
  );
}

/** A press's update, when the press itself must claim it (PostgreSQL: a press is handled outside a transaction). */
export interface PressClaim {
  updateId: number;
  /** Set when the claim found the update handled already (by another replica, or before a restart). */
  repeated?: boolean;
}

/**
 * A press of a Shared or Rebutted button under an article. With `claim` (PostgreSQL), the record and the update's
 * claim are written by one statement shared with the presses beside it (see claimAndRecord); a press whose update
 * was handled already changes nothing (its claim is marked `repeated`) and is answered with the record it made.
 */
export async function recordPress(
  db: Executor,
  req: RecordRequest & { articleId: number },
  scoring: Scoring,
  now: Date,
  claim: PressClaim | undefined,
): Promise<RecordResult | { ok: false; reason: 'repeated' }> {
  const result = await recordAction(db, req, scoring, now, claim);
  if (result.ok || result.reason !== 'repeated') return result;
  const existing = await db
    .selectFrom('records')
    .selectAll()
    .where('user_id', '=', req.userId)
    .where('kind', '=', req.kind)
    .where('article_id', '=', req.articleId)
    .executeTakeFirst();
  // Handled before: its answer may not have gone out (the process died between the commit and the answer), so it
  // is answered again as recorded, changing nothing; Telegram keeps the first answer to a press, so two are harmless.
  return existing ? { ok: true, record: existing } : { ok: false, reason: 'repeated' };
}

/** A record just written: recorded, and said so when it was kept unscored (past the day's limit). */
const recorded = (record: LoaRecord): RecordResult =>
  record.unscored ? { ok: true, record, unscored: true } : { ok: true, record };

/** The bounds of the local day, and how many scored rebuttals without an article it allows a member. */
function dailyCap(today: Day, scoring: Scoring): { from: string; to: string; limit: number } {
  const { from, to } = dayPeriod(today, scoring.timezone);
  return { from, to, limit: scoring.rebuttalsPerDay };
}

/** Whether the member has had the day's scored rebuttals without an article already. */
async function overDailyRebuttals(db: Executor, userId: number, scoring: Scoring, today: Day): Promise<boolean> {
  const day = dailyCap(today, scoring);
  const row = await db
    .selectFrom('records')
    .select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('kind', '=', 'rebutted')
    .where('article_id', 'is', null)
    .where('unscored', '=', 0)
    .where('created_at', '>=', day.from)
    .where('created_at', '<', day.to)
    .executeTakeFirstOrThrow();
  return Number(row.n) >= day.limit;
}

async function insertOrFind(
  db: Executor,
  req: RecordRequest,
  scoring: Scoring,
  today: Day,
  now: Date,
): Promise<RecordResult> {
  // A rebuttal needs only a new link each time: without an article, only so many a day earn points.
  const unscored =
    req.kind === 'rebutted' &&
    req.articleId === undefined &&
    (await overDailyRebuttals(db, req.userId, scoring, today));
  const [inserted] = await insertRecord(
    db,
    req.userId,
    req.chatId ?? null,
    req.articleId ?? null,
    req.kind,
    req.link ?? null,
    req.note?.trim() || null,
    unscored ? 0 : pointsFor(req.kind, scoring),
    now.toISOString(),
    unscored ? 1 : 0,
  );
  if (inserted) return recorded(inserted);
  if (req.kind === 'rebutted' && req.articleId !== undefined && req.link !== undefined) {
    const linked = await addLinkToRebuttal(db, req as RecordRequest & { articleId: number; link: string });
    if (linked) return linked;
  }
  // The clash itself says the member recorded this before; the record need not be read (an /undo may even have
  // removed it since, on another connection: "already recorded" was still true when this was written).
  return { ok: false, reason: 'duplicate' };
}

/**
 * `/rebutted 12 <link>` after pressing 🛡 under #12 (which is what the press's answer asks for): the link goes onto
 * that rebuttal, which keeps the points it earned. Undefined when there is no such rebuttal without a link, or the
 * member used this link already.
 */
async function addLinkToRebuttal(
  db: Executor,
  req: RecordRequest & { articleId: number; link: string },
): Promise<RecordResult | undefined> {
  const sameLink = await db
    .selectFrom('records')
    .select('id')
    .where('user_id', '=', req.userId)
    .where('kind', '=', 'rebutted')
    .where('link', '=', req.link)
    .executeTakeFirst();
  if (sameLink) return undefined;
  const updated = await db
    .updateTable('records')
    .set({ link: req.link, ...(req.note?.trim() ? { note: req.note.trim() } : {}) })
    .where('user_id', '=', req.userId)
    .where('kind', '=', 'rebutted')
    .where('article_id', '=', req.articleId)
    .where('link', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return updated ? { ok: true, record: updated, linkAdded: true } : undefined;
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
    .where('user_id', '=', userId)
    .where('unscored', '=', 0);
  if (period) q = q.where(recordsIn(period));
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
