import { type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Campaign, Database, Executor } from '../db/index.ts';
import { addDays, daysPeriod, foldDiacritics, type Day, type Period } from './periods.ts';

// Campaigns: a name, an audience (one group, or every group for an owner's), a span of days, and the articles
// leaders put in it. A campaign is also a period for the reports: its days, and only its articles' records.

/**
 * A campaign's name as typed: a letter, then letters, digits, "_" and "-", up to 32 in all, with or without a
 * leading "#". It starts with a letter so that "#12" stays an article number.
 */
const NAME = /^#?(\p{L}[\p{L}\p{N}_-]{0,31})$/u;

export function campaignName(text: string): { name: string; slug: string } | undefined {
  const m = NAME.exec(text.normalize('NFC'));
  if (!m) return undefined;
  const name = m[1]!;
  return { name, slug: foldDiacritics(name).toLowerCase() };
}

/** Whether a word names a campaign ("#tet2027"): how /summary, /leaderboard and /post tell one from a period. */
export const isCampaignTag = (word: string): boolean => word.startsWith('#') && campaignName(word) !== undefined;

export type CampaignAudience = number | null;

export interface NewCampaign {
  text: string;
  scopeChatId: CampaignAudience;
  firstDay: Day;
  lastDay: Day | undefined;
  by: number;
}

export type CampaignResult =
  | { ok: true; campaign: Campaign }
  | { ok: false; reason: 'bad_name' | 'reversed' | 'ended' | 'not_found' }
  | { ok: false; reason: 'taken'; existing: Campaign };

/**
 * Campaigns seen from some groups: every group's, and those of the groups given; `'all'` sees every campaign.
 * An owner's every-group campaign is seen from all groups, so its name clashes with any group's.
 */
function seenFrom(scope: number | number[] | 'all') {
  return (eb: ExpressionBuilder<Database, 'campaigns'>): Expression<SqlBool> => {
    if (scope === 'all') return eb.lit(true);
    const groups = Array.isArray(scope) ? scope : [scope];
    if (groups.length === 0) return eb('scope_chat_id', 'is', null);
    return eb.or([eb('scope_chat_id', 'is', null), eb('scope_chat_id', 'in', groups)]);
  };
}

