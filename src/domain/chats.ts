import { inTransaction, type Chat, type Executor, type GroupAdmissionState, type User } from '../db/index.ts';
import type { Database } from '../db/schema.ts';
import { sql, type QueryCreator } from 'kysely';
import { prepared } from '../db/prepared.ts';
import { readTogether, rowById } from '../db/read-together.ts';
import { onPostgres } from '../db/postgres.ts';

// Who and where: the groups the bot serves and the people it has seen in them.

export interface SeenUser {
  id: number;
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
  language_code?: string | undefined;
}

export interface SeenChat {
  id: number;
  type: string;
  title?: string | undefined;
}

/** Whether a Telegram chat type is a group Loa serves (a channel or a private chat is not). */
export const isGroupType = (type: string | undefined): boolean => type === 'group' || type === 'supergroup';

/** Whether a chat id is a group's: Telegram gives groups (and channels) negative ids, people positive ones. */
export const isGroupId = (chatId: number | string): boolean => typeof chatId === 'string' || Number(chatId) < 0;

/** A chat as the rest of Loa sees it: the stored flag as a boolean, not SQLite's 0/1. */
export type KnownChat = Omit<Chat, 'active'> & { active: boolean };
/** A person as the rest of Loa sees it; `started`: they sent /start, so Loa may write to them privately. */
export type KnownUser = Omit<User, 'started'> & { started: boolean };

const toChat = (row: Chat): KnownChat => ({ ...row, active: Number(row.active) === 1 });
const toUser = (row: User): KnownUser => ({ ...row, started: Number(row.started) === 1 });

/**
 * Records that the bot is in a group. `admission` is what the group gets (domain/admission.ts decides it); a
 * group already known is set to it too, so the caller passes the state it means to keep.
 */
export async function registerGroup(
  db: Executor,
  chat: SeenChat,
  now: Date,
  admission: GroupAdmissionState = 'allowed',
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('chats')
    .values(newGroupRow(chat, at, admission))
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ type: chat.type, title: chat.title ?? null, active: 1, updated_at: at, admission }),
    )
    .execute();
}

const newGroupRow = (chat: SeenChat, at: string, admission: GroupAdmissionState) => ({
  id: chat.id,
  type: chat.type,
  title: chat.title ?? null,
  active: 1,
  locale: null,
  joined_at: at,
  updated_at: at,
  migrated_to: null,
  admission,
});

export async function deactivateChat(db: Executor, chatId: number, now: Date): Promise<void> {
  await db.updateTable('chats').set({ active: 0, updated_at: now.toISOString() }).where('id', '=', chatId).execute();
}

export interface TouchedGroup {
  /** False for a group the bot has left. */
  active: boolean;
  admission: GroupAdmissionState;
  /** Loa had no record of the group: it was registered now, with the admission given. */
  isNew: boolean;
}

/**
 * Keeps a group's title current without reactivating a group the bot has left. A group Loa has no record of
 * (the bot was added while its update was lost, or before Loa kept a database) is registered with `admissionIfNew`.
 */
export async function touchGroup(
  db: Executor,
  chat: SeenChat,
  now: Date,
  admissionIfNew: GroupAdmissionState,
  /** The group's row read earlier in the same update (saves reading it again); undefined: read it here. */
  knownRow?: Pick<KnownChat, 'title' | 'active' | 'admission'>,
): Promise<TouchedGroup> {
  const readRow = () => db.selectFrom('chats').select(['title', 'active', 'admission']).where('id', '=', chat.id);
  const touched = (row: { active: boolean | number; admission: GroupAdmissionState }): TouchedGroup => ({
    active: Number(row.active) === 1,
    admission: row.admission,
    isNew: false,
  });
  const existing = knownRow ?? (await readRow().executeTakeFirst());
  if (!existing) {
    // Only the update whose insert made the row registers the group (and has the owners told): two members'
    // messages in a new group are handled side by side, and replicas handle a group's updates at once.
    const inserted = await db
      .insertInto('chats')
      .values(newGroupRow(chat, now.toISOString(), admissionIfNew))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { active: true, admission: admissionIfNew, isNew: true };
    // Another update inserted it a moment ago.
    return touched(await readRow().executeTakeFirstOrThrow());
  }
  if (chat.title !== undefined && existing.title !== chat.title) {
    await db
      .updateTable('chats')
      .set({ title: chat.title, updated_at: now.toISOString() })
      .where('id', '=', chat.id)
      .execute();
  }
  return touched(existing);
}

