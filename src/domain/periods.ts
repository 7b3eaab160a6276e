import { DateTime } from 'luxon';
import cron from 'node-cron';

// Calendar rules in the configured zone. Every function takes the instant it reasons about.

export type Day = string; // YYYY-MM-DD, a calendar day in the bot's zone

export function localDay(now: Date, zone: string): Day {
  return DateTime.fromJSDate(now, { zone }).toISODate()!;
}

export function isValidDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;
}

export function addDays(day: Day, n: number): Day {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
}

/** The instant a local day starts, as an ISO UTC string (daylight saving handled by the zone rules). */
export function startOfDay(day: Day, zone: string): string {
  return DateTime.fromISO(day, { zone }).startOf('day').toUTC().toISO()!;
}

export interface Period {
  /** Inclusive start, ISO UTC. */
  from: string;
  /** Exclusive end, ISO UTC. */
  to: string;
  /** First and last local day covered. */
  firstDay: Day;
  lastDay: Day;
}

export function dayPeriod(day: Day, zone: string): Period {
  return { from: startOfDay(day, zone), to: startOfDay(addDays(day, 1), zone), firstDay: day, lastDay: day };
}

/** ISO week (Monday first) containing `now`, from Monday 00:00 to the next Monday 00:00. */
export function weekPeriod(now: Date, zone: string, weeksBack = 0): Period {
  const monday = DateTime.fromJSDate(now, { zone }).startOf('week').minus({ weeks: weeksBack });
  const next = monday.plus({ weeks: 1 });
  return { from: monday.toUTC().toISO()!, to: next.toUTC().toISO()!, firstDay: monday.toISODate()!, lastDay: next.minus({ days: 1 }).toISODate()! };
}

export function monthPeriod(now: Date, zone: string, monthsBack = 0): Period {
  const first = DateTime.fromJSDate(now, { zone }).startOf('month').minus({ months: monthsBack });
  const next = first.plus({ months: 1 });
  return { from: first.toUTC().toISO()!, to: next.toUTC().toISO()!, firstDay: first.toISODate()!, lastDay: next.minus({ days: 1 }).toISODate()! };
}

/** The local day an instant (ISO string) falls on. */
export function dayOf(iso: string, zone: string): Day {
  return DateTime.fromISO(iso, { zone }).toISODate()!;
}

/**
 * The first instant on `day` at which the cron expression fires, in the zone, or undefined when it does
 * not fire that day. Used to tell, after a restart, whether today's scheduled job was already due.
 */
export function firstFiringOn(expression: string, day: Day, zone: string): Date | undefined {
  const f = cron.parse(expression);
  const d = DateTime.fromISO(day, { zone });
  const dowMatches = f.dayOfWeek.some((w) => Number(w) % 7 === d.weekday % 7);
  const domMatches = f.dayOfMonth.some((m) => Number(m) === d.day);
  const domRestricted = f.dayOfMonth.length < 31;
  const dowRestricted = f.dayOfWeek.length < 7;
  // Classic cron: when both day fields are restricted, either one matching is enough.
  const dayMatches = domRestricted && dowRestricted ? domMatches || dowMatches : domMatches && dowMatches;
  if (!dayMatches || !f.month.includes(d.month)) return undefined;
  for (const hour of [...f.hour].sort((a, b) => a - b)) {
    for (const minute of [...f.minute].sort((a, b) => a - b)) {
      for (const second of [...f.second].sort((a, b) => a - b)) {
        const t = d.set({ hour, minute, second, millisecond: 0 });
        // A wall-clock time skipped by a daylight-saving jump is moved forward by luxon; keep it on the day.
        if (t.isValid && t.toISODate() === day) return t.toJSDate();
      }
    }
  }
  return undefined;
}