export async function createCampaign(db: Executor, c: NewCampaign, now: Date): Promise<CampaignResult> {
  const named = campaignName(c.text);
  if (!named) return { ok: false, reason: 'bad_name' };
  if (c.lastDay !== undefined && c.lastDay < c.firstDay) return { ok: false, reason: 'reversed' };
  // A group's members must never see two campaigns of one name: theirs and every group's.
  const existing = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('slug', '=', named.slug)
    .where(seenFrom(c.scopeChatId ?? 'all'))
    .executeTakeFirst();
  if (existing) return { ok: false, reason: 'taken', existing };
  const campaign = await db
    .insertInto('campaigns')
    .values({
      name: named.name,
      slug: named.slug,
      scope_chat_id: c.scopeChatId,
      first_day: c.firstDay,
      last_day: c.lastDay ?? null,
      created_by: c.by,
      created_at: now.toISOString(),
      ended_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, campaign };
}

/**
 * The campaign a name means where it is typed: in a group, that group's or every group's; elsewhere, among
 * those of the groups given (a leader's) and every group's, or any (an owner's, `'all'`). Undefined when none,
 * or when the name is ambiguous (two groups' campaigns share it and the caller leads both).
 */
export async function findCampaign(
  db: Executor,
  text: string,
  scope: number | number[] | 'all',
): Promise<Campaign | undefined> {
  const named = campaignName(text);
  if (!named) return undefined;
  const found = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('slug', '=', named.slug)
    .where(seenFrom(scope))
    .limit(2)
    .execute();
  return found.length === 1 ? found[0] : undefined;
}

export async function getCampaign(db: Executor, id: number): Promise<Campaign | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Campaigns a chat's members take part in (or a leader's groups', or all), running ones first, newest first. */
export async function listCampaigns(db: Executor, scope: number | number[] | 'all', today: Day): Promise<Campaign[]> {
  const all = await db
    .selectFrom('campaigns')
    .selectAll()
    .where(seenFrom(scope))
    .orderBy('first_day', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return all.sort((a, b) => Number(isRunning(b, today)) - Number(isRunning(a, today)));
}

/** Running: started, not ended, and its last day (if any) not past. */
export function isRunning(c: Pick<Campaign, 'first_day' | 'last_day' | 'ended_at'>, today: Day): boolean {
  return c.ended_at === null && c.first_day <= today && (c.last_day === null || c.last_day >= today);
}

export function hasEnded(c: Pick<Campaign, 'last_day' | 'ended_at'>, today: Day): boolean {
  return c.ended_at !== null || (c.last_day !== null && c.last_day < today);
}

/**
 * Ends a campaign today: its last day becomes today (or stays, if earlier), and its articles close with it
 * (those meant for its audience: a group's campaign never closes an article every group counts on).
 */
export async function endCampaign(db: Executor, campaign: Campaign, today: Day, now: Date): Promise<CampaignResult> {
  if (campaign.ended_at !== null) return { ok: false, reason: 'ended' };
  const lastDay = campaign.last_day !== null && campaign.last_day < today ? campaign.last_day : today;
  const ended = await db
    .updateTable('campaigns')
    .set({ last_day: lastDay, ended_at: now.toISOString() })
    .where('id', '=', campaign.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await closeArticlesOf(db, ended);
  return { ok: true, campaign: ended };
}

/** Marks each of a campaign's own articles to close on its last day, unless they close earlier already. */
async function closeArticlesOf(db: Executor, campaign: Campaign, articleId?: number): Promise<void> {
  if (campaign.last_day === null) return;
  let q = db
    .updateTable('articles')
    .set({ closes_on: campaign.last_day })
    .where('id', 'in', (eb) =>
      eb.selectFrom('article_campaigns').select('article_id').where('campaign_id', '=', campaign.id),
    )
    .where((eb) => eb.or([eb('closes_on', 'is', null), eb('closes_on', '>', campaign.last_day)]));
  if (campaign.scope_chat_id !== null) q = q.where('scope_chat_id', '=', campaign.scope_chat_id);
  if (articleId !== undefined) q = q.where('id', '=', articleId);
  await q.execute();
}

/**
 * Puts an article in a campaign. The article must be proposed or approved and meant for the campaign's
 * audience (an every-group campaign takes any article; a group's, its own and every group's); the campaign
 * must not have ended.
 */
export async function addToCampaign(
  db: Executor,
  articleId: number,
  campaign: Campaign,
  today: Day,
): Promise<CampaignResult> {
  if (hasEnded(campaign, today)) return { ok: false, reason: 'ended' };
  const article = await db
    .selectFrom('articles')
    .select(['id', 'state', 'scope_chat_id'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  const fits =
    article !== undefined &&
    (article.state === 'approved' || article.state === 'pending') &&
    (campaign.scope_chat_id === null ||
      article.scope_chat_id === null ||
      Number(article.scope_chat_id) === Number(campaign.scope_chat_id));
  if (!fits) return { ok: false, reason: 'not_found' };
  await db
    .insertInto('article_campaigns')
    .values({ article_id: articleId, campaign_id: campaign.id })
    .onConflict((oc) => oc.columns(['article_id', 'campaign_id']).doNothing())
    .execute();
  await closeArticlesOf(db, campaign, articleId);
  return { ok: true, campaign };
}

/** A campaign as a period for the reports: its days so far (up to its last day) and only its articles. */
export function campaignPeriod(campaign: Campaign, today: Day, zone: string): Period {
  const end = campaign.last_day !== null && campaign.last_day < today ? campaign.last_day : today;
  const lastDay = end < campaign.first_day ? campaign.first_day : end;
  return { ...daysPeriod(campaign.first_day, lastDay, zone)!, campaign: { id: campaign.id, name: campaign.name } };
}

/** Campaigns running in a group at some point of a span of days (the weekly summary names them). */
export async function campaignsDuring(db: Executor, chatId: number, first: Day, last: Day): Promise<Campaign[]> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where(seenFrom(chatId))
    .where('first_day', '<=', last)
    .where((eb) => eb.or([eb('last_day', 'is', null), eb('last_day', '>=', first)]))
    .orderBy('first_day')
    .orderBy('id')
    .execute();
}

/**
 * The last day an article counts: `openDays` days after its publish day, or its campaign's last day if that
 * comes first. Undefined when it never closes (no window configured, or not published).
 */
export function lastOpenDay(
  article: { publish_date: string | null; closes_on: string | null },
  openDays: number | undefined,
): Day | undefined {
  if (article.publish_date === null) return undefined;
  const window = openDays === undefined ? undefined : addDays(article.publish_date, openDays);
  if (window === undefined) return article.closes_on ?? undefined;
  return article.closes_on !== null && article.closes_on < window ? article.closes_on : window;
}
