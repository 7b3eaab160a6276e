import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  dayPeriod,
  firstFiringOn,
  localDay,
  monthPeriod,
  parseDay,
  parsePeriod,
  periodWord,
  previousWeekOf,
  daysPeriod,
  timeOfDay,
  weekPeriod,
  type NamedPeriod,
} from '../../src/domain/periods.ts';

const HCM = 'Asia/Ho_Chi_Minh';

describe('days in the configured zone', () => {
  it('23:59 and 00:00 in Ho Chi Minh City fall on different days, whatever UTC says', () => {
    assert.equal(localDay(new Date('2026-11-29T16:59:00Z'), HCM), '2026-11-29'); // 23:59 local
    assert.equal(localDay(new Date('2026-11-29T17:00:00Z'), HCM), '2026-11-30'); // 00:00 local
    assert.equal(localDay(new Date('2026-11-29T17:00:00Z'), 'UTC'), '2026-11-29');
  });

  it('a day period runs from local midnight to local midnight', () => {
    const p = dayPeriod('2026-11-30', HCM);
    assert.equal(p.from, '2026-11-29T17:00:00.000Z');
    assert.equal(p.to, '2026-11-30T17:00:00.000Z');
  });

  it('weeks start on Monday 00:00 local; Sunday 23:59 is still last week', () => {
    const sundayLate = new Date('2026-11-29T16:59:00Z'); // Sunday 23:59 in HCM
    const mondayStart = new Date('2026-11-29T17:00:00Z'); // Monday 00:00 in HCM
    assert.equal(weekPeriod(sundayLate, HCM).firstDay, '2026-11-23');
    assert.equal(weekPeriod(mondayStart, HCM).firstDay, '2026-11-30');
    assert.equal(weekPeriod(mondayStart, HCM, 1).firstDay, '2026-11-23');
    assert.equal(weekPeriod(mondayStart, HCM, 1).lastDay, '2026-11-29');
  });

  it('months are calendar months in the zone', () => {
    const p = monthPeriod(new Date('2026-11-30T17:30:00Z'), HCM); // 1 Dec 00:30 local
    assert.equal(p.firstDay, '2026-12-01');
    assert.equal(p.lastDay, '2026-12-31');
  });

  it('a day in a zone with daylight saving is 23 or 25 hours long', () => {
    const spring = dayPeriod('2026-03-29', 'Europe/Berlin');
    const autumn = dayPeriod('2026-10-25', 'Europe/Berlin');
    assert.equal((Date.parse(spring.to) - Date.parse(spring.from)) / 3600_000, 23);
    assert.equal((Date.parse(autumn.to) - Date.parse(autumn.from)) / 3600_000, 25);
  });
});

describe('when a cron expression first fires on a day', () => {
  it('07:00 every day in Ho Chi Minh City is 00:00 UTC', () => {
    assert.equal(firstFiringOn('0 7 * * *', '2026-11-30', HCM)?.toISOString(), '2026-11-30T00:00:00.000Z');
  });

  it('a Monday-only schedule does not fire on a Sunday', () => {
    assert.equal(firstFiringOn('0 8 * * 1', '2026-11-29', HCM), undefined);
    assert.equal(firstFiringOn('0 8 * * 1', '2026-11-30', HCM)?.toISOString(), '2026-11-30T01:00:00.000Z');
  });

  it('a seconds field is honoured', () => {
    assert.equal(firstFiringOn('*/5 30 7 * * *', '2026-11-30', HCM)?.toISOString(), '2026-11-30T00:30:00.000Z');
  });

  it('across daylight saving, the wall-clock hour is kept', () => {
    // 07:00 in Berlin is 06:00 UTC in winter and 05:00 UTC in summer.
    assert.equal(firstFiringOn('0 7 * * *', '2026-03-28', 'Europe/Berlin')?.toISOString(), '2026-03-28T06:00:00.000Z');
    assert.equal(firstFiringOn('0 7 * * *', '2026-03-29', 'Europe/Berlin')?.toISOString(), '2026-03-29T05:00:00.000Z');
    // 02:30 does not exist on the spring-forward day: the first real firing is later that day, never the day before.
    const skipped = firstFiringOn('30 2 * * *', '2026-03-29', 'Europe/Berlin');
    assert.ok(skipped === undefined || localDay(skipped, 'Europe/Berlin') === '2026-03-29');
  });
});