/** The statuses Loa keeps for someone no longer in a group. */
export const GONE_STATUSES = ['left', 'kicked'];

/** Whether a Telegram chat member status means "in the chat" (a restricted member may be in it or not). */
export function isInChat(member: { status: string; is_member?: boolean }): boolean {
  const { status } = member;
  return (
    status === 'member' ||
    status === 'administrator' ||
    status === 'creator' ||
    (status === 'restricted' && member.is_member === true)
  );
}

/** The status Loa keeps of someone in a group, or undefined when it has none. */
export async function membershipStatus(db: Executor, chatId: number, userId: number): Promise<string | undefined> {
  const row = await membershipOf(db, [chatId, userId]);
  return row[0]?.status;
}

const membershipOf = readTogether(
  (db, [chatId, userId]: [number, number]) => membershipOne(db, chatId, userId),
  (keys) => sql`
    select m.chat_id::text || ':' || m.user_id::text as key, jsonb_build_object('status', m.status) as row
    from memberships m
    join unnest(${keys.map((k) => k[0])}::bigint[], ${keys.map((k) => k[1])}::bigint[]) as k(chat_id, user_id)
      on m.chat_id = k.chat_id and m.user_id = k.user_id`,
  ([chatId, userId]) => `${chatId}:${userId}`,
);
const membershipOne = prepared((db, chatId: number, userId: number) =>
  db.selectFrom('memberships').select('status').where('chat_id', '=', chatId).where('user_id', '=', userId),
);

export async function seeUser(db: Executor, user: SeenUser, now: Date): Promise<void> {
  await userWritten(db, user, now.toISOString()).execute();
}

/** The statement that writes a person down, their name kept current (their settings left as they are). */
function userWritten(db: QueryCreator<Database>, user: SeenUser, at: string) {
  const values = {
    first_name: user.first_name,
    last_name: user.last_name ?? null,
    username: user.username ?? null,
    language_code: user.language_code ?? null,
    updated_at: at,
  };
  return db
    .insertInto('users')
    .values({ id: user.id, locale: null, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values));
}

export async function seeMember(
  db: Executor,
  chatId: number,
  user: SeenUser,
  status: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const membership = { chat_id: chatId, status, first_seen_at: at, last_seen_at: at };
  const kept = { status, last_seen_at: at };
  // Both rows in one commit (a new member's first press is then one disk sync, not two).
  if (!onPostgres(db))
    return inTransaction(db, async (tx) => {
      await userWritten(tx, user, at).execute();
      await tx
        .insertInto('memberships')
        .values({ ...membership, user_id: user.id })
        .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doUpdateSet(kept))
        .execute();
    });
  // On PostgreSQL in one statement, where a transaction would cost four round trips: the membership takes the id
  // that the person's write returns.
  await db
    .with('seen', (w) => userWritten(w, user, at).returning('id'))
    .insertInto('memberships')
    .values((eb) => ({ ...membership, user_id: eb.selectFrom('seen').select('id') }))
    .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doUpdateSet(kept))
    .execute();
}

export async function markStarted(db: Executor, userId: number): Promise<void> {
  await db.updateTable('users').set({ started: 1 }).where('id', '=', userId).execute();
}

export async function markUnreachable(db: Executor, userId: number): Promise<void> {
  await db.updateTable('users').set({ started: 0 }).where('id', '=', userId).execute();
}

// Read for every update (the context's chat and sender): compiled once.
const chatById = rowById('chats');
const userById = rowById('users');

export async function getChat(db: Executor, chatId: number): Promise<KnownChat | undefined> {
  const row = (await chatById(db, chatId))[0];
  return row && toChat(row);
}

export async function getUser(db: Executor, userId: number): Promise<KnownUser | undefined> {
  const row = (await userById(db, userId))[0];
  return row && toUser(row);
}

