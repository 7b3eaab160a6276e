import type { Deps } from '../deps.ts';
import { latestFiringSince, localDay, weekPeriod } from '../domain/periods.ts';
import { pushIsOverdue, runDailyPush } from './push.ts';
import { eveningJobOverdue, runEveCheck, runReminders } from './reminders.ts';
import { runDailyLeaderboard, runWeeklySummary } from './reports.ts';
import type { ScheduledJob, Scheduler } from './scheduler.ts';

/** Loa's scheduled jobs, each (deps) => Promise, at the times the configuration gives. */
export function scheduledJobs(deps: Deps): {
  push: ScheduledJob;
  leaderboard: ScheduledJob;
  weekly: ScheduledJob;
  /** Absent when NUDGE_CRON or EVE_CRON is off. */
  nudge?: ScheduledJob;
  eve?: ScheduledJob;
} {
  const { config } = deps;
  return {
    push: { name: 'daily-push', cron: config.dailyPushCron, run: () => runDailyPush(deps) },
    leaderboard: { name: 'daily-leaderboard', cron: config.leaderboardCron, run: () => runDailyLeaderboard(deps) },
    weekly: { name: 'weekly-summary', cron: config.weeklySummaryCron, run: () => runWeeklySummary(deps) },
    ...(config.nudgeCron
      ? { nudge: { name: 'reminders', cron: config.nudgeCron, run: (now: Date) => runReminders(deps, now) } }
      : {}),
    ...(config.eveCron
      ? { eve: { name: 'eve-check', cron: config.eveCron, run: (now: Date) => runEveCheck(deps, now) } }
      : {}),
  };
}

/**
 * Runs what fell due and did not run (the process was down, the machine slept, a clock jumped, the replica
 * running it died): the same day only, never days later. Each job only sends what was not sent.
 */
export async function catchUp(deps: Deps, scheduler: Scheduler, jobs: ReturnType<typeof scheduledJobs>): Promise<void> {
  const { config } = deps;
  const now = deps.clock();
  const today = localDay(now, config.timezone);
  if (await pushIsOverdue(deps, now)) void scheduler.runOnce(jobs.push, `push:${today}`);
  if (latestFiringSince(config.leaderboardCron, now, config.timezone, 0))
    void scheduler.runOnce(jobs.leaderboard, `leaderboard:${today}`);
  if (latestFiringSince(config.weeklySummaryCron, now, config.timezone, 0))
    void scheduler.runOnce(jobs.weekly, `weekly:${weekPeriod(now, config.timezone).firstDay}`);
  // The evening jobs: only the same evening, and only a few hours late (EVENING_LATE_LIMIT_MS).
  if (jobs.nudge && config.nudgeCron && (await eveningJobOverdue(deps, 'nudge', config.nudgeCron, now)))
    void scheduler.runOnce(jobs.nudge, `nudge:${today}`);
  if (jobs.eve && config.eveCron && (await eveningJobOverdue(deps, 'eve', config.eveCron, now)))
    void scheduler.runOnce(jobs.eve, `eve:${today}`);
}
