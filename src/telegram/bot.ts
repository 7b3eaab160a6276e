import { Telegraf, type Middleware } from 'telegraf';
import type { Chat } from 'telegraf/types';
import { inTransaction } from '../db/index.ts';
import { admissionOnJoin, isAdmitted } from '../domain/admission.ts';
import {
  deactivateChat,
  getChat,
  getUser,
  isGroupType,
  markStarted,
  migrateChat,
  registerGroup,
  seeMember,
  seeUser,
  isInChat,
  touchGroup,
  type SeenChat,
  type TouchedGroup,
} from '../domain/chats.ts';
import { chooseLocale, messages, privateMessages } from '../i18n/index.ts';
import type { BotDeps, LoaContext } from './context.ts';
import { announceWaitingGroup, leaveGroup } from './admission.ts';
import { greetGroup } from './greeting.ts';
import { replyPrivately, creditedUser } from './context.ts';
import { FloodGuard } from './flood.ts';
import { memberKey, personKey, SeenCache } from './seen.ts';

/** A Telegram chat as Loa records it (a private chat has no title). */
const seenChat = (chat: Chat): SeenChat => ({
  id: chat.id,
  type: chat.type,
  title: 'title' in chat ? chat.title : undefined,
});

export interface BotInfo {
  id: number;
  username: string;
  first_name: string;
  is_bot: true;
}

/**
 * Builds the bot from what it is given: no globals, so tests build their own. The returned Telegraf is
 * only a dispatcher here: updates come from our own poller or webhook server (see updates.ts) and every
 * message goes out through deps.sender.
 */