export async function activeGroups(db: Executor): Promise<KnownChat[]> {
  const rows = await db
    .selectFrom('chats')
    .selectAll()
    .where('active', '=', 1)
    .where('admission', '=', 'allowed')
    .where('type', 'in', ['group', 'supergroup'])
    .orderBy('id')
    .execute();
  return rows.map(toChat);
}

/** Groups where a user is a member, active and allowed ones only (a waiting group gives its admins no rights). */
export async function groupsOfUser(db: Executor, userId: number): Promise<KnownChat[]> {
  const rows = await db
    .selectFrom('chats')
    .innerJoin('memberships', 'memberships.chat_id', 'chats.id')
    .selectAll('chats')
    .where('memberships.user_id', '=', userId)
    .where('chats.active', '=', 1)
    .where('chats.admission', '=', 'allowed')
    .where('memberships.status', 'not in', GONE_STATUSES)
    .orderBy('chats.id')
    .execute();
  return rows.map(toChat);
}

export async function setChatLocale(db: Executor, chatId: number, locale: string): Promise<void> {
  await db.updateTable('chats').set({ locale }).where('id', '=', chatId).execute();
}

export async function setUserLocale(db: Executor, userId: number, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

/**
 * A group became a supergroup: Telegram gave it a new id. Everything Loa knows moves to the new id in one
 * transaction; the old row stays, inactive, pointing at the new one.
 */
export async function migrateChat(db: Executor, oldId: number, newId: number, now: Date): Promise<void> {
  const old = await getChat(db, oldId);
  if (!old || oldId === newId) return;
  const at = now.toISOString();
  await db
    .insertInto('chats')
    .values({
      id: newId,
      type: 'supergroup',
      title: old.title,
      active: 1,
      locale: old.locale,
      joined_at: old.joined_at,
      updated_at: at,
      migrated_to: null,
      admission: old.admission,
      weekly_target: old.weekly_target,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ active: 1, updated_at: at }))
    .execute();
  // Memberships: keep the newer row where both exist.
  const moved = await db.selectFrom('memberships').selectAll().where('chat_id', '=', oldId).execute();
  for (const m of moved) {
    await db
      .insertInto('memberships')
      .values({ ...m, chat_id: newId })
      .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doNothing())
      .execute();
  }
  await db.deleteFrom('memberships').where('chat_id', '=', oldId).execute();
  await db.updateTable('records').set({ chat_id: newId }).where('chat_id', '=', oldId).execute();
  await db.updateTable('articles').set({ scope_chat_id: newId }).where('scope_chat_id', '=', oldId).execute();
  await db.updateTable('articles').set({ proposed_in: newId }).where('proposed_in', '=', oldId).execute();
  await db.updateTable('campaigns').set({ scope_chat_id: newId }).where('scope_chat_id', '=', oldId).execute();
  const pushes = await db.selectFrom('group_pushes').selectAll().where('chat_id', '=', oldId).execute();
  for (const p of pushes) {
    await db
      .insertInto('group_pushes')
      .values({ ...p, chat_id: newId })
      .onConflict((oc) => oc.columns(['chat_id', 'day']).doNothing())
      .execute();
  }
  await db.deleteFrom('group_pushes').where('chat_id', '=', oldId).execute();
  const items = await db.selectFrom('push_items').selectAll().where('chat_id', '=', oldId).execute();
  for (const i of items) {
    await db
      .insertInto('push_items')
      .values({ ...i, chat_id: newId })
      .onConflict((oc) => oc.columns(['chat_id', 'article_id']).doNothing())
      .execute();
  }
  await db.deleteFrom('push_items').where('chat_id', '=', oldId).execute();
  await db
    .updateTable('chats')
    .set({ active: 0, migrated_to: newId, updated_at: at })
    .where('id', '=', oldId)
    .execute();
}

/** Whether someone is in a group Loa serves (active and allowed), by Loa's record of joins, leaves and messages. */
export async function inServedGroup(db: Executor, chatId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('chats', 'chats.id', 'memberships.chat_id')
    .select('memberships.user_id')
    .where('memberships.chat_id', '=', chatId)
    .where('memberships.user_id', '=', userId)
    .where('memberships.status', 'not in', GONE_STATUSES)
    .where('chats.active', '=', 1)
    .where('chats.admission', '=', 'allowed')
    .executeTakeFirst();
  return row !== undefined;
}
