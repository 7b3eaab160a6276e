import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import type { Campaign } from '../db/index.ts';
import { campaignPeriod, campaignsDuring } from './campaigns.ts';
import { GONE_STATUSES } from './chats.ts';
import { addDays, dayOf, previousWeekOf, type Day, type Period, recordsIn } from './periods.ts';
import { groupRanking, type ScoreRow } from './scores.ts';

// The figures leaders read: a group's summary for a period, and groups ranked against each other.

export interface DayCount {
  day: Day;
  shared: number;
  rebutted: number;
}

export interface ArticleCount {
  id: number;
  title: string;
  shared: number;
  rebutted: number;
}

export interface GroupSummary {
  chatId: number;
  title: string;
  firstDay: Day;
  lastDay: Day;
  articlesPushed: number;
  shared: number;
  rebutted: number;
  points: number;
  perArticle: ArticleCount[];
  /** Members with at least one record in the period. */
  participants: number;
  /** Members known in the group (seen, and not left). */
  known: number;
  /** participants / known, 0 when nobody is known. */
  participation: number;
  /** The same rate for the period before, when asked for. */
  previousParticipation: number | null;
  top: ScoreRow[];
  perDay: DayCount[];
  /** The group's weekly participation target in percent, shown when the period is one whole week. */
  target?: number | null;
  /** Campaigns running in the group during the period, with their progress up to its last day. */
  campaigns?: CampaignProgress[];
}

