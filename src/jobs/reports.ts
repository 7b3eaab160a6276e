import type { Deps } from '../deps.ts';
import { activeGroups, getChat, getUser } from '../domain/chats.ts';
import {
  claimReport,
  confirmReport,
  keepWeekly,
  releaseReport,
  reportDelivered,
  storedWeekly,
  type ReportKind,
} from '../domain/deliveries.ts';
import { finishJob, jobFinished, startJob } from '../domain/job-runs.ts';
import { dayPeriod, localDay, weekPeriod, type Period } from '../domain/periods.ts';
import { groupsRanking, groupsWithActivity, groupSummary, type GroupSummary } from '../domain/reports.ts';
import { groupRanking } from '../domain/scores.ts';
import { groupMessages, privateMessages } from '../i18n/index.ts';
import { chartPng } from '../render/chart.ts';
import { truncate } from '../render/html.ts';
import { groupsText, leaderboardText, range, summaryText } from '../render/reports.ts';
import { HTML_MESSAGE } from '../telegram/sender.ts';
import { deliverOnce } from './deliver-once.ts';

/** A scheduled report sent at most once to a chat (see deliverOnce): claimed, confirmed or released by its kind and period. */
function deliverReport(
  deps: Deps,
  kind: ReportKind,
  period: string,
  chatId: number,
  method: string,
  payload: Record<string, unknown>,
  prepare?: (payload: Record<string, unknown>) => void,
): Promise<boolean> {
  const { db, clock } = deps;
  return deliverOnce(
    deps.sender,
    method,
    { chat_id: chatId, ...payload },
    {
      take: async () => ((await claimReport(db, kind, period, chatId, clock())) ? true : undefined),
      confirm: () => confirmReport(db, kind, period, chatId, clock()),
      release: () => releaseReport(db, kind, period, chatId),
    },
    (err) => deps.log.warn({ kind, period, chatId, err: (err as Error).message }, 'report not delivered'),
    prepare,
  ).then((outcome) => outcome === 'sent');
}

/** The evening leaderboard: every active group with any record today gets today's top ten, once. */
export async function runDailyLeaderboard(deps: Deps): Promise<{ day: string; sent: number }> {
  const zone = deps.config.timezone;
  const day = localDay(deps.clock(), zone);
  const period = dayPeriod(day, zone);
  if (await jobFinished(deps.db, 'leaderboard', day)) return { day, sent: 0 };
  await startJob(deps.db, 'leaderboard', day, deps.clock());
  const groups = await groupsWithActivity(deps.db, period);
  const results = await Promise.all(
    groups.map(async (chatId) => {
      const chat = await getChat(deps.db, chatId);
      const t = groupMessages(chat, deps.config);
      const rows = await groupRanking(deps.db, chatId, period);
      const text = leaderboardText(
        t,
        t.reports.dailyTitle(t.formatDay(day)),
        t.reports.leaderboardEmpty(t.reports.periodName.day!),
        rows,
        undefined,
      );
      return deliverReport(deps, 'leaderboard', day, chatId, 'sendMessage', { text, ...HTML_MESSAGE });
    }),
  );
  const sent = results.filter(Boolean).length;
  await finishJob(deps.db, 'leaderboard', day, deps.clock());
  deps.log.info({ day, groups: groups.length, sent }, 'daily leaderboard run');
  return { day, sent };
}

/** A group's summary for a finished week: made once, stored, and the same ever after. */
export async function weeklySummaryFor(
  deps: Pick<Deps, 'db' | 'config'>,
  chatId: number,
  week: Period,
  previous: Period,
  now: Date,
): Promise<GroupSummary> {
  const kept = await storedWeekly(deps.db, chatId, week.firstDay);
  if (kept) return kept;
  const made = await groupSummary(deps.db, chatId, week, deps.config.timezone, previous);
  return keepWeekly(deps.db, chatId, week.firstDay, made, now);
}

/**
 * Monday's weekly summary of last week: every active group gets its summary and chart, once; every leader
 * who started the bot gets, in private, the roll-up of the groups they lead (owners: all groups).
 */
export async function runWeeklySummary(deps: Deps): Promise<{ week: string; groups: number; rollups: number }> {
  const zone = deps.config.timezone;
  const week = weekPeriod(deps.clock(), zone, 1);
  const previous = weekPeriod(deps.clock(), zone, 2);
  if (await jobFinished(deps.db, 'weekly', week.firstDay)) return { week: week.firstDay, groups: 0, rollups: 0 };
  await startJob(deps.db, 'weekly', week.firstDay, deps.clock());
  const groups = await activeGroups(deps.db);
  const leadersOf = new Map<number, number[]>();
  let sentGroups = 0;
  await Promise.all(
    groups.map(async (chat) => {
      const t = groupMessages(chat, deps.config);
      const summary = await weeklySummaryFor(deps, chat.id, week, previous, deps.clock());
      const shownRange = range(t, week.firstDay, week.lastDay);
      // After a restart, only what was not delivered yet is rendered and sent.
      if (!(await reportDelivered(deps.db, 'weekly', week.firstDay, chat.id))) {
        const text = summaryText(t, t.reports.weeklyTitle(chat.title ?? '', shownRange), summary);
        if (await deliverReport(deps, 'weekly', week.firstDay, chat.id, 'sendMessage', { text, ...HTML_MESSAGE }))
          sentGroups += 1;
      }
      if (!(await reportDelivered(deps.db, 'weekly', `${week.firstDay}:chart`, chat.id))) {
        const chartTitle = t.reports.chartTitle(truncate(chat.title ?? '', 40), shownRange);
        // Drawn when its turn to go out comes (~30 ms of CPU), not all at once for every group.
        await deliverReport(
          deps,
          'weekly',
          `${week.firstDay}:chart`,
          chat.id,
          'sendPhoto',
          { caption: chartTitle },
          (payload) => {
            payload.photo = { source: chartPng(t, chartTitle, summary.perDay), filename: `loa-${week.firstDay}.png` };
          },
        );
      }
      try {
        for (const admin of await deps.roles.admins(chat.id))
          leadersOf.set(admin, [...(leadersOf.get(admin) ?? []), chat.id]);
      } catch (err) {
        deps.log.warn({ chatId: chat.id, err: (err as Error).message }, 'could not read admins for the roll-up');
      }
    }),
  );
  for (const owner of deps.config.adminIds)
    leadersOf.set(
      owner,
      groups.map((g) => g.id),
    );
  let rollups = 0;
  for (const [userId, chatIds] of leadersOf) {
    const user = await getUser(deps.db, userId);
    if (!user || !user.started || (await reportDelivered(deps.db, 'rollup', week.firstDay, userId))) continue;
    const t = privateMessages(user, deps.config);
    const rows = await groupsRanking(deps.db, chatIds, week);
    if (rows.length === 0) continue;
    const text = groupsText(t, t.reports.rollupTitle(range(t, week.firstDay, week.lastDay)), rows);
    if (await deliverReport(deps, 'rollup', week.firstDay, userId, 'sendMessage', { text, ...HTML_MESSAGE }))
      rollups += 1;
  }
  await finishJob(deps.db, 'weekly', week.firstDay, deps.clock());
  deps.log.info({ week: week.firstDay, groups: sentGroups, rollups }, 'weekly summary run');
  return { week: week.firstDay, groups: sentGroups, rollups };
}
