import { Composer } from 'telegraf';
import * as articles from '../src/domain/articles.ts';
import { getChat, getUser, groupsOfUser } from '../src/domain/chats.ts';
import { addDays, localDay, parseDay } from '../src/domain/periods.ts';
import { groupMessages, privateMessages, type Messages } from '../src/i18n/index.ts';
import { deliverToDueGroups, pushNowToAll, pushNowToGroup } from '../src/jobs/push.ts';
import { articleMessages, callbackData, parseCallbackData, type InlineButton } from '../src/render/articles.ts';
import { displayName, toast } from '../src/render/html.ts';
import { markDecided } from '../src/telegram/decided.ts';
import { words, parseArticleId, takeOption } from '../src/telegram/args.ts';
import { replyPrivately, isGroup, isPrivate, reply, type LoaContext } from '../src/telegram/context.ts';
import { groupsLedBy, leads, requireLeader, requireUser } from '../src/telegram/guards.ts';
import type { Article, Campaign } from '../src/db/index.ts';
import { campaignArgument, joinCampaign } from './campaigns.ts';

// Articles: proposals, decisions, the lists, and the push on demand.
// Scoping: an article proposed or posted in a group is that group's; its leaders (the group's Telegram
// admins) and the owners decide on it. An article proposed in private, or posted by an owner, is for
// every group, and only owners decide on it.

export const articleCommands = new Composer<LoaContext>();

const today = (ctx: LoaContext) => localDay(ctx.now, ctx.deps.config.timezone);

/** A date argument as typed (2/12, 2/12/2026, 2026-12-02): today when absent; refused when malformed or past. */
async function dayArgument(
  ctx: LoaContext,
  text: string | undefined,
  usage: (t: Messages) => string,
): Promise<string | undefined> {
  if (text === undefined) return today(ctx);
  const day = parseDay(text, ctx.now, ctx.deps.config.timezone);
  if (day === undefined) {
    await replyPrivately(ctx, (t) => `${t.badDate(text.slice(0, 40))}\n${usage(t)}`);
    return undefined;
  }
  if (day < today(ctx)) {
    await replyPrivately(ctx, (t) => t.pastDate);
    return undefined;
  }
  return day;
}

/** Parses "<id>" at the head of the arguments; tells the member when it is missing or not a number. */
async function idArgument(
  ctx: LoaContext,
  list: string[],
  usage: (t: Messages) => string,
): Promise<number | undefined> {
  const first = list[0];
  if (first === undefined) {
    await replyPrivately(ctx, (t) => usage(t));
    return undefined;
  }
  const id = parseArticleId(first);
  if (id === undefined) await replyPrivately(ctx, (t) => `${t.badId(first.slice(0, 40))}\n${usage(t)}`);
  return id;
}

/** In a group, only its leaders and the owners decide; in private, each article's scope says who may. */
async function requireDecider(ctx: LoaContext): Promise<{ id: number } | undefined> {
  if (isGroup(ctx)) {
    const leader = await requireLeader(ctx);
    return leader ? { id: leader.userId } : undefined;
  }
  return requireUser(ctx);
}

/** Why a decision could not be made, in the caller's language. */
function decisionProblem(t: Messages, id: number, result: Exclude<articles.DecisionResult, { ok: true }>): string {
  if (result.reason === 'duplicate')
    return t.duplicateArticle(result.existing.id, t.formatDay(result.existing.publish_date!));
  if (result.reason === 'not_found') return t.unknownArticle(id);
  if (result.reason === 'archived') return t.archivedArticle(id);
  return t.alreadyRejected(id);
}

type Decided = { article: Article } | { problem: (t: Messages) => string; alert?: boolean };

