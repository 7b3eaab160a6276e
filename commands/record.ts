import { Composer } from 'telegraf';
import type { Update } from 'telegraf/types';
import { checkUrl, NOTE_MAX } from '../src/domain/articles.ts';
import { getChat, groupsOfUser, inServedGroup, isGroupType } from '../src/domain/chats.ts';
import { localDay, monthPeriod, weekPeriod } from '../src/domain/periods.ts';
import { recordAction, recordPress, streak, tally, undoLast, type RecordResult } from '../src/domain/records.ts';
import { groupRanking } from '../src/domain/scores.ts';
import type { Messages } from '../src/i18n/index.ts';
import { parseCallbackData } from '../src/render/articles.ts';
import { displayName, toast } from '../src/render/html.ts';
import { looksLikeId, looksLikeLink, parseArticleId, words } from '../src/telegram/args.ts';
import { acknowledge, react, replyPrivately, isGroup, writeOnce, type LoaContext } from '../src/telegram/context.ts';
import { memberOfGroup, requireUser } from '../src/telegram/guards.ts';

// Recording what members did, by button or by command; and what they see of their own record.
// Quiet in the group: a button is answered with its toast only; a command with a reaction on the
// member's message (and the words in private for members who started the bot).

export const recordCommands = new Composer<LoaContext>();

function problemText(t: Messages, result: Exclude<RecordResult, { ok: true }>): string {
  switch (result.reason) {
    case 'duplicate':
      return t.alreadyRecorded;
    case 'unknown_article':
      return t.unknownArticle(result.articleId);
    case 'archived_article':
      return t.archivedArticle(result.articleId);
    case 'closed_article':
      return t.closedArticle(result.articleId, t.formatDay(result.lastDay));
  }
}

// The Shared and Rebutted buttons under an article.
recordCommands.on('callback_query', async (ctx, next) => {
  const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
  if (data === undefined || !data.startsWith('rec:')) return next();
  const parsed = parseCallbackData(data);
  const msg = ctx.callbackQuery.message;
  // Only our own messages carry our buttons; anything else is forged or from another bot.
  const fromUs = msg !== undefined && 'from' in msg && msg.from?.id === ctx.botInfo.id;
  if (!parsed || parsed.type !== 'record' || !fromUs) return ctx.answerCbQuery(ctx.t.staleButton);
  const inGroup = isGroupType(msg.chat.type);
  // Only a member's private reminder carries the group a press records in (see jobs/reminders.ts).
  if (inGroup && parsed.chatId !== undefined) return ctx.answerCbQuery(ctx.t.staleButton);
  const chatId = inGroup ? msg.chat.id : parsed.chatId;
  // A press in a group counts for its members only (a public group's messages can be seen, and pressed, by anyone);
  // one in a reminder, for a member still in the group it names (the data is the presser's to forge: checked here).
  if (inGroup && !(await memberOfGroup(ctx, msg.chat.id, ctx.from))) return ctx.answerCbQuery(ctx.t.membersOnlyToast);
  if (!inGroup && chatId !== undefined && !(await inServedGroup(ctx.db, chatId, ctx.from.id)))
    return ctx.answerCbQuery(ctx.t.membersOnlyToast);
  const { config } = ctx.deps;
  const result = await recordPress(
    ctx.db,
    { userId: ctx.from.id, chatId, articleId: parsed.articleId, kind: parsed.kind },
    config,
    ctx.now,
    ctx.claim,
  );
  // Handled already and its record gone since (undone): nothing to say, but the button stops spinning.
  if (!result.ok && result.reason === 'repeated') return ctx.answerCbQuery();
  if (!result.ok)
    return ctx.answerCbQuery(
      result.reason === 'duplicate' ? ctx.t.alreadyRecordedToast : toast(problemText(ctx.t, result)),
    );
  const points = result.record.points;
  const text =
    parsed.kind === 'shared'
      ? ctx.t.recordedSharedToast(parsed.articleId, points)
      : ctx.t.recordedRebuttedToast(parsed.articleId, points);
  await ctx.answerCbQuery(toast(text), { show_alert: parsed.kind === 'rebutted' });
});

