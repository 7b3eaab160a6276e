import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DateTime } from 'luxon';
import cron from 'node-cron';

// Calendar rules in the configured zone. Every function takes the instant it reasons about.

export type Day = string; // YYYY-MM-DD, a calendar day in the bot's zone

export function localDay(now: Date, zone: string): Day {
  // Asked for every press: Intl's formatter, made once a zone, costs a fraction of building a luxon DateTime.
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  const parts = format.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function isValidDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;
}

/**
 * A date as people in Vietnam type it: day first, "2/12" or "2/12/2026" (also with dots, or a two-digit
 * year), or ISO "2026-12-02". A day and month without a year are in the current year in the zone.
 * Undefined for anything else, and for days that do not exist (31/4, 29/2 in a non-leap year, 0/12).
 */
export function parseDay(text: string, now: Date, zone: string): Day | undefined {
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  const dm = /^(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?$/.exec(text.trim());
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dm) {
    d = Number(dm[1]);
    m = Number(dm[3]);
    const year = dm[4];
    y = year === undefined ? DateTime.fromJSDate(now, { zone }).year : Number(year.length === 2 ? `20${year}` : year);
  } else return undefined;
  const date = DateTime.fromObject({ year: y, month: m, day: d }, { zone: 'UTC' });
  return date.isValid ? date.toISODate()! : undefined;
}

/** Folds Vietnamese letters to plain ASCII ("tuần trước" → "tuan truoc"), so words typed without diacritics match. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

// Period words in both languages, folded and with spaces removed ("tuần trước", "tuan truoc", "last week").
const PERIOD_WORDS: Readonly<Record<string, NamedPeriod>> = {
  day: 'day',
  today: 'day',
  homnay: 'day',
  ngay: 'day',
  week: 'week',
  thisweek: 'week',
  tuan: 'week',
  tuannay: 'week',
  lastweek: 'lastweek',
  tuantruoc: 'lastweek',
  month: 'month',
  thismonth: 'month',
  thang: 'month',
  thangnay: 'month',
  lastmonth: 'lastmonth',
  thangtruoc: 'lastmonth',
  all: 'all',
  alltime: 'all',
  tatca: 'all',
};

/** A period word in Vietnamese or English, with or without diacritics, in one word or several; else undefined. */
export function periodWord(text: string): NamedPeriod | undefined {
  const key = foldDiacritics(text)
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return Object.hasOwn(PERIOD_WORDS, key) ? PERIOD_WORDS[key] : undefined;
}

export function addDays(day: Day, n: number): Day {
  // Calendar arithmetic needs no zone: done on the UTC calendar, without luxon (asked for every press).
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
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
  /** A campaign's period counts only the records against its articles (see domain/campaigns.ts). */
  campaign?: { id: number; name: string };
}

export function dayPeriod(day: Day, zone: string): Period {
  return { from: startOfDay(day, zone), to: startOfDay(addDays(day, 1), zone), firstDay: day, lastDay: day };
}

/** ISO week (Monday first) containing `now`, from Monday 00:00 to the next Monday 00:00. */
export function weekPeriod(now: Date, zone: string, weeksBack = 0): Period {
  const monday = DateTime.fromJSDate(now, { zone }).startOf('week').minus({ weeks: weeksBack });
  const next = monday.plus({ weeks: 1 });
  return {
    from: monday.toUTC().toISO()!,
    to: next.toUTC().toISO()!,
    firstDay: monday.toISODate()!,
    lastDay: next.minus({ days: 1 }).toISODate()!,
  };
}

export function monthPeriod(now: Date, zone: string, monthsBack = 0): Period {
  const first = DateTime.fromJSDate(now, { zone }).startOf('month').minus({ months: monthsBack });
  const next = first.plus({ months: 1 });
  return {
    from: first.toUTC().toISO()!,
    to: next.toUTC().toISO()!,
    firstDay: first.toISODate()!,
    lastDay: next.minus({ days: 1 }).toISODate()!,
  };
}

/** The local day an instant (ISO string) falls on. */
export function dayOf(iso: string, zone: string): Day {
  return DateTime.fromISO(iso, { zone }).toISODate()!;
}

/** Whether a cron expression's day fields (day of month, month, day of week) allow a local day. */
function firesOnDay(f: ReturnType<typeof cron.parse>, day: Day, zone: string): boolean {
  const d = DateTime.fromISO(day, { zone });
  const dowMatches = f.dayOfWeek.some((w) => Number(w) % 7 === d.weekday % 7);
  const domMatches = f.dayOfMonth.some((m) => Number(m) === d.day);
  const domRestricted = f.dayOfMonth.length < 31;
  const dowRestricted = f.dayOfWeek.length < 7;
  // Classic cron: when both day fields are restricted, either one matching is enough.
  const dayMatches = domRestricted && dowRestricted ? domMatches || dowMatches : domMatches && dowMatches;
  return dayMatches && f.month.includes(d.month);
}

/** The instants on a local day at which the expression fires, earliest first (or latest first). */
function* firingsOn(expression: string, day: Day, zone: string, latestFirst = false): Generator<Date> {
  const f = cron.parse(expression);
  if (!firesOnDay(f, day, zone)) return;
  const order = (xs: number[]) => [...xs].sort((a, b) => (latestFirst ? b - a : a - b));
  const d = DateTime.fromISO(day, { zone });
  for (const hour of order(f.hour)) {
    for (const minute of order(f.minute)) {
      for (const second of order(f.second)) {
        const t = d.set({ hour, minute, second, millisecond: 0 });
        // A wall-clock time skipped by a daylight-saving jump is moved forward by luxon; keep it on the day.
        if (t.isValid && t.toISODate() === day) yield t.toJSDate();
      }
    }
  }
}