describe('catching up on a missed firing', () => {
  it('finds the latest firing at or before now, today only or further back', async () => {
    const { latestFiringSince } = await import('../../src/domain/periods.ts');
    const at0930 = new Date('2026-11-30T02:30:00Z'); // Monday 09:30 in Ho Chi Minh City
    assert.equal(latestFiringSince('0 7 * * *', at0930, HCM, 0)?.toISOString(), '2026-11-30T00:00:00.000Z');
    assert.equal(latestFiringSince('0 21 * * *', at0930, HCM, 0), undefined, "tonight's leaderboard is not due yet");
    assert.equal(latestFiringSince('0 21 * * *', at0930, HCM, 1)?.toISOString(), '2026-11-29T14:00:00.000Z');
    // A machine that slept from 06:00 to 09:30 wakes to a push that is due.
    assert.ok(latestFiringSince('0 7 * * *', at0930, HCM, 0)! <= at0930);
  });
});

describe('dates as people type them', () => {
  // 31 Dec 2026, 23:30 in Ho Chi Minh City, but still 2026-12-31 16:30 UTC.
  const now = new Date('2026-12-31T16:30:00Z');

  it('day first, with or without the year, or ISO', () => {
    assert.equal(parseDay('2/12', now, HCM), '2026-12-02');
    assert.equal(parseDay('02/12/2026', now, HCM), '2026-12-02');
    assert.equal(parseDay('2.12.2026', now, HCM), '2026-12-02');
    assert.equal(parseDay('2/12/27', now, HCM), '2027-12-02');
    assert.equal(parseDay('2026-12-02', now, HCM), '2026-12-02');
    assert.equal(parseDay('2026-1-5', now, HCM), '2026-01-05');
  });

  it("a day without a year is in the current year of the bot's zone, not of UTC", () => {
    const newYearInHcm = new Date('2026-12-31T17:30:00Z'); // 1 Jan 2027, 00:30 in HCM
    assert.equal(parseDay('5/1', newYearInHcm, HCM), '2027-01-05');
    assert.equal(parseDay('5/1', newYearInHcm, 'UTC'), '2026-01-05');
  });

  it('days that do not exist are refused', () => {
    assert.equal(parseDay('29/2/2026', now, HCM), undefined); // 2026 is not a leap year
    assert.equal(parseDay('29/2/2028', now, HCM), '2028-02-29');
    assert.equal(parseDay('29/2', now, HCM), undefined); // the current year, 2026
    assert.equal(parseDay('31/4', now, HCM), undefined);
    assert.equal(parseDay('0/12', now, HCM), undefined);
    assert.equal(parseDay('12/0', now, HCM), undefined);
    assert.equal(parseDay('12/13', now, HCM), undefined); // month 13: no American order
    assert.equal(parseDay('2026-02-30', now, HCM), undefined);
  });

  it('garbage is not a date', () => {
    for (const text of [
      '',
      'mai',
      'tomorrow',
      '2/12/',
      '2//12',
      '2/12.2026',
      '1/2/3/4',
      '123/4',
      '2026/12/02',
      '2-12',
      '١/٢',
    ])
      assert.equal(parseDay(text, now, HCM), undefined, text);
  });
});

describe('period words in Vietnamese and English', () => {
  const cases: [string, NamedPeriod][] = [
    ['week', 'week'],
    ['tuần', 'week'],
    ['tuan', 'week'],
    ['tuần này', 'week'],
    ['lastweek', 'lastweek'],
    ['last week', 'lastweek'],
    ['tuần trước', 'lastweek'],
    ['tuan truoc', 'lastweek'],
    ['TUẦN TRƯỚC', 'lastweek'],
    ['month', 'month'],
    ['tháng', 'month'],
    ['thang nay', 'month'],
    ['lastmonth', 'lastmonth'],
    ['tháng trước', 'lastmonth'],
    ['thang truoc', 'lastmonth'],
    ['day', 'day'],
    ['today', 'day'],
    ['hôm nay', 'day'],
    ['hom nay', 'day'],
    ['all', 'all'],
    ['tất cả', 'all'],
    ['tat ca', 'all'],
  ];
  for (const [text, name] of cases) it(`"${text}" is ${name}`, () => assert.equal(periodWord(text), name));

  it('anything else is no period word', () => {
    for (const text of ['', 'tuần sau', 'tuầntrướcnữa', 'weeks', 'constructor', '__proto__', 'toString'])
      assert.equal(periodWord(text), undefined, text);
  });
});