/** Whether an update is a press of a Shared or Rebutted button. */
const isRecordPress = (update: Update): boolean =>
  'callback_query' in update &&
  'data' in update.callback_query &&
  parseCallbackData(update.callback_query.data)?.type === 'record';

/** The command a message starts with (`/shared@LoaBot` → `shared`), and who sent it. */
function commandOf(update: Update): { name: string; from: number } | undefined {
  if (!('message' in update) || !('text' in update.message) || !update.message.from) return undefined;
  const first = update.message.entities?.[0];
  if (first?.type !== 'bot_command' || first.offset !== 0) return undefined;
  const name = /^\/([a-z_]+)(@\w+)?$/i.exec(update.message.text.slice(0, first.length))?.[1]?.toLowerCase();
  return name ? { name, from: update.message.from.id } : undefined;
}

/**
 * Whether an update's one effect is a record, written by a statement or transaction that also claims the update:
 * on PostgreSQL it is handled outside a transaction of its own (see UpdateTransactions and recordAction).
 */
export const claimsItself = (update: Update): boolean => {
  if (isRecordPress(update)) return true;
  const command = commandOf(update)?.name;
  return command === 'shared' || command === 'rebutted';
};

/**
 * The member whose own record alone an update touches: a press of Shared or Rebutted, /shared, /rebutted, /undo.
 * Such updates keep their order among the member's own and behind the chat's others, and go on beside other
 * members' (see ChatLanes): a leader's /archive still comes before the presses sent after it. A press names its
 * one record (the article and the kind), so a member's presses of different buttons go on side by side, while a
 * second press of the same button waits for the first, and /undo for every press before it.
 */
export function ownRecordOf(update: Update): { member: number; record?: string } | undefined {
  if ('callback_query' in update) {
    const parsed = 'data' in update.callback_query ? parseCallbackData(update.callback_query.data) : undefined;
    return parsed?.type === 'record'
      ? { member: update.callback_query.from.id, record: `${parsed.kind}:${parsed.articleId}` }
      : undefined;
  }
  const command = commandOf(update);
  return command && ['shared', 'rebutted', 'undo'].includes(command.name) ? { member: command.from } : undefined;
}

/** Articles carried by a message of ours that the member replied to, read from its buttons. */
function articlesOfRepliedMessage(ctx: LoaContext): number[] | undefined {
  const replied = ctx.message && 'reply_to_message' in ctx.message ? ctx.message.reply_to_message : undefined;
  if (!replied || replied.from?.id !== ctx.botInfo.id) return undefined;
  const keyboard = 'reply_markup' in replied ? replied.reply_markup?.inline_keyboard : undefined;
  const ids = new Set<number>();
  for (const row of keyboard ?? []) {
    for (const button of row) {
      const parsed = 'callback_data' in button ? parseCallbackData(button.callback_data) : undefined;
      if (parsed?.type === 'record') ids.add(parsed.articleId);
    }
  }
  return [...ids];
}

async function record(
  ctx: LoaContext,
  userId: number,
  req: { articleId: number | undefined; kind: 'shared' | 'rebutted'; link?: string; note?: string },
): Promise<void> {
  const chatId = isGroup(ctx) ? ctx.chat!.id : undefined;
  const result = await recordAction(ctx.db, { userId, chatId, ...req }, ctx.deps.config, ctx.now, ctx.claim);
  // Handled before: a redelivery, after a restart that may have cut its answer short. The update is never answered
  // twice in words; a reaction on the member's message (set once, however often) still shows it is recorded.
  if (!result.ok && result.reason === 'repeated') {
    await react(ctx, '👌');
    return;
  }
  if (!result.ok) {
    if (result.reason === 'duplicate') return acknowledge(ctx, '👌', (t) => t.alreadyRecorded);
    return replyPrivately(ctx, (t) => problemText(t, result));
  }
  const points = result.record.points;
  const text = (t: Messages) =>
    result.linkAdded
      ? t.rebuttalLinkAdded(req.articleId!)
      : result.unscored
        ? t.rebuttalUnscored(ctx.deps.config.rebuttalsPerDay)
        : req.kind === 'shared'
          ? t.recordedShared(req.articleId!, points)
          : req.link
            ? t.recordedRebuttalLink(req.articleId ?? null, points)
            : t.recordedRebutted(req.articleId!, points);
  await acknowledge(ctx, result.unscored || result.linkAdded ? '👌' : req.kind === 'shared' ? '👍' : '🔥', text);
}

