import { sql } from 'kysely';
import { wroteRow, type Article, type Executor } from '../db/index.ts';
import { activeGroups, GONE_STATUSES } from './chats.ts';
import { dayPeriod, type Day } from './periods.ts';

// The evening's private messages: a member's reminder when they have recorded nothing for the day's articles,
// and a leader's or owner's eve check when nothing is approved for tomorrow. Each goes at most once per person
// and day: claimed just before the send, confirmed after, released if Telegram refused it (as report_deliveries).

export type EveningKind = 'nudge' | 'eve';

/** A member due the day's reminder: the groups where they have recorded nothing, and those groups' articles. */
export interface DueMember {
  userId: number;
  locale: string | null;
  languageCode: string | null;
  /** No reminder was ever sent to them: this one says how to stop them. */
  firstReminder: boolean;
  groups: { chatId: number; title: string }[];
  /** Each article once, with the group a press records it in (the first of their groups that got it). */
  articles: { articleId: number; chatId: number }[];
}

export interface DueReminders {
  day: Day;
  /** The articles the reminders show, by id. */
  articles: Map<number, Article>;
  members: DueMember[];
}

/**
 * Who is due a reminder for `day`: members who have started the bot, have not turned reminders off, are still
 * in a group (active and served) that was sent articles of the day by the push (still approved, not closed), and
 * have recorded nothing, in any
 * chat, for that group's articles of the day; and who have not been sent (or claimed) the day's reminder yet.
 *
 * A record counts wherever it was made (the group, another group, in private), unlike the group sheet of
 * domain/coverage.ts, which counts a group's own records: a member records an article once, so one who recorded
 * an every-group article elsewhere could not record it here, and has acted on it.
 *
 * Four queries whatever the number of members (the day's pushed articles, the day's records of them, the
 * members of those groups, and the articles themselves), not one per member.
 */
export async function dueReminders(db: Executor, day: Day, zone: string): Promise<DueReminders> {
  const pushed = await db
    .selectFrom('push_items as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .innerJoin('chats as c', 'c.id', 'p.chat_id')
    .select(['p.chat_id', 'p.article_id', 'c.title'])
    .where('p.day', '=', day)
    .where('p.status', '=', 'sent')
    .where('a.state', '=', 'approved')
    // Still counting today (a campaign that ended closes its articles: see domain/campaigns.ts, lastOpenDay).
    .where((eb) => eb.or([eb('a.closes_on', 'is', null), eb('a.closes_on', '>=', day)]))
    .where('c.active', '=', 1)
    .where('c.admission', '=', 'allowed')
    .orderBy('p.chat_id')
    .orderBy('p.article_id')
    .execute();
  if (pushed.length === 0) return { day, articles: new Map(), members: [] };

  const byChat = new Map<number, { title: string; articles: number[] }>();
  for (const p of pushed) {
    const chatId = Number(p.chat_id);
    let chat = byChat.get(chatId);
    if (!chat) byChat.set(chatId, (chat = { title: p.title ?? String(chatId), articles: [] }));
    chat.articles.push(Number(p.article_id));
  }
  const articleIds = [...new Set(pushed.map((p) => Number(p.article_id)))];
  const chatIds = [...byChat.keys()];

  // An article of the day is recordable from its day on, so the day's records of it are made from that day on.
  const { from } = dayPeriod(day, zone);
  const [acted, members, articles] = await Promise.all([
    db
      .selectFrom('records')
      .select(['user_id', 'article_id'])
      .where('created_at', '>=', from)
      .where('article_id', 'in', articleIds)
      .execute(),
    db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select((eb) => [
        'm.user_id',
        'm.chat_id',
        'u.locale',
        'u.language_code',
        eb
          .exists(
            eb
              .selectFrom('reminder_deliveries as d')
              .select('d.user_id')
              .whereRef('d.user_id', '=', 'm.user_id')
              .where('d.kind', '=', 'nudge'),
          )
          .as('reminded_before'),
      ])
      .where('m.chat_id', 'in', chatIds)
      .where('m.status', 'not in', GONE_STATUSES)
      .where('u.started', '=', 1)
      .where('u.reminders', '=', 1)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('reminder_deliveries as d')
              .select('d.user_id')
              .whereRef('d.user_id', '=', 'm.user_id')
              .where('d.kind', '=', 'nudge')
              .where('d.day', '=', day),
          ),
        ),
      )
      .orderBy('m.user_id')
      .orderBy('m.chat_id')
      .execute(),
    db.selectFrom('articles').selectAll().where('id', 'in', articleIds).execute(),
  ]);

  const actedOn = new Set(acted.map((r) => `${r.user_id}:${r.article_id}`));
  const due = new Map<number, DueMember>();
  for (const m of members) {
    const userId = Number(m.user_id);
    const chatId = Number(m.chat_id);
    const chat = byChat.get(chatId)!;
    if (chat.articles.some((a) => actedOn.has(`${userId}:${a}`))) continue;
    let member = due.get(userId);
    if (!member) {
      member = {
        userId,
        locale: m.locale,
        languageCode: m.language_code,
        firstReminder: !truthy(m.reminded_before),
        groups: [],
        articles: [],
      };
      due.set(userId, member);
    }
    member.groups.push({ chatId, title: chat.title });
    for (const articleId of chat.articles)
      if (!member.articles.some((a) => a.articleId === articleId)) member.articles.push({ articleId, chatId });
  }
  return {
    day,
    articles: new Map(articles.map((a) => [Number(a.id), { ...a, id: Number(a.id) }])),
    members: [...due.values()],
  };
}

