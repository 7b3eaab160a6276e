import type { Article, Executor } from '../db/index.ts';
import { rowById } from '../db/read-together.ts';
import { sql } from 'kysely';
import { dayPeriod, type Day } from './periods.ts';

// Articles: proposed, decided by leaders, pushed on their publish date.

export const URL_MAX = 2048;
export const TITLE_MAX = 300;
export const NOTE_MAX = 500;

export type UrlProblem = 'not_http' | 'too_long' | 'malformed';

/** Accepts only absolute http(s) URLs with a host, at most 2,048 characters; returns the normalised URL. */
export function checkUrl(text: string): { ok: true; url: string } | { ok: false; problem: UrlProblem } {
  if (text.length > URL_MAX) return { ok: false, problem: 'too_long' };
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return {
      ok: false,
      problem: /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^https?:/i.test(text) ? 'not_http' : 'malformed',
    };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, problem: 'not_http' };
  if (!parsed.hostname || !/^https?:\/\//i.test(text)) return { ok: false, problem: 'malformed' };
  if (parsed.href.length > URL_MAX) return { ok: false, problem: 'too_long' };
  return { ok: true, url: parsed.href };
}

/** Who is acting, as far as articles care: owners decide everything, leaders their own groups' articles. */
export interface Actor {
  userId: number;
  isOwner: boolean;
}

export interface Proposal {
  url: string;
  title: string | undefined;
  note?: string | undefined;
  proposedBy: number;
  /** The chat it was proposed in (a group or a private chat). */
  proposedIn: number;
  /** The group it is meant for; undefined means every group (owners decide those). */
  scopeChatId: number | undefined;
}

export async function getArticle(db: Executor, id: number): Promise<Article | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return (await articleById(db, id))[0];
}

// Read for every button press: compiled once.
const articleById = rowById('articles');

export async function submitArticle(db: Executor, p: Proposal, now: Date): Promise<Article> {
  return db
    .insertInto('articles')
    .values({
      url: p.url,
      title: p.title?.trim() || p.url,
      note: p.note?.trim() || null,
      scope_chat_id: p.scopeChatId ?? null,
      proposed_by: p.proposedBy,
      proposed_in: p.proposedIn,
      state: 'pending',
      decided_by: null,
      decided_at: null,
      reason: null,
      publish_date: null,
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How many articles a member proposed (or posted) on a local day: /submit is limited per day. */
export async function proposalsOn(db: Executor, userId: number, day: Day, zone: string): Promise<number> {
  const { from, to } = dayPeriod(day, zone);
  const row = await db
    .selectFrom('articles')
    .select(sql<number>`count(*)`.as('n'))
    .where('proposed_by', '=', userId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An approved article for the same day, the same URL and an overlapping audience. */
export async function findDuplicate(
  db: Executor,
  url: string,
  day: Day,
  scopeChatId: number | null,
  exceptId?: number,
): Promise<Article | undefined> {
  let q = db
    .selectFrom('articles')
    .selectAll()
    .where('url', '=', url)
    .where('publish_date', '=', day)
    .where('state', '=', 'approved');
  if (scopeChatId !== null)
    q = q.where((eb) => eb.or([eb('scope_chat_id', 'is', null), eb('scope_chat_id', '=', scopeChatId)]));
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return q.orderBy('id').executeTakeFirst();
}

export type DecisionResult =
  | { ok: true; article: Article }
  | { ok: false; reason: 'not_found' | 'archived' | 'already_rejected' }
  | { ok: false; reason: 'duplicate'; existing: Article };

export async function approveArticle(
  db: Executor,
  id: number,
  by: number,
  day: Day,
  now: Date,
): Promise<DecisionResult> {
  const article = await getArticle(db, id);
  if (!article) return { ok: false, reason: 'not_found' };
  if (article.state === 'archived') return { ok: false, reason: 'archived' };
  const dup = await findDuplicate(db, article.url, day, article.scope_chat_id, article.id);
  if (dup) return { ok: false, reason: 'duplicate', existing: dup };
  const updated = await db
    .updateTable('articles')
    .set({ state: 'approved', decided_by: by, decided_at: now.toISOString(), publish_date: day, reason: null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, article: updated };
}

export async function rejectArticle(
  db: Executor,
  id: number,
  by: number,
  reason: string | undefined,
  now: Date,
): Promise<DecisionResult> {
  const article = await getArticle(db, id);
  if (!article) return { ok: false, reason: 'not_found' };
  if (article.state === 'archived') return { ok: false, reason: 'archived' };
  if (article.state === 'rejected') return { ok: false, reason: 'already_rejected' };
  const updated = await db
    .updateTable('articles')
    .set({ state: 'rejected', decided_by: by, decided_at: now.toISOString(), reason: reason?.trim() || null })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, article: updated };
}

export async function archiveArticle(db: Executor, id: number, by: number, now: Date): Promise<DecisionResult> {
  const article = await getArticle(db, id);
  if (!article) return { ok: false, reason: 'not_found' };
  if (article.state === 'archived') return { ok: false, reason: 'archived' };
  const updated = await db
    .updateTable('articles')
    .set({ state: 'archived', decided_by: by, decided_at: now.toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, article: updated };
}

/** Proposes and approves in one step (a leader's /post); refused as a duplicate like an approval. */
export async function postArticle(db: Executor, p: Proposal, day: Day, now: Date): Promise<DecisionResult> {
  const dup = await findDuplicate(db, p.url, day, p.scopeChatId ?? null);
  if (dup) return { ok: false, reason: 'duplicate', existing: dup };
  const article = await submitArticle(db, p, now);
  return approveArticle(db, article.id, p.proposedBy, day, now);
}

/** Whether an actor may decide on an article: owners always; a group's leaders for that group's articles. */
export function mayDecide(
  article: Pick<Article, 'scope_chat_id'>,
  actor: Actor,
  leaderOf: (chatId: number) => boolean,
): boolean {
  if (actor.isOwner) return true;
  return article.scope_chat_id !== null && leaderOf(article.scope_chat_id);
}

/** Pending proposals, oldest first; restricted to some groups' proposals unless `scopes` is 'all'. */
export async function pendingArticles(db: Executor, scopes: 'all' | number[], limit = 50): Promise<Article[]> {
  let q = db.selectFrom('articles').selectAll().where('state', '=', 'pending');
  if (scopes !== 'all') {
    if (scopes.length === 0) return [];
    q = q.where('scope_chat_id', 'in', scopes);
  }
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** The approved articles for a day that a chat sees: every-group articles and the chat's own. */
export async function approvedFor(db: Executor, day: Day, chatId: number | 'all'): Promise<Article[]> {
  let q = db.selectFrom('articles').selectAll().where('publish_date', '=', day).where('state', '=', 'approved');
  if (chatId !== 'all') q = q.where((eb) => eb.or([eb('scope_chat_id', 'is', null), eb('scope_chat_id', '=', chatId)]));
  return q.orderBy('id').execute();
}