recordCommands.command('shared', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  const list = words(ctx.payload);
  let articleId: number | undefined;
  let rest = list;
  if (list.length > 0 && !looksLikeLink(list[0])) {
    articleId = parseArticleId(list[0]);
    if (articleId === undefined)
      return replyPrivately(ctx, (t) => `${t.badId(list[0]!.slice(0, 40))}\n${t.usage.shared}`);
    rest = list.slice(1);
  } else {
    const fromReply = articlesOfRepliedMessage(ctx);
    if (fromReply === undefined || fromReply.length === 0) return replyPrivately(ctx, (t) => t.usage.shared);
    if (fromReply.length > 1) return replyPrivately(ctx, (t) => t.whichArticle(fromReply));
    articleId = fromReply[0];
  }
  if (rest.length > 1) return replyPrivately(ctx, (t) => t.usage.shared);
  let link: string | undefined;
  if (rest[0] !== undefined) {
    const checked = checkUrl(rest[0]);
    if (!checked.ok) return replyPrivately(ctx, (t) => `${t.badUrl(checked.problem)}\n${t.usage.shared}`);
    link = checked.url;
  }
  await record(ctx, user.id, { articleId, kind: 'shared', ...(link ? { link } : {}) });
});

recordCommands.command('rebutted', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  const list = words(ctx.payload);
  let articleId: number | undefined;
  let rest = list;
  if (list.length > 0 && looksLikeId(list[0])) {
    articleId = parseArticleId(list[0]);
    if (articleId === undefined)
      return replyPrivately(ctx, (t) => `${t.badId(list[0]!.slice(0, 40))}\n${t.usage.rebutted}`);
    rest = list.slice(1);
  }
  const [linkText, ...noteWords] = rest;
  if (linkText === undefined) return replyPrivately(ctx, (t) => t.usage.rebutted);
  const checked = checkUrl(linkText);
  if (!checked.ok) return replyPrivately(ctx, (t) => `${t.badUrl(checked.problem)}\n${t.usage.rebutted}`);
  const note = noteWords.join(' ');
  if (Array.from(note).length > NOTE_MAX) return replyPrivately(ctx, (t) => t.noteTooLong);
  await record(ctx, user.id, { articleId, kind: 'rebutted', link: checked.url, ...(note ? { note } : {}) });
});

recordCommands.command('undo', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  const removed = await writeOnce(ctx, (tx) => undoLast(tx, user.id, ctx.now));
  if (!removed) return replyPrivately(ctx, (t) => t.undoNone);
  await acknowledge(ctx, '👌', (t) =>
    t.undone(
      removed.kind,
      removed.article_id === null ? null : Number(removed.article_id),
      removed.link,
      Number(removed.points),
    ),
  );
});

recordCommands.command('me', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  const { db } = ctx;
  const { config } = ctx.deps;
  const zone = config.timezone;
  const week = weekPeriod(ctx.now, zone);
  const [weekTally, monthTally, allTally, days] = await Promise.all([
    tally(db, user.id, week),
    tally(db, user.id, monthPeriod(ctx.now, zone)),
    tally(db, user.id, undefined),
    streak(db, user.id, localDay(ctx.now, zone), zone),
  ]);
  // The rank is for this group; in private, for the member's group when they have exactly one.
  let groupId: number | undefined = isGroup(ctx) ? ctx.chat!.id : undefined;
  if (groupId === undefined) {
    const groups = await groupsOfUser(db, user.id);
    if (groups.length === 1) groupId = groups[0]!.id;
  }
  let rank: number | null = null;
  let groupTitle: string | null = null;
  if (groupId !== undefined) {
    groupTitle = (await getChat(db, groupId))?.title ?? '';
    rank = (await groupRanking(db, groupId, week)).find((r) => r.userId === user.id)?.rank ?? null;
  }
  await replyPrivately(ctx, (t) =>
    t.me({
      name: displayName(user),
      week: weekTally,
      month: monthTally,
      all: allTally,
      rank,
      groupTitle,
      streak: days,
    }),
  );
});
