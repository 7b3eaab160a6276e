import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Composer } from 'telegraf';
import { groupsOfUser, setChatLocale, setUserLocale } from '../src/domain/chats.ts';
import { exportRecords } from '../src/domain/exports.ts';
import {
  daysPeriod,
  localDay,
  parsePeriod,
  previousWeekOf,
  type NamedPeriod,
  type ParsedPeriod,
  type Period,
} from '../src/domain/periods.ts';
import { groupsRanking, groupSummary, inactiveMembers } from '../src/domain/reports.ts';
import { groupRanking } from '../src/domain/scores.ts';
import { isLocale, messages, type Messages } from '../src/i18n/index.ts';
import { callbackData, parseCallbackData } from '../src/render/articles.ts';
import { escapeHtml } from '../src/render/html.ts';
import { range, groupButtons, groupsText, leaderboardText, num, summaryText } from '../src/render/reports.ts';
import { words } from '../src/telegram/args.ts';
import { replyPrivately, isGroup, isPrivate, reply, type LoaContext } from '../src/telegram/context.ts';
import { groupsLedBy, requireLeader, requireLeaderAnywhere, requireUser } from '../src/telegram/guards.ts';
import { campaignPeriod, getCampaign, isCampaignTag } from '../src/domain/campaigns.ts';
import { namedCampaign } from './campaigns.ts';

// The reports leaders and members read: leaderboards, summaries, exports; and /lang.

export const reportCommands = new Composer<LoaContext>();

const LEADERBOARD_PERIODS = ['week', 'day', 'month', 'all'] as const satisfies readonly NamedPeriod[];
const SUMMARY_PERIODS = ['week', 'lastweek', 'month', 'lastmonth'] as const satisfies readonly NamedPeriod[];

function periodTitle(t: Messages, parsed: Extract<ParsedPeriod, { ok: true }>): { name: string; shown: string } {
  const campaign = parsed.period?.campaign;
  const name = campaign ? `#${escapeHtml(campaign.name)}` : (t.reports.periodName[parsed.name] ?? '');
  const p = parsed.period;
  return { name, shown: p ? range(t, p.firstDay, p.lastDay) : '' };
}

/** Reads the period argument; tells the member what is wrong with it. */
async function periodArgument(
  ctx: LoaContext & { payload: string },
  allowed: readonly NamedPeriod[],
  allowRange: boolean,
  usage: (t: Messages) => string,
): Promise<Extract<ParsedPeriod, { ok: true }> | undefined> {
  const list = words(ctx.payload);
  // "#tet2027": a campaign's days and articles, as the caller can see it.
  if (list.length === 1 && isCampaignTag(list[0]!)) {
    const campaign = await namedCampaign(ctx, list[0]!);
    if (!campaign) return undefined;
    const zone = ctx.deps.config.timezone;
    return { ok: true, name: 'campaign', period: campaignPeriod(campaign, localDay(ctx.now, zone), zone) };
  }
  const parsed = parsePeriod(list, ctx.now, ctx.deps.config.timezone, allowed, allowRange);
  if (parsed.ok) return parsed;
  await replyPrivately(ctx, (t) =>
    parsed.problem === 'bad_date'
      ? `${t.badDate((parsed.text ?? '').slice(0, 40))}\n${usage(t)}`
      : parsed.problem === 'reversed'
        ? t.badRange
        : parsed.problem === 'too_long'
          ? t.rangeTooLong
          : usage(t),
  );
  return undefined;
}

async function leaderboard(ctx: LoaContext & { payload: string }): Promise<void> {
  const parsed = await periodArgument(ctx, LEADERBOARD_PERIODS, false, (t) => t.usageLeaderboard);
  if (!parsed) return;
  const { db } = ctx;
  const userId = ctx.from?.id;
  const { name, shown } = periodTitle(ctx.t, parsed);
  // One group's board, the caller marked on it.
  const board = async (chatId: number, callerId: number | undefined) =>
    reply(
      ctx,
      leaderboardText(
        ctx.t,
        ctx.t.reports.leaderboardTitle(name, shown),
        parsed.period?.campaign
          ? ctx.t.campaigns.boardEmpty(parsed.period.campaign.name)
          : ctx.t.reports.leaderboardEmpty(name),
        await groupRanking(db, chatId, parsed.period),
        callerId,
      ),
    );
  if (isGroup(ctx)) return board(ctx.chat!.id, userId);
  // In private: leaders and owners compare their groups; a member sees their own group's board.
  const user = await requireUser(ctx);
  if (!user) return;
  const led = ctx.deps.roles.isOwner(user.id) ? 'all' : await groupsLedBy(ctx, user.id);
  if (led === 'all' || led.length > 0) {
    const rows = await groupsRanking(db, led, parsed.period);
    if (rows.length === 0) return reply(ctx, ctx.t.reports.noGroups);
    return reply(ctx, groupsText(ctx.t, ctx.t.reports.groupsTitle(name, shown), rows));
  }
  const mine = await groupsOfUser(db, user.id);
  if (mine.length !== 1) return replyPrivately(ctx, (t) => t.groupOnly);
  return board(mine[0]!.id, user.id);
}

reportCommands.command(['leaderboard', 'top'], leaderboard);