describe('a period argument', () => {
  const now = new Date('2026-12-02T03:00:00Z'); // Wednesday 2 Dec 2026, 10:00 in HCM
  const summary = ['week', 'lastweek', 'month', 'lastmonth', 'day'] as const;
  const parse = (text: string, allowed: readonly NamedPeriod[] = summary, allowRange = true) =>
    parsePeriod(text.split(' ').filter(Boolean), now, HCM, allowed, allowRange);

  it('Vietnamese words over several words give the same period as the English ones', () => {
    const vi = parse('tuần trước');
    const en = parse('lastweek');
    assert.ok(vi.ok && en.ok);
    assert.deepEqual(vi, en);
    assert.equal(vi.period!.firstDay, '2026-11-23');
  });

  it('a range of typed dates, day first, both included, with or without a joining word', () => {
    for (const text of ['1/12 7/12', '1/12 - 7/12', '1/12 đến 7/12', '1/12 den 7/12', '2026-12-01 7/12/2026']) {
      const p = parse(text);
      assert.ok(p.ok, text);
      assert.equal(p.period!.firstDay, '2026-12-01', text);
      assert.equal(p.period!.lastDay, '2026-12-07', text);
    }
    const one = parse('2/12');
    assert.ok(one.ok && one.period!.firstDay === '2026-12-02' && one.period!.lastDay === '2026-12-02');
  });

  it('an impossible day is named; a reversed or overlong range is refused; garbage is a usage error', () => {
    assert.deepEqual(parse('31/4 5/5'), { ok: false, problem: 'bad_date', text: '31/4' });
    assert.deepEqual(parse('1/2 29/2'), { ok: false, problem: 'bad_date', text: '29/2' });
    assert.deepEqual(parse('7/12 1/12'), { ok: false, problem: 'reversed' });
    assert.deepEqual(parse('1/1/2025 1/12/2026'), { ok: false, problem: 'too_long' });
    assert.deepEqual(parse('hôm qua'), { ok: false, problem: 'usage' });
    assert.deepEqual(parse('1/12 2/12 3/12'), { ok: false, problem: 'usage' });
  });

  it('a period word the command does not take, and dates where no range is taken, are usage errors', () => {
    assert.deepEqual(parse('tất cả'), { ok: false, problem: 'usage' });
    assert.deepEqual(parse('2/12', ['week', 'all'], false), { ok: false, problem: 'usage' });
    const all = parse('tat ca', ['week', 'all'], false);
    assert.ok(all.ok && all.name === 'all' && all.period === undefined);
  });
});

describe('schedules and periods as people read them', () => {
  const NOW = new Date('2026-12-02T10:00:00Z'); // Wednesday 17:00 in Ho Chi Minh City
  it('the time a daily push comes, in the zone; a schedule that never fires has none', () => {
    assert.equal(timeOfDay('0 7 * * *', NOW, HCM), '7:00');
    assert.equal(timeOfDay('30 6 * * 1-5', NOW, HCM), '6:30');
    assert.equal(timeOfDay('0 0 1 1 *', NOW, HCM), undefined, 'not in the coming week');
  });
  it('a whole week is compared with the week before; any other period is not', () => {
    const week = weekPeriod(NOW, HCM);
    assert.deepEqual(previousWeekOf(week, HCM), weekPeriod(NOW, HCM, 1));
    assert.equal(previousWeekOf(daysPeriod('2026-11-30', '2026-12-05', HCM)!, HCM), undefined);
    assert.equal(daysPeriod('2026-12-05', '2026-11-30', HCM), undefined, 'reversed');
    assert.equal(daysPeriod('2026-02-30', '2026-03-01', HCM), undefined, 'no such day');
  });
});