export async function knownMembers(db: Executor, chatId: number): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select(sql<number>`count(*)`.as('n'))
    .where('chat_id', '=', chatId)
    .where('status', 'not in', GONE_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function rate(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.min(1, part / whole);
}

async function participants(db: Executor, chatId: number, period: Period): Promise<number> {
  const row = await db
    .selectFrom('records')
    .select(sql<number>`count(distinct user_id)`.as('n'))
    .where('chat_id', '=', chatId)
    .where(recordsIn(period))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every day of a period, in order (for charts and per-day tables). */
export function daysOf(period: Pick<Period, 'firstDay' | 'lastDay'>): Day[] {
  const days: Day[] = [];
  for (let d = period.firstDay; d <= period.lastDay; d = addDays(d, 1)) days.push(d);
  return days;
}

export async function groupSummary(
  db: Executor,
  chatId: number,
  period: Period,
  zone: string,
  previous?: Period,
): Promise<GroupSummary> {
  const chat = await db
    .selectFrom('chats')
    .select(['title', 'weekly_target'])
    .where('id', '=', chatId)
    .executeTakeFirst();
  const running =
    period.campaign === undefined ? await campaignsDuring(db, chatId, period.firstDay, period.lastDay) : [];
  const campaigns = await Promise.all(running.map((c) => campaignProgress(db, chatId, c, period.lastDay, zone)));
  const [ranking, known, active, prevActive, pushed] = await Promise.all([
    groupRanking(db, chatId, period),
    knownMembers(db, chatId),
    participants(db, chatId, period),
    previous ? participants(db, chatId, previous) : Promise.resolve(undefined),
    db
      .selectFrom('push_items')
      .select(sql<number>`count(distinct article_id)`.as('n'))
      .where('chat_id', '=', chatId)
      .where('status', '=', 'sent')
      .where('day', '>=', period.firstDay)
      .where('day', '<=', period.lastDay)
      .executeTakeFirstOrThrow(),
  ]);
  const perArticle = await db
    .selectFrom('records')
    .innerJoin('articles', 'articles.id', 'records.article_id')
    .select([
      'articles.id as id',
      'articles.title as title',
      sql<number>`sum(case when records.kind = 'shared' then 1 else 0 end)`.as('shared'),
      sql<number>`sum(case when records.kind = 'rebutted' then 1 else 0 end)`.as('rebutted'),
    ])
    .where('records.chat_id', '=', chatId)
    .where(recordsIn(period))
    .groupBy(['articles.id', 'articles.title'])
    .orderBy('articles.id')
    .execute();
  const rows = await db
    .selectFrom('records')
    .select(['created_at', 'kind'])
    .where('chat_id', '=', chatId)
    .where('unscored', '=', 0)
    .where(recordsIn(period))
    .execute();
  const perDay = new Map(daysOf(period).map((day) => [day, { day, shared: 0, rebutted: 0 }]));
  for (const r of rows) {
    const bucket = perDay.get(dayOf(r.created_at, zone));
    if (bucket) bucket[r.kind] += 1;
  }
  const shared = ranking.reduce((n, r) => n + r.shared, 0);
  const rebutted = ranking.reduce((n, r) => n + r.rebutted, 0);
  return {
    chatId,
    title: chat?.title ?? String(chatId),
    firstDay: period.firstDay,
    lastDay: period.lastDay,
    articlesPushed: Number(pushed.n),
    shared,
    rebutted,
    points: ranking.reduce((n, r) => n + r.points, 0),
    perArticle: perArticle.map((a) => ({
      id: Number(a.id),
      title: a.title,
      shared: Number(a.shared),
      rebutted: Number(a.rebutted),
    })),
    participants: active,
    known: Math.max(known, active),
    participation: rate(active, Math.max(known, active)),
    previousParticipation: prevActive === undefined ? null : rate(prevActive, Math.max(known, prevActive)),
    top: ranking.slice(0, 5),
    perDay: [...perDay.values()],
    target: isWholeWeek(period, zone) ? (chat?.weekly_target ?? null) : null,
    campaigns,
  };
}

/** Monday to Sunday, and not a campaign's days: a week the weekly target speaks of. */
function isWholeWeek(period: Period, zone: string): boolean {
  return period.campaign === undefined && previousWeekOf(period, zone) !== undefined;
}

/** A group's weekly participation target, in percent; null to have none. */
export async function setWeeklyTarget(db: Executor, chatId: number, percent: number | null): Promise<void> {
  await db.updateTable('chats').set({ weekly_target: percent }).where('id', '=', chatId).execute();
}

export async function weeklyTarget(db: Executor, chatId: number): Promise<number | null> {
  const row = await db.selectFrom('chats').select('weekly_target').where('id', '=', chatId).executeTakeFirst();
  return row?.weekly_target ?? null;
}

/** Members more needed for a participation target (0: reached). */
export function shortOfTarget(s: Pick<GroupSummary, 'participants' | 'known'>, targetPercent: number): number {
  return Math.max(0, Math.ceil((targetPercent / 100) * s.known - 1e-9) - s.participants);
}

/** Members known in a group with no record in the period: for leaders' eyes only. */
export async function inactiveMembers(
  db: Executor,
  chatId: number,
  period: Period,
): Promise<{ id: number; first_name: string; last_name: string | null; username: string | null }[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.first_name', 'users.last_name', 'users.username'])
    .where('memberships.chat_id', '=', chatId)
    .where('memberships.status', 'not in', GONE_STATUSES)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('records')
            .select('records.id')
            .whereRef('records.user_id', '=', 'users.id')
            .where('records.chat_id', '=', chatId)
            .where(recordsIn(period)),
        ),
      ),
    )
    .orderBy('users.first_name')
    .execute();
}

export interface GroupRow {
  chatId: number;
  title: string;
  active: number;
  known: number;
  participation: number;
  shared: number;
  rebutted: number;
  points: number;
  pointsPerMember: number;
}