/** A group's summary as its leader reads it: with the names of members who have no record only if `withNames`. */
async function groupSummaryText(
  ctx: LoaContext,
  t: Messages,
  chatId: number,
  period: Period,
  withNames: boolean,
): Promise<string> {
  const { db } = ctx;
  const zone = ctx.deps.config.timezone;
  const previous = period.campaign ? undefined : previousWeekOf(period, zone);
  const summary = await groupSummary(db, chatId, period, zone, previous);
  const inactive = withNames ? await inactiveMembers(db, chatId, period) : undefined;
  const shown = range(t, period.firstDay, period.lastDay);
  return summaryText(
    t,
    t.reports.summaryTitle(summary.title, period.campaign ? `#${escapeHtml(period.campaign.name)} · ${shown}` : shown),
    summary,
    inactive,
  );
}

reportCommands.command('summary', async (ctx) => {
  const leader = await requireLeaderAnywhere(ctx);
  if (!leader) return;
  const parsed = await periodArgument(ctx, SUMMARY_PERIODS, true, (t) => t.usageSummary);
  if (!parsed) return;
  const period = parsed.period!;
  if (isGroup(ctx)) {
    const chatId = ctx.chat.id;
    // Names of members with no record are for the leader's eyes: privately, or not at all.
    if (ctx.reachable) {
      const text = await groupSummaryText(ctx, ctx.t, chatId, period, true);
      return replyPrivately(ctx, () => text);
    }
    return reply(ctx, await groupSummaryText(ctx, ctx.t, chatId, period, false));
  }
  // In private: the leader of one group reads that group's summary, names and all; a leader of several, or an
  // owner, the roll-up, with a button to open each group's.
  if (leader.led !== 'all' && leader.led.length === 1)
    return reply(ctx, await groupSummaryText(ctx, ctx.t, leader.led[0]!, period, true));
  const rows = await groupsRanking(ctx.db, leader.led, period);
  if (rows.length === 0) return reply(ctx, ctx.t.reports.noGroups);
  const title = ctx.t.reports.rollupTitleAny(range(ctx.t, period.firstDay, period.lastDay));
  const buttons = groupButtons(rows, (chatId) =>
    callbackData.summary(chatId, period.firstDay, period.lastDay, period.campaign?.id),
  );
  await reply(ctx, `${groupsText(ctx.t, title, rows)}\n\n${ctx.t.reports.openGroup}`, {
    reply_markup: { inline_keyboard: buttons },
  });
});

// A group's button under a roll-up: its summary, for a leader of it or an owner, in private.
reportCommands.on('callback_query', async (ctx, next) => {
  const parsed = parseCallbackData('data' in ctx.callbackQuery ? ctx.callbackQuery.data : '');
  if (parsed?.type !== 'summary') return next();
  const userId = ctx.from.id;
  const zone = ctx.deps.config.timezone;
  const campaign = parsed.campaignId === undefined ? undefined : await getCampaign(ctx.db, parsed.campaignId);
  const period =
    parsed.campaignId === undefined
      ? daysPeriod(parsed.firstDay, parsed.lastDay, zone)
      : campaign && (campaign.scope_chat_id === null || Number(campaign.scope_chat_id) === parsed.chatId)
        ? campaignPeriod(campaign, localDay(ctx.now, zone), zone)
        : undefined;
  const allowed = ctx.deps.roles.isOwner(userId) || (await groupsLedBy(ctx, userId)).includes(parsed.chatId);
  if (!period || !allowed || ctx.callbackQuery.message?.chat.type !== 'private')
    return ctx.answerCbQuery(ctx.t.reports.notYourGroup, { show_alert: true });
  await ctx.answerCbQuery();
  await reply(ctx, await groupSummaryText(ctx, ctx.t, parsed.chatId, period, true));
});

// /export: the records as CSV, for leaders and owners, in private only (it carries members' names).
reportCommands.command('export', async (ctx) => {
  if (!isPrivate(ctx)) {
    const leader = await requireLeader(ctx);
    if (leader) await replyPrivately(ctx, (t) => t.reports.exportPrivateOnly);
    return;
  }
  const leader = await requireLeaderAnywhere(ctx);
  if (!leader) return;
  const led = leader.led;
  const parsed = await periodArgument(ctx, SUMMARY_PERIODS, true, (t) => t.usageExport);
  if (!parsed) return;
  const period: Period = parsed.period!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-export-'));
  const file = path.join(dir, `loa-${period.firstDay}_${period.lastDay}.csv`);
  try {
    const count = await exportRecords(
      ctx.db,
      {
        chatIds: led,
        period,
        zone: ctx.deps.config.timezone,
        header: ctx.t.reports.exportHeader,
        kinds: ctx.t.reports.kind,
      },
      fs.createWriteStream(file),
    );
    const shown = range(ctx.t, period.firstDay, period.lastDay);
    if (count === 0) return reply(ctx, ctx.t.reports.exportEmpty(shown));
    await ctx.deps.sender.call('sendDocument', {
      chat_id: ctx.chat.id,
      document: { source: file, filename: path.basename(file) },
      caption: ctx.t.reports.exportCaption(num(ctx.t, count), shown),
      parse_mode: 'HTML',
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

reportCommands.command('lang', async (ctx) => {
  const [choice, ...extra] = words(ctx.payload).map((w) => w.toLowerCase());
  if (!isLocale(choice) || extra.length > 0) return replyPrivately(ctx, (t) => t.usageLang);
  const t = messages(choice, ctx.deps.config.addressForm);
  if (isGroup(ctx)) {
    const leader = await requireLeader(ctx);
    if (!leader) return;
    await setChatLocale(ctx.db, ctx.chat.id, choice);
    return ctx.deps.sender.sendMessage(ctx.chat.id, t.langSetGroup).then(() => undefined);
  }
  const user = await requireUser(ctx);
  if (!user) return;
  await setUserLocale(ctx.db, user.id, choice);
  await ctx.deps.sender.sendMessage(ctx.chat.id, t.langSetUser);
});