/** The article, if it exists and the user may decide on it; otherwise why not. */
async function decidableArticle(ctx: LoaContext, userId: number, id: number): Promise<Decided> {
  const article = await articles.getArticle(ctx.db, id);
  if (!article) return { problem: (t) => t.unknownArticle(id) };
  const isOwner = ctx.deps.roles.isOwner(userId);
  const mayLead = article.scope_chat_id !== null && (await leads(ctx, userId, article.scope_chat_id));
  if (articles.mayDecide(article, { userId, isOwner }, () => mayLead)) return { article };
  const inItsGroup = isGroup(ctx) && ctx.chat!.id === article.scope_chat_id;
  return {
    problem: (t) =>
      article.scope_chat_id === null
        ? t.ownersOnly
        : inItsGroup || ctx.callbackQuery
          ? t.leadersOnly
          : t.notYourArticle(id),
    alert: true,
  };
}

/** Tells someone in private, if they started the bot; never fails the caller. */
async function tellPrivately(ctx: LoaContext, userId: number | null, render: (t: Messages) => string): Promise<void> {
  if (userId === null) return;
  const user = await getUser(ctx.db, userId);
  if (!user || !user.started) return;
  const t = privateMessages(user, ctx.deps.config);
  await ctx.deps.sender
    .sendMessage(userId, render(t))
    .catch((err: unknown) =>
      ctx.deps.log.info({ userId, err: (err as Error).message }, 'could not tell a user privately'),
    );
}

const decisionButtons = (t: Messages, id: number): InlineButton[] => [
  { text: `${t.buttonApprove} #${id}`, callback_data: callbackData.decide('approve', id) },
  { text: `${t.buttonReject} #${id}`, callback_data: callbackData.decide('reject', id) },
];

/** Tells the leaders who can decide on a new proposal, with Approve and Reject buttons. */
async function announceProposal(ctx: LoaContext, article: Article, proposer: string): Promise<void> {
  const { deps } = ctx;
  const where = article.scope_chat_id === null ? undefined : await getChat(ctx.db, article.scope_chat_id);
  let deciders: number[];
  try {
    deciders = where ? [...(await deps.roles.admins(where.id))] : [...deps.config.adminIds];
  } catch {
    deciders = [...deps.config.adminIds];
  }
  let told = 0;
  for (const userId of new Set(deciders)) {
    const user = await getUser(ctx.db, userId);
    if (!user || !user.started || userId === article.proposed_by) continue;
    const t = privateMessages(user, deps.config);
    const text = t.newProposal(article.id, article.title, article.url, proposer, where?.title ?? t.privateChat);
    const ok = await deps.sender
      .sendMessage(userId, text, { reply_markup: { inline_keyboard: [decisionButtons(t, article.id)] } })
      .then(() => true)
      .catch(() => false);
    if (ok) told += 1;
  }
  // No leader has started the bot: ask in the group itself, where the buttons work for its admins only.
  if (told === 0 && where && where.active) {
    const t = groupMessages(where, deps.config);
    await deps.sender.sendMessage(
      where.id,
      t.newProposal(article.id, article.title, article.url, proposer, where.title ?? ''),
      {
        reply_markup: { inline_keyboard: [decisionButtons(t, article.id)] },
      },
    );
  }
}

/** After an approval for today: groups that already had today's push get the new article at once. */
async function followUpIfToday(ctx: LoaContext, article: Article): Promise<void> {
  if (article.publish_date !== today(ctx)) return;
  // After the approval is committed, so the push (which works outside this update's transaction) sees it.
  ctx.afterCommit(
    () =>
      void deliverToDueGroups(ctx.deps, article.publish_date!).catch((err: unknown) =>
        ctx.deps.log.error({ err }, 'follow-up push failed'),
      ),
  );
}

