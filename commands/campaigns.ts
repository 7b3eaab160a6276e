import { Composer } from 'telegraf';
import type { Campaign } from '../src/db/index.ts';
import {
  addToCampaign,
  createCampaign,
  endCampaign,
  findCampaign,
  hasEnded,
  isCampaignTag,
  isRunning,
  listCampaigns,
  type CampaignResult,
} from '../src/domain/campaigns.ts';
import { getArticle, mayDecide } from '../src/domain/articles.ts';
import { activeGroups, getChat } from '../src/domain/chats.ts';
import { coverageFor } from '../src/domain/coverage.ts';
import { localDay, parseDay, type Day } from '../src/domain/periods.ts';
import { rate, setWeeklyTarget, weeklyTarget } from '../src/domain/reports.ts';
import type { Messages } from '../src/i18n/index.ts';
import { callbackData, parseCallbackData } from '../src/render/articles.ts';
import { truncate } from '../src/render/html.ts';
import { coverageCounts, coverageWithNames, groupButtons, num, pct, range } from '../src/render/reports.ts';
import { parseArticleId, words } from '../src/telegram/args.ts';
import { isGroup, reply, replyPrivately, type LoaContext } from '../src/telegram/context.ts';
import {
  campaignScope,
  groupsLedBy,
  leads,
  requireLeader,
  requireLeaderAnywhere,
  requireUser,
} from '../src/telegram/guards.ts';

// Campaigns (/campaign), the day's coverage (/coverage) and the weekly participation target (/target).

export const campaignCommands = new Composer<LoaContext>();

const today = (ctx: LoaContext): Day => localDay(ctx.now, ctx.deps.config.timezone);

function campaignRange(t: Messages, c: Campaign): string {
  return c.last_day === null ? t.campaigns.from(t.formatDay(c.first_day)) : range(t, c.first_day, c.last_day);
}

function campaignProblem(t: Messages, result: Exclude<CampaignResult, { ok: true }>, name: string): string {
  switch (result.reason) {
    case 'bad_name':
      return t.campaigns.badName;
    case 'taken':
      return t.campaigns.taken(result.existing.name);
    case 'reversed':
      return t.campaigns.reversed;
    case 'ended':
      return t.campaigns.alreadyEnded(name);
    case 'not_found':
      return t.campaigns.notFound(name);
  }
}

/** Whether the caller may change a campaign: owners any; a group's leaders that group's. */
async function mayChange(ctx: LoaContext, userId: number, c: Campaign): Promise<boolean> {
  if (ctx.deps.roles.isOwner(userId)) return true;
  return c.scope_chat_id !== null && leads(ctx, userId, Number(c.scope_chat_id));
}

