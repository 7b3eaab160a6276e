import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/db/index.ts';
import { seeMember } from '../../src/domain/chats.ts';
import { weeklyParticipation } from '../../src/domain/dashboard.ts';
import { closeDb, freshDb } from '../support/database.ts';
import { G, NOW, seedUnit, unit } from '../support/dashboard.ts';

// The dashboard's trend: each record in its local week (Monday to Sunday in BOT_TIMEZONE), a member once a week.

const ZONE = 'Asia/Ho_Chi_Minh';

describe('weekly participation', () => {
  let db: Db;
  before(async () => {
    db = await freshDb();
    await seedUnit(db);
  });
  after(() => closeDb(db));

  const rebuttalAt = (userId: number, iso: string, n: number) =>
    db
      .insertInto('records')
      .values({
        user_id: userId,
        chat_id: G,
        article_id: null,
        kind: 'rebutted',
        link: `https://social.example/w${n}`,
        note: null,
        points: 2,
        created_at: iso,
      })
      .execute();

  it('counts a member once in the local week of each record, twelve weeks up to this one', async () => {
    // Sunday 29 November 23:30 in Ho Chi Minh City is 16:30 UTC: the week of 23–29 November, not this one.
    await rebuttalAt(unit.an.id, '2026-11-29T16:30:00.000Z', 1);
    // Monday 30 November 00:30 local (29 November 17:30 UTC): this week.
    await rebuttalAt(unit.bình.id, '2026-11-29T17:30:00.000Z', 2);
    // Twelve weeks back is the first week shown; thirteen is not.
    await rebuttalAt(unit.an.id, '2026-09-15T03:00:00.000Z', 3);
    await rebuttalAt(unit.an.id, '2026-09-08T03:00:00.000Z', 4);
    const weeks = await weeklyParticipation(db, G, NOW, ZONE);
    assert.equal(weeks.length, 12);
    assert.deepEqual(
      [weeks[0]!.firstDay, weeks.at(-1)!.firstDay, weeks.at(-1)!.lastDay],
      ['2026-09-14', '2026-11-30', '2026-12-06'],
    );
    const active = Object.fromEntries(weeks.map((w) => [w.firstDay, w.participants]));
    assert.equal(active['2026-11-23'], 1, 'An, late on Sunday');
    assert.equal(active['2026-11-30'], 2, 'Bình and Chi (their records this week); Bình twice, counted once');
    assert.equal(active['2026-09-14'], 1);
    assert.equal(
      weeks.reduce((n, w) => n + w.participants, 0),
      4,
    );
    assert.equal(weeks.at(-1)!.known, 4);
    assert.equal(weeks.at(-1)!.participation, 0.5);
  });

  it('never reports more participants than members: someone who left still counts for the week they acted', async () => {
    await seeMember(db, G, unit.an, 'left', NOW);
    const weeks = await weeklyParticipation(db, G, NOW, ZONE);
    const late = weeks.find((w) => w.firstDay === '2026-11-23')!;
    assert.equal(late.participants, 1);
    assert.ok(late.participation <= 1);
    assert.equal(weeks.at(-1)!.known, 3);
  });
});