articleCommands.command('submit', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  // Each proposal is a private message with buttons to every decider: for members of a group Loa serves (in a
  // group, the gate has checked it), so many a day; owners are not limited.
  const { config } = ctx.deps;
  if (!ctx.deps.roles.isOwner(user.id)) {
    if (isPrivate(ctx) && (await groupsOfUser(ctx.db, user.id)).length === 0)
      return replyPrivately(ctx, (t) => t.submitMembersOnly);
    if ((await articles.proposalsOn(ctx.db, user.id, today(ctx), config.timezone)) >= config.submissionsPerDay)
      return replyPrivately(ctx, (t) => t.submitLimit(config.submissionsPerDay));
  }
  const [first, ...titleWords] = words(ctx.payload);
  if (!first) return replyPrivately(ctx, (t) => t.usage.submit);
  const url = articles.checkUrl(first);
  if (!url.ok) return replyPrivately(ctx, (t) => `${t.badUrl(url.problem)}\n${t.usage.submit}`);
  const title = titleWords.join(' ');
  if (Array.from(title).length > articles.TITLE_MAX) return replyPrivately(ctx, (t) => t.titleTooLong);
  const article = await articles.submitArticle(
    ctx.db,
    {
      url: url.url,
      title,
      proposedBy: user.id,
      proposedIn: ctx.chat.id,
      scopeChatId: isGroup(ctx) ? ctx.chat.id : undefined,
    },
    ctx.now,
  );
  await replyPrivately(ctx, (t) => t.submitted(article.id));
  await announceProposal(ctx, article, displayName(user));
});

async function approve(ctx: LoaContext, userId: number, id: number, day: string): Promise<Decided> {
  const allowed = await decidableArticle(ctx, userId, id);
  if (!('article' in allowed)) return allowed;
  const result = await articles.approveArticle(ctx.db, id, userId, day, ctx.now);
  if (!result.ok) return { problem: (t) => decisionProblem(t, id, result) };
  if (result.article.proposed_by !== userId) {
    await tellPrivately(ctx, result.article.proposed_by, (t) =>
      t.approvedYours(id, result.article.title, t.formatDay(day)),
    );
  }
  await followUpIfToday(ctx, result.article);
  return { article: result.article };
}

async function reject(ctx: LoaContext, userId: number, id: number, reason: string | undefined): Promise<Decided> {
  const allowed = await decidableArticle(ctx, userId, id);
  if (!('article' in allowed)) return allowed;
  const result = await articles.rejectArticle(ctx.db, id, userId, reason, ctx.now);
  if (!result.ok) return { problem: (t) => decisionProblem(t, id, result) };
  if (result.article.proposed_by !== userId) {
    await tellPrivately(ctx, result.article.proposed_by, (t) =>
      t.rejectedYours(id, result.article.title, result.article.reason),
    );
  }
  return { article: result.article };
}

articleCommands.command('approve', async (ctx) => {
  const user = await requireDecider(ctx);
  if (!user) return;
  const tagged = await campaignArgument(ctx, words(ctx.payload));
  if (!tagged) return;
  const list = tagged.rest;
  const id = await idArgument(ctx, list, (t) => t.usage.approve);
  if (id === undefined) return;
  if (list.length > 2) return replyPrivately(ctx, (t) => t.usage.approve);
  const day = await dayArgument(ctx, list[1], (t) => t.usage.approve);
  if (!day) return;
  const done = await approve(ctx, user.id, id, day);
  if ('problem' in done) return replyPrivately(ctx, done.problem);
  await reply(ctx, ctx.t.approved(id, ctx.t.formatDay(day)));
  if (tagged.campaign) await joinAndSay(ctx, id, tagged.campaign);
});

articleCommands.command('reject', async (ctx) => {
  const user = await requireDecider(ctx);
  if (!user) return;
  const list = words(ctx.payload);
  const id = await idArgument(ctx, list, (t) => t.usage.reject);
  if (id === undefined) return;
  const reason = list.slice(1).join(' ');
  if (Array.from(reason).length > articles.NOTE_MAX) return replyPrivately(ctx, (t) => t.noteTooLong);
  const done = await reject(ctx, user.id, id, reason);
  if ('problem' in done) return replyPrivately(ctx, done.problem);
  await reply(ctx, ctx.t.rejected(id));
});