export function createBot(deps: BotDeps, commands: Middleware<LoaContext>, botInfo?: BotInfo): Telegraf<LoaContext> {
  const { config } = deps;
  const bot = new Telegraf<LoaContext>(config.botToken, {
    telegram: { apiRoot: config.apiRoot, webhookReply: false },
    handlerTimeout: 60_000,
  });
  if (botInfo) bot.botInfo = botInfo as typeof bot.botInfo;
  // Whatever the bot or a context calls (ctx.answerCbQuery…) goes out through the sender too: its client
  // (kept-alive connections, a timeout, a retry of a transient failure), its limits.
  const callApi = ((method: string, payload: Record<string, unknown>) =>
    deps.sender.call(method, payload)) as typeof bot.telegram.callApi;
  bot.telegram.callApi = callApi;
  const flood = new FloodGuard();
  // Presses have their own allowance, as commands do: a script pressing forged buttons costs a toast, not a write.
  const pressFlood = new FloodGuard();
  const seen = new SeenCache();

  // One error boundary: whatever fails while handling one update is logged with its id and,
  // where there is a member to tell, answered politely. Nothing a user types stops the bot.
  bot.catch(async (err, ctx) => {
    deps.log.error({ err, updateId: ctx.update.update_id }, 'error while handling an update');
    try {
      if (ctx.t && ctx.message && 'text' in ctx.message && ctx.message.text.startsWith('/'))
        await replyPrivately(ctx, (t) => t.somethingWentWrong);
      else if (ctx.callbackQuery)
        await ctx.answerCbQuery(ctx.t?.somethingWentWrong.slice(0, 190)).catch(() => undefined);
    } catch {
      // Telegram may be the problem; the error is logged already.
    }
  });

  // Decorate the context: dependencies, the moment, the language, whether the sender is reachable in private.
  bot.use(async (ctx, next) => {
    // Telegraf gives each update's context a client of its own (Telegraf.handleUpdate), not bot.telegram.
    ctx.telegram.callApi = callApi;
    ctx.deps = deps;
    ctx.seen = seen;
    ctx.now = deps.clock();
    // The update's unit of work: on PostgreSQL a transaction that also holds its update_id (so replicas
    // handle it once), or for a press the statement that records it (ctx.claim); on SQLite the database
    // itself (one process; see HandledUpdates).
    const unit = deps.unitOfWork?.(ctx.update);
    ctx.db = unit?.db ?? deps.db;
    ctx.claim = unit?.claim;
    ctx.afterCommit = unit ? (fn) => unit.afterCommit.push(fn) : (fn) => fn();
    const chat = ctx.chat;
    const from = ctx.from;
    const [chatRow, userRow] = await Promise.all([
      chat ? getChat(ctx.db, chat.id) : undefined,
      from ? getUser(ctx.db, from.id) : undefined,
    ]);
    ctx.locale = chooseLocale({
      isPrivate: chat?.type === 'private' || chat === undefined,
      chatLocale: chatRow?.locale,
      userLocale: userRow?.locale,
      telegramLanguage: from?.language_code,
      fallback: config.defaultLocale,
    });
    ctx.t = messages(ctx.locale, config.addressForm);
    ctx.tPrivate = privateMessages(
      userRow ?? (from ? { locale: null, language_code: from.language_code ?? null } : undefined),
      config,
    );
    ctx.knownChat = chatRow;
    ctx.reachable = userRow?.started ?? false;
    // Anyone who writes to Loa in private has started it (Telegram allows nothing else), even if their /start
    // is not in this database (one restored or moved): Loa may write to them. A 403 clears it again.
    if (chat?.type === 'private' && from && !ctx.reachable && from.id === chat.id) {
      await seeUser(ctx.db, from, ctx.now);
      await markStarted(ctx.db, from.id);
      ctx.reachable = true;
    }
    // Private chats are always served; a group once admitted (see domain/admission.ts). A group Loa has no record
    // of is registered by the handlers below, which set this again.
    ctx.admitted = !chat || !isGroupType(chat.type) || isAdmitted(config, chat.id, chatRow?.admission);
    return next();
  });

  /** Keeps a group's record current; registers one Loa never heard of, asking the owners when it must wait. */
  const seeGroup = async (ctx: LoaContext, chat: SeenChat): Promise<TouchedGroup> => {
    const known = ctx.knownChat?.id === chat.id ? ctx.knownChat : undefined;
    const touched = await touchGroup(
      ctx.db,
      chat,
      ctx.now,
      admissionOnJoin(config, chat.id, undefined, undefined),
      known,
    );
    if (touched.isNew && touched.admission === 'waiting') await announceWaitingGroup(deps, ctx.db, chat, undefined);
    ctx.admitted = isAdmitted(config, chat.id, touched.admission);
    return touched;
  };

  // The bot added to or removed from a group (or its own rights changed there).
  bot.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (!isGroupType(update.chat.type)) return;
    const chat = seenChat(update.chat);
    if (!isInChat(update.new_chat_member)) {
      await deactivateChat(ctx.db, chat.id, ctx.now);
      deps.roles.invalidate(chat.id);
      deps.log.info({ chatId: chat.id, status: update.new_chat_member.status }, 'removed from a group');
      return;
    }
    const known = await getChat(ctx.db, chat.id);
    // Made an admin, or restricted, while in the group already: nothing about its admission changes.
    const joined = !isInChat(update.old_chat_member) || !known?.active;
    const admission = joined
      ? admissionOnJoin(config, chat.id, update.from.id, known?.admission)
      : (known?.admission ?? admissionOnJoin(config, chat.id, undefined, undefined));
    await registerGroup(ctx.db, chat, ctx.now, admission);
    deps.log.info({ chatId: chat.id, addedBy: update.from.id, admission, joined }, 'in a group');
    if (!joined) return;
    if (admission === 'allowed') await greetGroup({ ...deps, db: ctx.db }, chat.id, ctx.botInfo.username);
    else if (admission === 'refused') {
      // An owner said leave before: leave again, without asking anyone.
      await leaveGroup(deps, chat.id);
      await deactivateChat(ctx.db, chat.id, ctx.now);
    } else if (admission === 'waiting') await announceWaitingGroup(deps, ctx.db, chat, update.from);
  });

  // Members joining, leaving, promoted or demoted (chat_member needs the bot to be an admin).
  bot.on('chat_member', async (ctx) => {
    const u = ctx.chatMember;
    if (!isGroupType(u.chat.type) || u.new_chat_member.user.is_bot) return;
    await seeGroup(ctx, seenChat(u.chat));
    const m = u.new_chat_member;
    // A restricted person may be out of the group: kept as left, so they lead and read nothing there.
    const status = isInChat(m) || m.status === 'kicked' ? m.status : 'left';
    await seeMember(ctx.db, u.chat.id, m.user, status, ctx.now);
    if (u.old_chat_member.status !== u.new_chat_member.status) deps.roles.invalidate(u.chat.id);
  });

  // Everyone seen in a group is remembered, with names kept current; service messages are handled here.
  bot.on('message', async (ctx, next) => {
    const msg = ctx.message;
    if (!isGroupType(ctx.chat.type)) {
      if (ctx.from) await seen.once(ctx, personKey(ctx.from.id), ctx.from, () => seeUser(ctx.db, ctx.from, ctx.now));
      return next();
    }
    if ('migrate_to_chat_id' in msg && msg.migrate_to_chat_id) {
      await inTransaction(ctx.db, (tx) => migrateChat(tx, ctx.chat.id, msg.migrate_to_chat_id, ctx.now));
      deps.log.info({ chatId: ctx.chat.id, newChatId: msg.migrate_to_chat_id }, 'group migrated to a supergroup');
      return;
    }
    const { active } = await seeGroup(ctx, seenChat(ctx.chat));
    if (!active) return; // a group the bot has left: stay silent
    const user = creditedUser(ctx);
    if (user)
      await seen.once(ctx, memberKey(ctx.chat.id, user.id), user, () =>
        seeMember(ctx.db, ctx.chat.id, user, 'member', ctx.now),
      );
    if ('new_chat_members' in msg) {
      for (const m of msg.new_chat_members.filter((m) => !m.is_bot))
        await seeMember(ctx.db, ctx.chat.id, m, 'member', ctx.now);
    }
    if ('left_chat_member' in msg && !msg.left_chat_member.is_bot)
      await seeMember(ctx.db, ctx.chat.id, msg.left_chat_member, 'left', ctx.now);
    return next();
  });

  // Whoever presses a button is known by name (a leader may decide by button without ever having written). A
  // press makes nobody a member: anyone can press the buttons of a message they can see, or forge a press;
  // membership comes from what Telegram says of members (see memberOfGroup for presses that record).
  bot.on('callback_query', async (ctx, next) => {
    const user = ctx.from;
    const verdict = pressFlood.hit(user.id, ctx.now.getTime());
    if (verdict !== 'ok') {
      if (verdict === 'just_blocked')
        deps.log.warn({ userId: user.id }, 'member flooding buttons; refusing their presses for a minute');
      return ctx.answerCbQuery(ctx.t.tooFastToast);
    }
    await seen.once(ctx, personKey(user.id), user, () => seeUser(ctx.db, user, ctx.now));
    return next();
  });

  // Flood control on commands: more than 20 in 10 seconds and the member is ignored for a minute, told once.
  bot.on('message', async (ctx, next) => {
    const msg = ctx.message;
    const isCommand = 'text' in msg && msg.entities?.[0]?.type === 'bot_command' && msg.entities[0].offset === 0;
    if (!isCommand || !ctx.from) return next();
    const verdict = flood.hit(ctx.from.id, ctx.now.getTime());
    if (verdict === 'ok') return next();
    if (verdict === 'just_blocked') {
      deps.log.warn(
        { userId: ctx.from.id, chatId: ctx.chat.id },
        'member flooding commands; ignoring them for a minute',
      );
      await replyPrivately(ctx, (t) => t.tooFast);
    }
  });

  bot.use(commands);
  return bot;
}
