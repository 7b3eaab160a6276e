import { setTimeout as delay } from 'node:timers/promises';
import type { CommandMenus } from './menus.ts';
import type { Context } from 'telegraf';
import type { Locale } from '../config.ts';
import type { Deps } from '../deps.ts';
import { markHandled } from '../db/handled-updates.ts';
import type { Executor } from '../db/index.ts';
import type { UnitOfWork } from '../db/update-transactions.ts';
import { isGroupType, markUnreachable, type KnownChat } from '../domain/chats.ts';
import type { SeenCache } from './seen.ts';
import type { Messages } from '../i18n/index.ts';
import { SendError } from './errors.ts';

/** What the bot is built from (src/app.ts): the shared dependencies and, on PostgreSQL, each update's transaction. */
export interface BotDeps extends Deps {
  /** Each person's private command menu, kept in step with their role. */
  menus: CommandMenus;
  /** The transaction an update is handled in, when there is one (PostgreSQL: see UpdateTransactions). */
  unitOfWork?: (update: object) => UnitOfWork | undefined;
}

export interface LoaContext extends Context {
  deps: BotDeps;
  /**
   * Where this update's own reads and writes go: its transaction on PostgreSQL, the database on SQLite.
   * Work that must outlive the update or commit on its own (the push, its claims) uses deps.db.
   */
  db: Executor;
  /** On PostgreSQL, a press handled outside a transaction: its record's statement claims the update (recordPress). */
  claim: UnitOfWork['claim'];
  /** Runs fn once this update's effects are committed (at once when there is no transaction). */
  afterCommit: (fn: () => void) => void;
  /** The catalogue in the language of this chat (group setting, or the user's choice in private). */
  t: Messages;
  locale: Locale;
  /** The moment this update is handled. */
  now: Date;
  /** The catalogue for writing to the sender in private (their choice or Telegram language). */
  tPrivate: Messages;
  /** Whether the sender has started the bot in private, so Loa may write to them there. */
  reachable: boolean;
  /** Whether Loa serves this chat: always in private; a group only once admitted (GROUP_ADMISSION). */
  admitted: boolean;
  /** Whom Loa has written down recently (see SeenCache). */
  seen: SeenCache;
  /** This chat's row as the update began, if Loa knows the chat (read once for the language and the rest). */
  knownChat: KnownChat | undefined;
}

/** Something to say: already rendered, or rendered in the language of wherever it ends up. */
export type Say = string | ((t: Messages) => string);

const render = (say: Say, t: Messages): string => (typeof say === 'string' ? say : say(t));

export const isPrivate = (ctx: LoaContext): boolean => ctx.chat?.type === 'private';
export const isGroup = (ctx: LoaContext): boolean => isGroupType(ctx.chat?.type);

/** The member to credit: undefined for channels and anonymous admins, who post as a chat. */
export function creditedUser(
  ctx: LoaContext,
): { id: number; first_name: string; last_name?: string | undefined; username?: string | undefined } | undefined {
  const msg = ctx.message ?? ctx.editedMessage;
  if (msg && 'sender_chat' in msg && msg.sender_chat) return undefined;
  const from = ctx.from;
  if (!from || from.is_bot) return undefined;
  return from;
}

const replyTo = (ctx: LoaContext) => {
  const id = ctx.message?.message_id;
  return id ? { reply_parameters: { message_id: id, allow_sending_without_reply: true } } : {};
};

/** A reply that waits longer than this for its turn (a busy group's budget) shows the asker a reaction first. */
export const REPLY_WAIT_MS = 2_000;
/** A reply still waiting this long after it was asked for is dropped: the moment has passed. */
export const REPLY_STALE_MS = 120_000;
/** The reaction that says "seen; the answer is above, or on its way". */
export const SEEN_REACTION = '👀';

/**
 * Answers in the chat the command came from, through the sender. In a group, an answer the same for whoever asks
 * (`sameForAll`, the default: /today, /leaderboard…; an answer for one person goes through replyPrivately) is not
 * sent twice when asked for again within a minute: the asker gets a 👀 on their message instead; and when the group is over its budget the asker gets a 👀 on their message at once, the
 * answer follows when its turn comes (or is dropped after REPLY_STALE_MS), and the update does not wait for it.
 */