// Approve and Reject buttons under a proposal.
articleCommands.on('callback_query', async (ctx, next) => {
  const parsed = parseCallbackData('data' in ctx.callbackQuery ? ctx.callbackQuery.data : '');
  if (parsed?.type !== 'decide') return next();
  const { verdict, articleId: id } = parsed;
  const userId = ctx.from.id;
  const done =
    verdict === 'approve' ? await approve(ctx, userId, id, today(ctx)) : await reject(ctx, userId, id, undefined);
  if ('problem' in done) return ctx.answerCbQuery(toast(done.problem(ctx.t)), { show_alert: done.alert ?? false });
  await ctx.answerCbQuery(
    toast(verdict === 'approve' ? ctx.t.approved(id, ctx.t.formatDay(today(ctx))) : ctx.t.rejected(id)),
  );
  // Take this proposal's buttons away so nobody decides twice, and say who decided.
  const msg = ctx.callbackQuery.message;
  if (msg && 'text' in msg)
    await markDecided(
      ctx,
      msg,
      [callbackData.decide('approve', id), callbackData.decide('reject', id)],
      ctx.t.decidedBy(verdict === 'approve' ? 'approved' : 'rejected', displayName(ctx.from), id),
    );
});

articleCommands.command('post', async (ctx) => {
  const leader = await requireLeader(ctx);
  if (!leader) return;
  if (leader.role !== 'owner' && !isGroup(ctx)) return replyPrivately(ctx, (t) => t.groupOnly);
  const opt = takeOption(words(ctx.payload), 'date');
  if (opt.missing) return replyPrivately(ctx, (t) => t.usage.post);
  const tagged = await campaignArgument(ctx, opt.rest);
  if (!tagged) return;
  const [first, ...titleWords] = tagged.rest;
  if (!first) return replyPrivately(ctx, (t) => t.usage.post);
  const url = articles.checkUrl(first);
  if (!url.ok) return replyPrivately(ctx, (t) => `${t.badUrl(url.problem)}\n${t.usage.post}`);
  const title = titleWords.join(' ');
  if (Array.from(title).length > articles.TITLE_MAX) return replyPrivately(ctx, (t) => t.titleTooLong);
  const day = await dayArgument(ctx, opt.value, (t) => t.usage.post);
  if (!day) return;
  // An owner's article goes to every group; a leader's to their own group.
  const scopeChatId = leader.role === 'owner' ? undefined : ctx.chat.id;
  const result = await articles.postArticle(
    ctx.db,
    { url: url.url, title, proposedBy: leader.userId, proposedIn: ctx.chat.id, scopeChatId },
    day,
    ctx.now,
  );
  if (!result.ok) return replyPrivately(ctx, (t) => decisionProblem(t, 0, result));
  await reply(ctx, ctx.t.posted(result.article.id, ctx.t.formatDay(day)));
  if (tagged.campaign) await joinAndSay(ctx, result.article.id, tagged.campaign);
  await followUpIfToday(ctx, result.article);
});

async function joinAndSay(ctx: LoaContext, articleId: number, campaign: Campaign): Promise<void> {
  const joined = await joinCampaign(ctx, articleId, campaign);
  await reply(ctx, joined.ok ? ctx.t.campaigns.added(articleId, campaign.name) : joined.problem);
}

articleCommands.command('archive', async (ctx) => {
  const user = await requireDecider(ctx);
  if (!user) return;
  const list = words(ctx.payload);
  const id = await idArgument(ctx, list, (t) => t.usage.archive);
  if (id === undefined) return;
  const allowed = await decidableArticle(ctx, user.id, id);
  if ('problem' in allowed) return replyPrivately(ctx, allowed.problem);
  const result = await articles.archiveArticle(ctx.db, id, user.id, ctx.now);
  if (!result.ok) return replyPrivately(ctx, (t) => decisionProblem(t, id, result));
  await reply(ctx, ctx.t.archivedDone(id));
});

articleCommands.command('queue', (ctx) => showQueue(ctx));