/**
 * The first instant on `day` at which the cron expression fires, in the zone, or undefined when it does
 * not fire that day. Used to tell, after a restart, whether today's scheduled job was already due.
 */
export function firstFiringOn(expression: string, day: Day, zone: string): Date | undefined {
  for (const t of firingsOn(expression, day, zone)) return t;
  return undefined;
}

/** The latest firing of a cron expression at or before `now`, looking back over the given number of local days. */
export function latestFiringSince(expression: string, now: Date, zone: string, lookbackDays: number): Date | undefined {
  const today = localDay(now, zone);
  for (let back = 0; back <= lookbackDays; back++) {
    for (const t of firingsOn(expression, addDays(today, -back), zone, true)) {
      if (t.getTime() <= now.getTime()) return t;
    }
  }
  return undefined;
}

export type NamedPeriod = 'day' | 'week' | 'month' | 'all' | 'lastweek' | 'lastmonth';

export type ParsedPeriod =
  | { ok: true; name: NamedPeriod | 'range' | 'campaign'; period: Period | undefined }
  | { ok: false; problem: 'usage' | 'bad_date' | 'reversed' | 'too_long'; text?: string };

/**
 * A period as members type it: a period word in either language (see periodWord: "week", "tuần trước",
 * "tat ca"…), one day, or two days (both included, "2/12 9/12", optionally joined by "-", "to" or "đến").
 * `allowed` lists the names the command takes; the first is the default.
 */
export function parsePeriod(
  words: string[],
  now: Date,
  zone: string,
  allowed: readonly NamedPeriod[],
  allowRange: boolean,
): ParsedPeriod {
  if (words.length === 0) return named(allowed[0]!, now, zone);
  const word = periodWord(words.join(' '));
  if (word !== undefined) return allowed.includes(word) ? named(word, now, zone) : { ok: false, problem: 'usage' };
  if (!allowRange) return { ok: false, problem: 'usage' };
  const dates = words.filter((w, i) => !(i === 1 && words.length === 3 && RANGE_JOINERS.has(foldDiacritics(w))));
  if (dates.length > 2 || !dates.every(looksLikeDate)) return { ok: false, problem: 'usage' };
  const days = dates.map((w) => parseDay(w, now, zone));
  const bad = days.findIndex((d) => d === undefined);
  if (bad !== -1) return { ok: false, problem: 'bad_date', text: dates[bad] };
  return rangeOf(days[0]!, days.at(-1)!, zone);
}

/** The period from one local day to another, both included; undefined if either is not a day or they are reversed. */
export function daysPeriod(first: Day, last: Day, zone: string): Period | undefined {
  if (!isValidDay(first) || !isValidDay(last)) return undefined;
  const parsed = rangeOf(first, last, zone);
  return parsed.ok ? parsed.period : undefined;
}

/** The week before, when a period is one whole week (Monday to Sunday), to compare it with; else undefined. */
export function previousWeekOf(period: Period, zone: string): Period | undefined {
  const week = weekPeriod(new Date(period.from), zone);
  if (week.firstDay !== period.firstDay || week.lastDay !== period.lastDay) return undefined;
  return weekPeriod(new Date(period.from), zone, 1);
}

const RANGE_JOINERS = new Set(['-', '–', 'to', 'den']);

/** Shaped like a date (digits with / . or -), whether or not the day exists. */
const looksLikeDate = (w: string): boolean => /^\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?$/.test(w);

function rangeOf(first: Day, last: Day, zone: string): ParsedPeriod {
  if (last < first) return { ok: false, problem: 'reversed' };
  if (DateTime.fromISO(last).diff(DateTime.fromISO(first), 'days').days > 366)
    return { ok: false, problem: 'too_long' };
  return {
    ok: true,
    name: 'range',
    period: { from: startOfDay(first, zone), to: startOfDay(addDays(last, 1), zone), firstDay: first, lastDay: last },
  };
}

function named(name: NamedPeriod, now: Date, zone: string): ParsedPeriod {
  switch (name) {
    case 'day':
      return { ok: true, name, period: dayPeriod(localDay(now, zone), zone) };
    case 'week':
      return { ok: true, name, period: weekPeriod(now, zone) };
    case 'lastweek':
      return { ok: true, name, period: weekPeriod(now, zone, 1) };
    case 'month':
      return { ok: true, name, period: monthPeriod(now, zone) };
    case 'lastmonth':
      return { ok: true, name, period: monthPeriod(now, zone, 1) };
    case 'all':
      return { ok: true, name, period: undefined };
  }
}

/**
 * The time of day a daily schedule fires, as people read it ("7:00"), from its first firing in the coming week;
 * undefined when it does not fire in that week.
 */
export function timeOfDay(expression: string, now: Date, zone: string): string | undefined {
  const today = localDay(now, zone);
  for (let ahead = 0; ahead < 7; ahead++) {
    const at = firstFiringOn(expression, addDays(today, ahead), zone);
    if (at) return DateTime.fromJSDate(at, { zone }).toFormat('H:mm');
  }
  return undefined;
}

/** The records a period covers: made within its days, and for a campaign, against its articles only. */
export function recordsIn(period: Period): RawBuilder<SqlBool> {
  const within = sql<SqlBool>`records.created_at >= ${period.from} and records.created_at < ${period.to}`;
  if (period.campaign === undefined) return within;
  return sql<SqlBool>`${within} and records.article_id in (select article_id from article_campaigns where campaign_id = ${period.campaign.id})`;
}