export async function reply(
  ctx: LoaContext,
  say: Say,
  extra: Record<string, unknown> = {},
  options: { sameForAll?: boolean } = {},
): Promise<void> {
  if (!ctx.chat) return;
  const chatId = ctx.chat.id;
  const text = render(say, ctx.t);
  const { sender } = ctx.deps;
  if (!isGroup(ctx)) {
    await sender.sendMessage(chatId, text, { ...replyTo(ctx), ...extra }, { staleAfterMs: REPLY_STALE_MS });
    return;
  }
  const mustWait = sender.expectedWaitMs(chatId) > REPLY_WAIT_MS;
  const sending = sender.sendMessage<{ message_id: number } | null>(
    chatId,
    text,
    { ...replyTo(ctx), ...extra },
    {
      ...(options.sameForAll === false ? {} : { fold: { key: foldKey(text, extra), at: ctx.now.getTime() } }),
      staleAfterMs: REPLY_STALE_MS,
    },
  );
  // Waited for only so long, whatever holds it up (the group's budget, one shared with other replicas, a 429).
  const answered = mustWait
    ? 'late'
    : await Promise.race([sending, delay(REPLY_WAIT_MS, 'late' as const, { ref: false })]);
  if (answered === 'late') {
    // Its failure is logged, not thrown: the update has moved on.
    void sending.catch((err: unknown) =>
      ctx.deps.log.warn({ chatId, err: (err as Error).message }, 'a delayed group reply failed'),
    );
    await react(ctx, SEEN_REACTION);
    return;
  }
  // Null: the same answer was just given (folded), or it waited too long: the asker sees the sign.
  if (answered === null) await react(ctx, SEEN_REACTION);
}

/** The same text with the same buttons is the same answer, whoever asked and whatever it replies to. */
const foldKey = (text: string, extra: Record<string, unknown>): string =>
  extra.reply_markup === undefined ? text : `${text}\u0000${JSON.stringify(extra.reply_markup)}`;

/**
 * Answers the sender privately when they have started the bot; otherwise in the chat. Used in groups for
 * answers meant for one person (their own figures, their mistakes), so a busy group is not filled with them.
 */
export async function replyPrivately(ctx: LoaContext, say: Say, extra: Record<string, unknown> = {}): Promise<void> {
  const user = ctx.from;
  // In the group, an answer to this one person: never folded with someone else's.
  if (isPrivate(ctx) || !user || !ctx.reachable) return reply(ctx, say, extra, { sameForAll: false });
  try {
    await ctx.deps.sender.sendMessage(user.id, render(say, ctx.tPrivate), extra);
  } catch (err) {
    if (err instanceof SendError && (err.failure.kind === 'chat_gone' || err.failure.kind === 'chat_not_found')) {
      // They blocked the bot since: remember, and answer in the group this once.
      await markUnreachable(ctx.db, user.id);
      return reply(ctx, say, extra, { sameForAll: false });
    }
    throw err;
  }
}

/** A quiet acknowledgement in a group: a reaction on the member's own message; false if reactions are off. */
export async function react(ctx: LoaContext, emoji: string): Promise<boolean> {
  const msg = ctx.message;
  if (!msg || !ctx.chat) return false;
  try {
    await ctx.deps.sender.direct('setMessageReaction', {
      chat_id: ctx.chat.id,
      message_id: msg.message_id,
      reaction: [{ type: 'emoji', emoji }],
    });
    return true;
  } catch (err) {
    ctx.deps.log.debug({ err: (err as Error).message, chatId: ctx.chat.id }, 'reaction refused; answering in words');
    return false;
  }
}

/**
 * Runs an update's write that must not happen twice (`/undo` removes the latest record: a second run would remove
 * another) in one commit with the mark that the update is handled, so a crash cannot leave the write done and the
 * update to be handled again after the restart. On PostgreSQL the update's transaction does this already; on
 * SQLite the mark otherwise follows the update (HandledUpdates).
 */
export async function writeOnce<T>(ctx: LoaContext, write: (tx: Executor) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return write(ctx.db);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const result = await write(tx);
    await markHandled(tx, [ctx.update.update_id], ctx.now);
    return result;
  });
}

/** Success in a group: a reaction, plus the words in private for those who started the bot. */
export async function acknowledge(ctx: LoaContext, emoji: string, say: Say): Promise<void> {
  if (isPrivate(ctx)) return reply(ctx, say);
  const reacted = await react(ctx, emoji);
  if (ctx.reachable) return replyPrivately(ctx, say);
  if (!reacted) return reply(ctx, say, {}, { sameForAll: false });
}