/** The proposals the caller may decide on, with their buttons: /queue, and the eve check's button. */
export async function showQueue(ctx: LoaContext): Promise<void> {
  const user = await requireUser(ctx);
  if (!user) return;
  const isOwner = ctx.deps.roles.isOwner(user.id);
  let scopes: 'all' | number[];
  if (isOwner) scopes = 'all';
  else if (isGroup(ctx)) {
    const leader = await requireLeader(ctx);
    if (!leader) return;
    scopes = [ctx.chat!.id];
  } else {
    scopes = await groupsLedBy(ctx, user.id);
    if (scopes.length === 0) return replyPrivately(ctx, (t) => t.ownersOnly);
  }
  const pending = await articles.pendingArticles(ctx.db, scopes);
  if (pending.length === 0) return reply(ctx, ctx.t.queueEmpty);
  const parts = articleMessages(
    ctx.t,
    ctx.t.queueTitle(pending.length),
    ctx.t.queueTitle(pending.length),
    pending,
    (t, id) => decisionButtons(t, id),
  );
  for (const part of parts) await reply(ctx, part.text, { reply_markup: { inline_keyboard: part.keyboard } });
}

/** Approved articles a chat may see for a day: in a group, everyone's and the group's own. */
async function visibleArticles(ctx: LoaContext, day: string, userId: number | undefined): Promise<Article[]> {
  if (isGroup(ctx)) return articles.approvedFor(ctx.db, day, ctx.chat!.id);
  if (userId !== undefined && ctx.deps.roles.isOwner(userId)) return articles.approvedFor(ctx.db, day, 'all');
  const mine = userId === undefined ? [] : (await groupsOfUser(ctx.db, userId)).map((g) => g.id);
  const all = await articles.approvedFor(ctx.db, day, 'all');
  return all.filter((a) => a.scope_chat_id === null || mine.includes(a.scope_chat_id));
}

articleCommands.command('articles', async (ctx) => {
  const list = words(ctx.payload);
  if (list.length > 1) return replyPrivately(ctx, (t) => t.usage.articles);
  let day = today(ctx);
  const asked = list[0];
  if (asked !== undefined) {
    const parsed = parseDay(asked, ctx.now, ctx.deps.config.timezone);
    if (parsed === undefined)
      return replyPrivately(ctx, (t) => `${t.badDate(asked.slice(0, 40))}\n${t.usage.articles}`);
    day = parsed;
  }
  const found = await visibleArticles(ctx, day, ctx.from?.id);
  const shown = ctx.t.formatDay(day);
  if (found.length === 0) return reply(ctx, ctx.t.noArticles(shown));
  // Buttons while the day's articles still count (ARTICLE_OPEN_DAYS); an earlier day's list is for reading.
  const withButtons = day <= today(ctx) && addDays(day, ctx.deps.config.articleOpenDays) >= today(ctx);
  for (const part of articleMessages(
    ctx.t,
    ctx.t.articlesTitle(shown),
    ctx.t.articlesTitle(shown),
    found,
    withButtons ? undefined : null,
  )) {
    await reply(ctx, part.text, part.keyboard.length ? { reply_markup: { inline_keyboard: part.keyboard } } : {});
  }
});

articleCommands.command('today', async (ctx) => {
  const day = today(ctx);
  const found = await visibleArticles(ctx, day, ctx.from?.id);
  if (found.length === 0) return reply(ctx, ctx.t.todayEmpty);
  const shown = ctx.t.formatDay(day);
  for (const part of articleMessages(ctx.t, ctx.t.articlesTitle(shown), ctx.t.articlesTitle(shown), found)) {
    await reply(ctx, part.text, { reply_markup: { inline_keyboard: part.keyboard } });
  }
});

articleCommands.command('push', async (ctx) => {
  const leader = await requireLeader(ctx);
  if (!leader) return;
  if (isPrivate(ctx)) {
    if (leader.role !== 'owner') return replyPrivately(ctx, (t) => t.groupOnly);
    const newlyDue = await pushNowToAll(ctx.deps, today(ctx));
    if (newlyDue === undefined) return reply(ctx, ctx.t.pushNothingToday);
    return reply(ctx, newlyDue > 0 ? ctx.t.pushStarted(newlyDue) : ctx.t.pushAlreadyDoneAll);
  }
  const outcome = await pushNowToGroup(ctx.deps, ctx.chat.id, today(ctx));
  if (outcome === 'nothing_today') return replyPrivately(ctx, (t) => t.pushNothingToday);
  if (outcome === 'done_already') return replyPrivately(ctx, (t) => t.pushAlreadyDone);
});
