import type { Executor } from '../db/index.ts';
import { GONE_STATUSES } from './chats.ts';
import type { Day } from './periods.ts';

// Coverage: did the group act on the articles of some days, member by member? The figure behind
// /coverage, the reminders and the dashboard: one definition for all three.

export type Mark = 'shared' | 'rebutted' | 'both';

export interface CoverageArticle {
  id: number;
  title: string;
  url: string;
  day: Day;
  /** Members who shared it, who rebutted with it, and who did either. */
  shared: number;
  rebutted: number;
  covered: number;
}

export interface CoverageMember {
  userId: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  /** What the member recorded, by article id; an article with nothing is absent. */
  marks: Record<number, Mark>;
  shared: number;
  rebutted: number;
  /** Articles with any mark. */
  covered: number;
}

export interface Coverage {
  chatId: number;
  title: string;
  firstDay: Day;
  lastDay: Day;
  articles: CoverageArticle[];
  /** Members with nothing first, then by name. */
  members: CoverageMember[];
  withNothing: number;
}

/**
 * The approved articles a group saw on the days from `firstDay` to `lastDay` (every group's and its own),
 * and, for each member, what they recorded against each, whenever and wherever (the group, private, another
 * group of theirs). Members are those the group knows now, plus anyone who recorded there and left since.
 */
export async function coverageFor(db: Executor, chatId: number, firstDay: Day, lastDay: Day): Promise<Coverage> {
  const [chat, articles, members] = await Promise.all([
    db.selectFrom('chats').select('title').where('id', '=', chatId).executeTakeFirst(),
    db
      .selectFrom('articles')
      .select(['id', 'title', 'url', 'publish_date'])
      .where('state', '=', 'approved')
      .where('publish_date', '>=', firstDay)
      .where('publish_date', '<=', lastDay)
      .where((eb) => eb.or([eb('scope_chat_id', 'is', null), eb('scope_chat_id', '=', chatId)]))
      .orderBy('publish_date')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.first_name', 'users.last_name', 'users.username'])
      .where('memberships.chat_id', '=', chatId)
      .where('memberships.status', 'not in', GONE_STATUSES)
      .execute(),
  ]);
  const ids = articles.map((a) => Number(a.id));
  const memberIds = members.map((m) => Number(m.id));
  const recordsWhere = (where: 'here' | 'members') =>
    db
      .selectFrom('records')
      .innerJoin('users', 'users.id', 'records.user_id')
      .select([
        'records.user_id',
        'records.article_id',
        'records.kind',
        'users.first_name',
        'users.last_name',
        'users.username',
      ])
      .where('records.article_id', 'in', ids)
      .where(where === 'here' ? 'records.chat_id' : 'records.user_id', 'in', where === 'here' ? [chatId] : memberIds)
      .execute();
  // The records made here (by anyone, members who left since too), and the members' own wherever they made them
  // (in private, or in another of their groups: a record is one per member, article and kind, so they could not
  // make it here too). Two reads, each on its own index; one read with an OR of both scans every group's records
  // of every-group articles on PostgreSQL.
  const records =
    ids.length === 0
      ? []
      : (await Promise.all([recordsWhere('here'), memberIds.length === 0 ? [] : recordsWhere('members')])).flat();

  const byUser = new Map<number, CoverageMember>();
  const member = (u: { id: number; first_name: string; last_name: string | null; username: string | null }) => {
    let m = byUser.get(Number(u.id));
    if (!m) {
      m = {
        userId: Number(u.id),
        firstName: u.first_name,
        lastName: u.last_name,
        username: u.username,
        marks: {},
        shared: 0,
        rebutted: 0,
        covered: 0,
      };
      byUser.set(m.userId, m);
    }
    return m;
  };
  for (const u of members) member(u);
  for (const r of records) {
    const m = member({ id: r.user_id, first_name: r.first_name, last_name: r.last_name, username: r.username });
    const article = Number(r.article_id);
    const before = m.marks[article];
    m.marks[article] = before === undefined || before === r.kind ? r.kind : 'both';
  }

  const perArticle = new Map(
    articles.map((a) => [
      Number(a.id),
      {
        id: Number(a.id),
        title: a.title,
        url: a.url,
        day: a.publish_date as Day,
        shared: 0,
        rebutted: 0,
        covered: 0,
      },
    ]),
  );
  for (const m of byUser.values()) {
    for (const [id, mark] of Object.entries(m.marks)) {
      const a = perArticle.get(Number(id));
      if (!a) continue;
      const shared = Number(mark !== 'rebutted');
      const rebutted = Number(mark !== 'shared');
      a.covered += 1;
      m.covered += 1;
      a.shared += shared;
      m.shared += shared;
      a.rebutted += rebutted;
      m.rebutted += rebutted;
    }
  }
  const sorted = [...byUser.values()].sort(
    (a, b) =>
      Number(a.covered > 0) - Number(b.covered > 0) ||
      a.firstName.localeCompare(b.firstName, 'vi') ||
      (a.lastName ?? '').localeCompare(b.lastName ?? '', 'vi') ||
      a.userId - b.userId,
  );
  return {
    chatId,
    title: chat?.title ?? String(chatId),
    firstDay,
    lastDay,
    articles: [...perArticle.values()],
    members: sorted,
    withNothing: sorted.filter((m) => m.covered === 0).length,
  };
}