/** Groups ranked against each other for a period: by participation, then points per member. */
export async function groupsRanking(
  db: Executor,
  chatIds: number[] | 'all',
  period: Period | undefined,
): Promise<GroupRow[]> {
  let groups = db
    .selectFrom('chats')
    .select(['id', 'title'])
    .where('active', '=', 1)
    .where('admission', '=', 'allowed')
    .where('type', 'in', ['group', 'supergroup']);
  if (chatIds !== 'all') {
    if (chatIds.length === 0) return [];
    groups = groups.where('id', 'in', chatIds);
  }
  const chats = await groups.execute();
  if (chats.length === 0) return [];
  const ids = chats.map((c) => c.id);
  let q = db
    .selectFrom('records')
    .select([
      'chat_id',
      sql<number>`count(distinct user_id)`.as('active'),
      sql<number>`sum(case when kind = 'shared' then 1 else 0 end)`.as('shared'),
      sql<number>`sum(case when kind = 'rebutted' then 1 else 0 end)`.as('rebutted'),
      sql<number>`sum(points)`.as('points'),
    ])
    .where('chat_id', 'in', ids)
    .where('unscored', '=', 0)
    .groupBy('chat_id');
  if (period) q = q.where(recordsIn(period));
  const [figures, known] = await Promise.all([
    q.execute(),
    db
      .selectFrom('memberships')
      .select(['chat_id', sql<number>`count(*)`.as('n')])
      .where('chat_id', 'in', ids)
      .where('status', 'not in', GONE_STATUSES)
      .groupBy('chat_id')
      .execute(),
  ]);
  const byChat = new Map(figures.map((f) => [Number(f.chat_id), f]));
  const knownBy = new Map(known.map((k) => [Number(k.chat_id), Number(k.n)]));
  return chats
    .map((c) => {
      const f = byChat.get(c.id);
      const active = Number(f?.active ?? 0);
      const members = Math.max(knownBy.get(c.id) ?? 0, active);
      const points = Number(f?.points ?? 0);
      return {
        chatId: c.id,
        title: c.title ?? String(c.id),
        active,
        known: members,
        participation: rate(active, members),
        shared: Number(f?.shared ?? 0),
        rebutted: Number(f?.rebutted ?? 0),
        points,
        pointsPerMember: members === 0 ? 0 : points / members,
      };
    })
    .sort(
      (a, b) =>
        b.participation - a.participation || b.pointsPerMember - a.pointsPerMember || a.title.localeCompare(b.title),
    );
}

/** Groups with any record in a period (the evening leaderboard goes only to those). */
export async function groupsWithActivity(db: Executor, period: Period): Promise<number[]> {
  const rows = await db
    .selectFrom('records')
    .innerJoin('chats', 'chats.id', 'records.chat_id')
    .select('records.chat_id')
    .distinct()
    .where('chats.active', '=', 1)
    .where('chats.admission', '=', 'allowed')
    .where(recordsIn(period))
    .execute();
  return rows.map((r) => Number(r.chat_id));
}

export interface CampaignProgress {
  name: string;
  /** Its articles this group sees. */
  articles: number;
  /** Members of the group who acted on at least one of them, of the members known. */
  participants: number;
  known: number;
  participation: number;
  records: number;
}

/** How far a group has gone with a campaign, from its first day to `today`. */
export async function campaignProgress(
  db: Executor,
  chatId: number,
  campaign: Campaign,
  today: Day,
  zone: string,
): Promise<CampaignProgress> {
  const period = campaignPeriod(campaign, today, zone);
  const [articles, acted, known] = await Promise.all([
    db
      .selectFrom('article_campaigns')
      .innerJoin('articles', 'articles.id', 'article_campaigns.article_id')
      .select(sql<number>`count(*)`.as('n'))
      .where('article_campaigns.campaign_id', '=', campaign.id)
      .where('articles.state', '=', 'approved')
      .where((eb) => eb.or([eb('articles.scope_chat_id', 'is', null), eb('articles.scope_chat_id', '=', chatId)]))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('records')
      .select([sql<number>`count(distinct user_id)`.as('people'), sql<number>`count(*)`.as('n')])
      .where('chat_id', '=', chatId)
      .where(recordsIn(period))
      .executeTakeFirstOrThrow(),
    knownMembers(db, chatId),
  ]);
  const participants = Number(acted.people);
  const members = Math.max(known, participants);
  return {
    name: campaign.name,
    articles: Number(articles.n),
    participants,
    known: members,
    participation: rate(participants, members),
    records: Number(acted.n),
  };
}