/** The campaign a name means where the caller typed it; undefined after saying there is none. */
export async function namedCampaign(ctx: LoaContext, text: string): Promise<Campaign | undefined> {
  const campaign = await findCampaign(ctx.db, text, await campaignScope(ctx));
  if (!campaign) await replyPrivately(ctx, (t) => t.campaigns.notFound(text.replace(/^#/, '').slice(0, 40)));
  return campaign;
}

/**
 * A trailing "#name" on /post and /approve: the campaign the article joins. Undefined after telling the caller
 * when there is no such campaign here (nothing is posted or approved then).
 */
export async function campaignArgument(
  ctx: LoaContext,
  list: string[],
): Promise<{ rest: string[]; campaign: Campaign | undefined } | undefined> {
  const last = list.at(-1);
  if (last === undefined || !isCampaignTag(last)) return { rest: list, campaign: undefined };
  const campaign = await namedCampaign(ctx, last);
  return campaign && { rest: list.slice(0, -1), campaign };
}

/** The campaign named in a command, one the caller may change; undefined after saying why not. */
async function changeableCampaign(ctx: LoaContext, userId: number, text: string): Promise<Campaign | undefined> {
  const campaign = await namedCampaign(ctx, text);
  if (!campaign) return undefined;
  if (!(await mayChange(ctx, userId, campaign))) {
    await replyPrivately(ctx, (t) => t.campaigns.notYours(campaign.name));
    return undefined;
  }
  return campaign;
}

async function listing(ctx: LoaContext): Promise<void> {
  const day = today(ctx);
  // The first thirty are shown: only theirs are counted, in one read.
  const campaigns = (await listCampaigns(ctx.db, await campaignScope(ctx), day)).slice(0, 30);
  if (campaigns.length === 0) return reply(ctx, ctx.t.campaigns.listEmpty);
  const counted = await ctx.db
    .selectFrom('article_campaigns')
    .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'campaign_id',
      'in',
      campaigns.map((c) => c.id),
    )
    .groupBy('campaign_id')
    .execute();
  const articles = new Map(counted.map((r) => [Number(r.campaign_id), Number(r.n)]));
  const titles = new Map<number, string>();
  for (const c of campaigns)
    if (c.scope_chat_id !== null && !titles.has(Number(c.scope_chat_id)))
      titles.set(Number(c.scope_chat_id), (await getChat(ctx.db, Number(c.scope_chat_id)))?.title ?? '');
  const t = ctx.t;
  const lines = campaigns.map((c) =>
    t.campaigns.line(
      c.name,
      campaignRange(t, c),
      isRunning(c, day) ? 'running' : hasEnded(c, day) ? 'ended' : 'upcoming',
      num(t, articles.get(Number(c.id)) ?? 0),
      c.scope_chat_id === null
        ? t.campaigns.everyGroup
        : t.campaigns.group(truncate(titles.get(Number(c.scope_chat_id)) ?? '', 40)),
    ),
  );
  await reply(ctx, [t.campaigns.listTitle, '', ...lines].join('\n'));
}

campaignCommands.command('campaign', async (ctx) => {
  const [action, ...rest] = words(ctx.payload);
  const verb = action?.toLowerCase();
  if (verb === undefined) return listing(ctx);
  const leader = await requireLeaderAnywhere(ctx);
  if (!leader) return;
  const zone = ctx.deps.config.timezone;
  const day = today(ctx);

  if ((verb === 'new' || verb === 'tao') && rest.length >= 1 && rest.length <= 3) {
    const [name, from, to] = rest;
    const days = [from, to].map((w) => (w === undefined ? undefined : parseDay(w, ctx.now, zone)));
    const badAt = [from, to].findIndex((w, i) => w !== undefined && days[i] === undefined);
    if (badAt !== -1)
      return replyPrivately(ctx, (t) => `${t.badDate([from, to][badAt]!.slice(0, 40))}\n${t.campaigns.usage}`);
    // In a group: that group's campaign. In private: an owner's is every group's; a leader of one group, theirs.
    let scope: number | null;
    if (isGroup(ctx)) scope = ctx.chat!.id;
    else if (leader.led === 'all') scope = null;
    else if (leader.led.length === 1) scope = leader.led[0]!;
    else return replyPrivately(ctx, (t) => t.campaigns.whichGroup);
    const result = await createCampaign(
      ctx.db,
      { text: name!, scopeChatId: scope, firstDay: days[0] ?? day, lastDay: days[1], by: leader.userId },
      ctx.now,
    );
    if (!result.ok) return replyPrivately(ctx, (t) => campaignProblem(t, result, name!.slice(0, 40)));
    const title = scope === null ? undefined : ((await getChat(ctx.db, scope))?.title ?? '');
    return reply(
      ctx,
      ctx.t.campaigns.created(
        result.campaign.name,
        title === undefined ? ctx.t.campaigns.everyGroup : ctx.t.campaigns.group(truncate(title, 40)),
        campaignRange(ctx.t, result.campaign),
      ),
    );
  }

  if ((verb === 'end' || verb === 'ketthuc') && rest.length === 1) {
    const campaign = await changeableCampaign(ctx, leader.userId, rest[0]!);
    if (!campaign) return;
    const result = await endCampaign(ctx.db, campaign, day, ctx.now);
    if (!result.ok) return replyPrivately(ctx, (t) => campaignProblem(t, result, campaign.name));
    return reply(ctx, ctx.t.campaigns.ended(campaign.name, ctx.t.formatDay(result.campaign.last_day!)));
  }

  if ((verb === 'add' || verb === 'them') && rest.length === 2) {
    const id = parseArticleId(rest[0]!);
    if (id === undefined) return replyPrivately(ctx, (t) => `${t.badId(rest[0]!.slice(0, 40))}\n${t.campaigns.usage}`);
    const campaign = await namedCampaign(ctx, rest[1]!);
    if (!campaign) return;
    const result = await joinCampaign(ctx, id, campaign);
    if (!result.ok) return replyPrivately(ctx, () => result.problem);
    return reply(ctx, ctx.t.campaigns.added(id, campaign.name));
  }
  return replyPrivately(ctx, (t) => t.campaigns.usage);
});

/**
 * Puts an article in a campaign the caller can see (shared by /campaign add, /post … #name and /approve … #name).
 * The caller must be able to decide on the article: an owner any, a leader their own group's articles. So a
 * leader may bring their group's article into an owner's every-group campaign, but not change its other articles.
 */
export async function joinCampaign(
  ctx: LoaContext,
  articleId: number,
  campaign: Campaign,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  const userId = ctx.from!.id;
  const article = await getArticle(ctx.db, articleId);
  const mayLead = article?.scope_chat_id != null && (await leads(ctx, userId, Number(article.scope_chat_id)));
  if (!article || !mayDecide(article, { userId, isOwner: ctx.deps.roles.isOwner(userId) }, () => mayLead))
    return { ok: false, problem: ctx.t.notYourArticle(articleId) };
  const result = await addToCampaign(ctx.db, articleId, campaign, today(ctx));
  if (result.ok) return { ok: true };
  const t = ctx.t;
  return {
    ok: false,
    problem:
      result.reason === 'ended'
        ? t.campaigns.endedNoAdd(campaign.name)
        : t.campaigns.notAddable(articleId, campaign.name),
  };
}

// /coverage [date]: the day's articles × the group's members.

campaignCommands.command('coverage', async (ctx) => {
  const leader = await requireLeaderAnywhere(ctx);
  if (!leader) return;
  const args = words(ctx.payload);
  if (args.length > 1) return replyPrivately(ctx, (t) => t.coverage.usage);
  const day = args[0] === undefined ? today(ctx) : parseDay(args[0], ctx.now, ctx.deps.config.timezone);
  if (day === undefined) return replyPrivately(ctx, (t) => `${t.badDate(args[0]!.slice(0, 40))}\n${t.coverage.usage}`);
  if (isGroup(ctx)) {
    const c = await coverageFor(ctx.db, ctx.chat!.id, day, day);
    // Names are for the leader: privately when Loa can reach them; the group sees counts only.
    const counts = coverageCounts(ctx.t, c, day);
    if (ctx.reachable && c.articles.length > 0) {
      await replyPrivately(ctx, (t) => coverageWithNames(t, c, day));
      counts.push('', ctx.t.coverage.namesInPrivate);
    }
    return reply(ctx, counts.join('\n'));
  }
  const led = leader.led === 'all' ? (await activeGroups(ctx.db)).map((g) => g.id) : leader.led;
  if (led.length === 1) return reply(ctx, coverageWithNames(ctx.t, await coverageFor(ctx.db, led[0]!, day, day), day));
  const all = await Promise.all(led.map((id) => coverageFor(ctx.db, id, day, day)));
  if (all.length === 0) return reply(ctx, ctx.t.reports.noGroups);
  const rows = all
    .map((c) => ({ c, acted: c.members.length - c.withNothing }))
    .sort(
      (a, b) =>
        rate(a.acted, a.c.members.length) - rate(b.acted, b.c.members.length) || a.c.title.localeCompare(b.c.title),
    );
  const t = ctx.t;
  const lines = [t.coverage.groupsTitle(t.formatDay(day)), ''];
  for (const { c, acted } of rows.slice(0, 60))
    lines.push(
      t.coverage.groupLine(
        truncate(c.title, 50),
        num(t, acted),
        num(t, c.members.length),
        pct(t, rate(acted, c.members.length)),
      ),
    );
  if (rows.length > 60) lines.push(`… (+${num(t, rows.length - 60)})`);
  lines.push('', t.coverage.openGroup);
  const buttons = groupButtons(
    rows.map(({ c }) => c),
    (chatId) => callbackData.coverage(chatId, day),
  );
  await reply(ctx, lines.join('\n'), { reply_markup: { inline_keyboard: buttons } });
});

// A group's button under the coverage roll-up: its members by name, for a leader of it or an owner, in private.
campaignCommands.on('callback_query', async (ctx, next) => {
  const parsed = parseCallbackData('data' in ctx.callbackQuery ? ctx.callbackQuery.data : '');
  if (parsed?.type !== 'coverage') return next();
  const userId = ctx.from.id;
  const allowed = ctx.deps.roles.isOwner(userId) || (await groupsLedBy(ctx, userId)).includes(parsed.chatId);
  if (!allowed || ctx.callbackQuery.message?.chat.type !== 'private')
    return ctx.answerCbQuery(ctx.t.reports.notYourGroup, { show_alert: true });
  await ctx.answerCbQuery();
  await reply(
    ctx,
    coverageWithNames(ctx.t, await coverageFor(ctx.db, parsed.chatId, parsed.day, parsed.day), parsed.day),
  );
});

// /target [percent|off]: the group's weekly participation target.
campaignCommands.command('target', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  let chatId: number;
  if (isGroup(ctx)) {
    const leader = await requireLeader(ctx);
    if (!leader) return;
    chatId = ctx.chat.id;
  } else {
    // In private, only the leader of one group: anyone else says which group by sending it there.
    const led = await groupsLedBy(ctx, user.id);
    if (led.length !== 1) return replyPrivately(ctx, (t) => t.groupOnly);
    chatId = led[0]!;
  }
  const args = words(ctx.payload);
  if (args.length === 0) return reply(ctx, ctx.t.targets.current(await weeklyTarget(ctx.db, chatId)));
  const arg = args[0]!.toLowerCase();
  if (args.length === 1 && (arg === 'off' || arg === 'tat' || arg === 'bo')) {
    await setWeeklyTarget(ctx.db, chatId, null);
    return reply(ctx, ctx.t.targets.cleared);
  }
  const m = /^(\d{1,3})%?$/.exec(arg);
  const percent = m ? Number(m[1]) : NaN;
  if (args.length !== 1 || !(percent >= 1 && percent <= 100)) return replyPrivately(ctx, (t) => t.targets.usage);
  await setWeeklyTarget(ctx.db, chatId, percent);
  await reply(ctx, ctx.t.targets.set(percent));
});
