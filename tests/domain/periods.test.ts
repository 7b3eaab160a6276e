import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayPeriod, firstFiringOn, localDay, monthPeriod, weekPeriod } from '../../src/domain/periods.ts';

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