/** SQLite answers exists() with 0/1, PostgreSQL with a boolean. */
const truthy = (v: unknown): boolean => v === true || Number(v) === 1;

/** Claims the day's message of this kind for a person; false if it is claimed or sent already. */
export async function claimEvening(
  db: Executor,
  kind: EveningKind,
  userId: number,
  day: Day,
  now: Date,
): Promise<boolean> {
  const r = await db
    .insertInto('reminder_deliveries')
    .values({ kind, user_id: userId, day, status: 'sending', claimed_at: now.toISOString(), sent_at: null })
    .onConflict((oc) => oc.columns(['kind', 'user_id', 'day']).doNothing())
    .executeTakeFirst();
  return wroteRow(r);
}

export async function confirmEvening(
  db: Executor,
  kind: EveningKind,
  userId: number,
  day: Day,
  now: Date,
): Promise<void> {
  await db
    .updateTable('reminder_deliveries')
    .set({ status: 'sent', sent_at: now.toISOString() })
    .where('kind', '=', kind)
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .execute();
}

/** Telegram refused it: a later run may try again (one that blocked the bot is no longer started by then). */
export async function releaseEvening(db: Executor, kind: EveningKind, userId: number, day: Day): Promise<void> {
  await db
    .deleteFrom('reminder_deliveries')
    .where('kind', '=', kind)
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .execute();
}

/** A day's evening messages by status (sending: claimed, never confirmed: cut short by a crash). */
export async function eveningDeliveries(
  db: Executor,
  kind: EveningKind,
  day: Day,
): Promise<Record<'sending' | 'sent', number>> {
  const rows = await db
    .selectFrom('reminder_deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', kind)
    .where('day', '=', day)
    .groupBy('status')
    .execute();
  const out = { sending: 0, sent: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** /remind on|off. Returns false when Loa does not know the person yet. */
export async function setReminders(db: Executor, userId: number, on: boolean): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ reminders: on ? 1 : 0 })
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function remindersOn(db: Executor, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select('reminders').where('id', '=', userId).executeTakeFirst();
  return row === undefined || Number(row.reminders) === 1;
}

/** What the eve check finds for `tomorrow`. */
export interface EveCheck {
  day: Day;
  /** Active, served groups that nothing approved for `day` reaches (neither an every-group article nor their own). */
  unready: { chatId: number; title: string }[];
  /** How many groups Loa serves: unready.length === served means nothing is approved for any group. */
  served: number;
  /** Pending proposals by the group they are for (null: every group). */
  pending: Map<number | null, number>;
}

/** Which groups have nothing approved for `day`, and the proposals waiting. Three queries. */
export async function eveCheck(db: Executor, day: Day): Promise<EveCheck> {
  const [scopes, groups, pending] = await Promise.all([
    db
      .selectFrom('articles')
      .select('scope_chat_id')
      .distinct()
      .where('publish_date', '=', day)
      .where('state', '=', 'approved')
      .execute(),
    activeGroups(db),
    db
      .selectFrom('articles')
      .select(['scope_chat_id', sql<number>`count(*)`.as('n')])
      .where('state', '=', 'pending')
      .groupBy('scope_chat_id')
      .execute(),
  ]);
  const ready = new Set(scopes.map((s) => (s.scope_chat_id === null ? null : Number(s.scope_chat_id))));
  const unready = ready.has(null)
    ? []
    : groups
        .filter((g) => !ready.has(Number(g.id)))
        .map((g) => ({ chatId: Number(g.id), title: g.title ?? String(g.id) }));
  return {
    day,
    unready,
    served: groups.length,
    pending: new Map(pending.map((p) => [p.scope_chat_id === null ? null : Number(p.scope_chat_id), Number(p.n)])),
  };
}
