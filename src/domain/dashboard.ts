import type { Executor } from '../db/index.ts';
import { coverageFor, type Coverage } from './coverage.ts';
import { weekPeriod, type Day, type Period } from './periods.ts';
import { groupsRanking, groupSummary, knownMembers, rate, type GroupRow, type GroupSummary } from './reports.ts';
import { groupRanking, type ScoreRow } from './scores.ts';

// What the leaders' dashboard shows, made of the same functions as the commands (one figure, one definition):
// /summary's groupSummary and groupsRanking, /leaderboard's groupRanking, and coverageFor.

export interface WeekParticipation {
  firstDay: Day;
  lastDay: Day;
  /** Members with at least one record that week, as groupSummary counts them. */
  participants: number;
  known: number;
  participation: number;
}

export interface GroupView {
  summary: GroupSummary;
  coverage: Coverage;
  /** The whole board for the period (/summary shows its first five). */
  leaderboard: ScoreRow[];
  /** Participation week by week, oldest first, ending with the week of `now`. */
  trend: WeekParticipation[];
}

export const TREND_WEEKS = 12;

/**
 * Participation in each of the last `weeks` weeks (Monday to Sunday in the zone), the current week last: one
 * read of the group's records over the span, each counted in its local week. Members known are today's, as in
 * groupSummary (Loa keeps no history of who was in a group when).
 */
export async function weeklyParticipation(
  db: Executor,
  chatId: number,
  now: Date,
  zone: string,
  weeks = TREND_WEEKS,
): Promise<WeekParticipation[]> {
  const periods = Array.from({ length: weeks }, (_, i) => weekPeriod(now, zone, weeks - 1 - i));
  const [known, rows] = await Promise.all([
    knownMembers(db, chatId),
    db
      .selectFrom('records')
      .select(['user_id', 'created_at'])
      .where('chat_id', '=', chatId)
      .where('created_at', '>=', periods[0]!.from)
      .where('created_at', '<', periods.at(-1)!.to)
      .execute(),
  ]);
  const active = periods.map(() => new Set<number>());
  // Instants are ISO UTC strings of one shape, so they compare as text (parsing each with luxon cost ~15 µs a row).
  for (const r of rows) {
    const i = periods.findIndex((p) => p.from <= r.created_at && r.created_at < p.to);
    if (i !== -1) active[i]!.add(Number(r.user_id));
  }
  return periods.map((p, i) => {
    const participants = active[i]!.size;
    const members = Math.max(known, participants);
    return {
      firstDay: p.firstDay,
      lastDay: p.lastDay,
      participants,
      known: members,
      participation: rate(participants, members),
    };
  });
}

/** One group's dashboard for a period. */
export async function groupView(
  db: Executor,
  chatId: number,
  period: Period,
  now: Date,
  zone: string,
): Promise<GroupView> {
  const [summary, coverage, leaderboard, trend] = await Promise.all([
    groupSummary(db, chatId, period, zone),
    coverageFor(db, chatId, period.firstDay, period.lastDay),
    groupRanking(db, chatId, period),
    weeklyParticipation(db, chatId, now, zone),
  ]);
  return { summary, coverage, leaderboard, trend };
}

export interface OrganisationView {
  groups: GroupRow[];
  /** Over the groups shown: members known, those with a record, and the rate. */
  known: number;
  active: number;
  participation: number;
  shared: number;
  rebutted: number;
}

/** Groups ranked by participation for a period (/summary's roll-up), with the totals over them. */
export async function organisationView(
  db: Executor,
  chatIds: number[] | 'all',
  period: Period,
): Promise<OrganisationView> {
  const groups = await groupsRanking(db, chatIds, period);
  const sum = (f: (g: GroupRow) => number) => groups.reduce((n, g) => n + f(g), 0);
  const known = sum((g) => g.known);
  const active = sum((g) => g.active);
  return {
    groups,
    known,
    active,
    participation: rate(active, known),
    shared: sum((g) => g.shared),
    rebutted: sum((g) => g.rebutted),
  };
}
