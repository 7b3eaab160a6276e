import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, type Db } from '../../src/db/index.ts';
import { schemaOf } from '../../src/db/postgres.ts';
import { backend, counting, freshDb } from '../support/database.ts';
import { postArticle, submitArticle } from '../../src/domain/articles.ts';
import { registerGroup, seeMember, seeUser } from '../../src/domain/chats.ts';
import { weekPeriod } from '../../src/domain/periods.ts';
import { countStreak, recordAction, recordPress, streak, tally, undoLast } from '../../src/domain/records.ts';
import { compareScores, groupRanking } from '../../src/domain/scores.ts';
import {
  claim,
  confirmSent,
  markGroupDue,
  releaseClaim,
  startDailyPush,
  undelivered,
} from '../../src/domain/pushes.ts';

const HCM = 'Asia/Ho_Chi_Minh';
const scoring = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: 'Asia/Ho_Chi_Minh' };
const at = (iso: string) => new Date(iso);

async function world(): Promise<{ db: Db; a1: number; a2: number }> {
  const db = await freshDb();
  const now = at('2026-11-30T02:00:00Z');
  for (const id of [1, 2, 3]) await seeUser(db, { id, first_name: `U${id}` }, now);
  await registerGroup(db, { id: -10, type: 'supergroup', title: 'A' }, now);
  await registerGroup(db, { id: -20, type: 'supergroup', title: 'B' }, now);
  const a1 = await postArticle(
    db,
    { url: 'https://x.org/1', title: 'One', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
    '2026-11-30',
    now,
  );
  const a2 = await postArticle(
    db,
    { url: 'https://x.org/2', title: 'Two', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
    '2026-11-30',
    now,
  );
  assert.ok(a1.ok && a2.ok);
  return { db, a1: a1.article.id, a2: a2.article.id };
}

describe('records', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    w = await world();
  });

  it('one record per member, article and kind; one per member and link', async () => {
    const now = at('2026-11-30T03:00:00Z');
    assert.ok((await recordAction(w.db, { userId: 2, chatId: -10, articleId: w.a1, kind: 'shared' }, scoring, now)).ok);
    const again = await recordAction(w.db, { userId: 2, chatId: -20, articleId: w.a1, kind: 'shared' }, scoring, now);
    assert.equal(again.ok ? 'inserted' : again.reason, 'duplicate');
    assert.ok(
      (await recordAction(w.db, { userId: 2, chatId: -10, articleId: w.a1, kind: 'rebutted' }, scoring, now)).ok,
    );
    assert.ok(
      (
        await recordAction(
          w.db,
          { userId: 2, chatId: undefined, articleId: undefined, kind: 'rebutted', link: 'https://s.org/p' },
          scoring,
          now,
        )
      ).ok,
    );
    const sameLink = await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: w.a2, kind: 'rebutted', link: 'https://s.org/p' },
      scoring,
      now,
    );
    assert.equal(sameLink.ok ? 'inserted' : sameLink.reason, 'duplicate');
    assert.ok(
      (
        await recordAction(
          w.db,
          { userId: 3, chatId: undefined, articleId: undefined, kind: 'rebutted', link: 'https://s.org/p' },
          scoring,
          now,
        )
      ).ok,
      'another member may cite the same link',
    );
    assert.deepEqual(await tally(w.db, 2, undefined), { shared: 1, rebutted: 2, points: 5 });
  });

  it('refuses unknown, unapproved and archived articles', async () => {
    const now = at('2026-11-30T03:00:00Z');
    const r = await recordAction(w.db, { userId: 2, chatId: -10, articleId: 777, kind: 'shared' }, scoring, now);
    assert.equal(r.ok ? '' : r.reason, 'unknown_article');
  });

  it('an article counts only where it is meant and once published; anything else is "unknown", whatever the id', async () => {
    const now = at('2026-11-30T03:00:00Z');
    const forB = await postArticle(
      w.db,
      { url: 'https://x.org/b', title: 'For B', proposedBy: 1, proposedIn: -20, scopeChatId: -20 },
      '2026-11-30',
      now,
    );
    const tomorrow = await postArticle(
      w.db,
      { url: 'https://x.org/t', title: 'Tomorrow', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
      '2026-12-01',
      now,
    );
    const pending = await submitArticle(
      w.db,
      { url: 'https://x.org/p', title: 'Pending', proposedBy: 1, proposedIn: -10, scopeChatId: -10 },
      now,
    );
    assert.ok(forB.ok && tomorrow.ok);
    const reason = async (chatId: number | undefined, articleId: number, userId = 2) => {
      const r = await recordAction(w.db, { userId, chatId, articleId, kind: 'shared' }, scoring, now);
      return r.ok ? 'recorded' : r.reason;
    };
    // Group A cannot count B's article, tomorrow's, a pending one or a missing one; all look the same.
    assert.equal(await reason(-10, forB.article.id), 'unknown_article');
    assert.equal(await reason(-10, tomorrow.article.id), 'unknown_article');
    assert.equal(await reason(-10, pending.id), 'unknown_article');
    assert.equal(await reason(-10, 999), 'unknown_article');
    // In private: B's article only for a member of B.
    assert.equal(await reason(undefined, forB.article.id), 'unknown_article');
    await seeMember(w.db, -20, { id: 3, first_name: 'U3' }, 'member', now);
    assert.equal(await reason(undefined, forB.article.id, 3), 'recorded');
    // In B itself it counts; tomorrow's article counts tomorrow (07:00 in Ho Chi Minh City).
    assert.equal(await reason(-20, forB.article.id), 'recorded');
    const next = await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: tomorrow.article.id, kind: 'shared' },
      scoring,
      at('2026-12-01T00:00:00Z'),
    );
    assert.ok(next.ok);
    assert.deepEqual(
      (await w.db.selectFrom('records').select('chat_id').where('chat_id', '=', -10).execute()).length,
      1,
      "nothing of B's counted in A",
    );
  });

  it('a link sent after pressing 🛡 goes onto that rebuttal, earning nothing more', async () => {
    const now = at('2026-11-30T03:00:00Z');
    const pressed = await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: w.a1, kind: 'rebutted' },
      scoring,
      now,
    );
    assert.ok(pressed.ok && pressed.record.points === 2);
    const linked = await recordAction(
      w.db,
      { userId: 2, chatId: undefined, articleId: w.a1, kind: 'rebutted', link: 'https://fb.example/r1', note: 'ok' },
      scoring,
      now,
    );
    assert.ok(linked.ok && linked.linkAdded);
    const rows = await w.db.selectFrom('records').selectAll().where('user_id', '=', 2).execute();
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.link, rows[0]!.note, rows[0]!.points], ['https://fb.example/r1', 'ok', 2]);
    // Once linked, another link for the same article is already recorded.
    const again = await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: w.a1, kind: 'rebutted', link: 'https://fb.example/r2' },
      scoring,
      now,
    );
    assert.equal(again.ok ? '' : again.reason, 'duplicate');
    assert.deepEqual(await tally(w.db, 2, undefined), { shared: 0, rebutted: 1, points: 2 });
  });

  it('rebuttals without an article earn points REBUTTALS_PER_DAY times a local day; more are kept, unscored', () =>
    dailyRebuttals(w.db, w.a1));

  it('undo removes the latest record within 24 hours only', async () => {
    await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: w.a1, kind: 'shared' },
      scoring,
      at('2026-11-30T03:00:00Z'),
    );
    await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: w.a2, kind: 'shared' },
      scoring,
      at('2026-11-30T03:01:00Z'),
    );
    const undone = await undoLast(w.db, 2, at('2026-11-30T04:00:00Z'));
    assert.equal(Number(undone?.article_id), w.a2);
    assert.equal(await undoLast(w.db, 2, at('2026-12-01T03:00:01Z')), undefined);
  });

  it('a streak counts consecutive local days and survives until the end of today', () => {
    const days = new Set(['2026-11-27', '2026-11-28', '2026-11-29']);
    assert.equal(countStreak(days, '2026-11-29'), 3);
    assert.equal(countStreak(days, '2026-11-30'), 3, 'not broken before the member has had today');
    assert.equal(countStreak(days, '2026-12-01'), 0);
  });

  it('streak days are local days: 23:30 and 00:30 in Ho Chi Minh City are two days', async () => {
    await recordAction(
      w.db,
      // Rebuttals without an article: the articles are published only on the 30th.
      { userId: 2, chatId: -10, articleId: undefined, kind: 'rebutted', link: 'https://r.example/1' },
      scoring,
      at('2026-11-29T16:30:00Z'),
    );
    await recordAction(
      w.db,
      { userId: 2, chatId: -10, articleId: undefined, kind: 'rebutted', link: 'https://r.example/2' },
      scoring,
      at('2026-11-29T17:30:00Z'),
    );
    assert.equal(await streak(w.db, 2, '2026-11-30', HCM), 2);
  });
});

/**
 * Rebuttals without an article score REBUTTALS_PER_DAY times a local day, then are kept unscored: recorded as a
 * command records them, or, with `claims` (PostgreSQL), each claiming its update (see claimAndRecord).
 */
async function dailyRebuttals(db: Db, articleId: number, claims = false): Promise<void> {
  const rules = { ...scoring, rebuttalsPerDay: 2 };
  let updateId = 700;
  const claim = () => (claims ? { updateId: updateId++ } : undefined);
  const rebut = (n: number, iso: string) =>
    recordAction(
      db,
      { userId: 2, chatId: -10, articleId: undefined, kind: 'rebutted', link: `https://r.example/${n}` },
      rules,
      at(iso),
      claim(),
    );
  assert.ok((await rebut(1, '2026-11-29T17:30:00Z')).ok); // 00:30 on the 30th in Ho Chi Minh City
  assert.ok((await rebut(2, '2026-11-30T03:00:00Z')).ok);
  const third = await rebut(3, '2026-11-30T16:59:00Z'); // 23:59, still the 30th
  assert.ok(third.ok && third.unscored && third.record.points === 0);
  // Pressing under an article is not limited.
  assert.ok(
    (
      await recordAction(
        db,
        { userId: 2, chatId: -10, articleId, kind: 'rebutted' },
        rules,
        at('2026-11-30T17:00:00Z'),
        claim(),
      )
    ).ok,
  );
  const nextDay = await rebut(4, '2026-11-30T17:01:00Z'); // 00:01 on 1 December
  assert.ok(nextDay.ok && !nextDay.unscored && nextDay.record.points === 2);
  // The same link again is "already recorded", whatever the day.
  const again = await rebut(4, '2026-11-30T18:00:00Z');
  assert.equal(!again.ok && again.reason, 'duplicate');
  // The unscored one is kept, but neither scores nor counts.
  assert.equal((await db.selectFrom('records').select('id').where('unscored', '=', 1).execute()).length, 1);
  assert.deepEqual(await tally(db, 2, undefined), { shared: 0, rebutted: 4, points: 8 });
  assert.deepEqual(
    (await groupRanking(db, -10, undefined)).map((r) => [r.rebutted, r.points]),
    [[4, 8]],
  );
}

describe('presses that claim their update (PostgreSQL: a press handled outside a transaction)', () => {
  const pgOnly = backend === 'postgres' ? {} : { skip: 'PostgreSQL only (run with TEST_DATABASE_URL)' };
  const now = at('2026-11-30T03:00:00Z');
  const press = (userId: number, articleId: number, kind: 'shared' | 'rebutted' = 'shared') => ({
    userId,
    chatId: -10,
    articleId,
    kind,
  });
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    w = await world();
  });

  it('presses of one turn share a statement: each records once and claims its update, and a repeat changes nothing', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    const claims = [1, 2, 3].map((updateId) => ({ updateId }) as { updateId: number; repeated?: boolean });
    const results = await Promise.all([
      recordPress(w.db, press(1, w.a1), scoring, now, claims[0]),
      recordPress(w.db, press(2, w.a1), scoring, now, claims[1]),
      recordPress(w.db, press(1, w.a2, 'rebutted'), scoring, now, claims[2]),
    ]);
    assert.deepEqual(
      results.map((r) => (r.ok ? r.record.points : r.reason)),
      [1, 1, 2],
    );
    const handled = await w.db.selectFrom('processed_updates').select('update_id').orderBy('update_id').execute();
    assert.deepEqual(
      handled.map((h) => Number(h.update_id)),
      [1, 2, 3],
    );
    // Telegram delivers update 2 again (another replica, or after a restart that may have cut its answer short): it
    // was handled, nothing is written, and it is answered with the record it made.
    const again = { updateId: 2 } as { updateId: number; repeated?: boolean };
    const repeat = await recordPress(w.db, press(2, w.a1), scoring, now, again);
    assert.equal(repeat.ok && repeat.record.user_id, 2);
    assert.equal(again.repeated, true);
    // A new press of a recorded button: its update is claimed, the record is "already recorded".
    const dup = await recordPress(w.db, press(1, w.a1), scoring, now, { updateId: 4 });
    assert.equal(!dup.ok && dup.reason, 'duplicate');
    assert.equal((await w.db.selectFrom('records').select('id').execute()).length, 3);
    assert.equal((await w.db.selectFrom('processed_updates').select('update_id').execute()).length, 4);
  });

  it('two presses of one record in one turn: one records it, the other hears "already recorded"', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    const [first, second] = await Promise.all([
      recordPress(w.db, press(3, w.a1), scoring, now, { updateId: 11 }),
      recordPress(w.db, { ...press(3, w.a1), chatId: -20 }, scoring, now, { updateId: 12 }),
    ]);
    assert.equal(first.ok, true);
    assert.equal(!second.ok && second.reason, 'duplicate');
    assert.equal((await w.db.selectFrom('records').select('id').where('user_id', '=', 3).execute()).length, 1);
  });

  it('the same update pressed on two replicas at once is recorded and claimed once', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    // A second pool on the same schema stands for the second replica.
    const url = process.env.TEST_DATABASE_URL!;
    const other = createDb(`${url}${url.includes('?') ? '&' : '?'}schema=${schemaOf(w.db)}`);
    t.after(() => other.destroy());
    for (let updateId = 31; updateId < 41; updateId++) {
      const user = (updateId % 3) + 1;
      const kind = updateId % 2 === 0 ? 'shared' : 'rebutted';
      const claims: { updateId: number; repeated?: boolean }[] = [{ updateId }, { updateId }];
      const results = await Promise.all([
        recordPress(w.db, press(user, w.a2, kind), scoring, now, claims[0]),
        recordPress(other, press(user, w.a2, kind), scoring, now, claims[1]),
      ]);
      assert.equal(claims.filter((c) => c.repeated).length, 1, `update ${updateId}: one replica handled it`);
      for (const r of results) assert.ok(r.ok || r.reason === 'duplicate', `update ${updateId}: both answer it`);
    }
    const records = await w.db
      .selectFrom('records')
      .select(['user_id', 'kind'])
      .where('article_id', '=', w.a2)
      .execute();
    assert.equal(records.length, 6, 'three members × two kinds, each once');
    assert.equal((await w.db.selectFrom('processed_updates').select('update_id').execute()).length, 10);
  });

  it('an article that may not be recorded claims nothing: the answer says why, and a redelivery answers again', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    const result = await recordPress(w.db, press(1, 9999), scoring, now, { updateId: 21 });
    assert.equal(!result.ok && result.reason, 'unknown_article');
    assert.equal((await w.db.selectFrom('processed_updates').select('update_id').execute()).length, 0);
  });

  it('a recording command claims its update in the transaction of its record: once, and a repeat changes nothing', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    const rebuttal = { userId: 1, chatId: -10, articleId: undefined, kind: 'rebutted' as const };
    const claims = [51, 52, 53].map((updateId) => ({ updateId }) as { updateId: number; repeated?: boolean });
    const results = await Promise.allSettled([
      recordAction(w.db, { ...rebuttal, link: 'https://social.example/1' }, scoring, now, claims[0]),
      recordAction(w.db, { ...rebuttal, link: 'https://social.example/2' }, scoring, now, claims[1]),
      // A statement that fails (no such member) rolls back the shared commit; each is then run alone.
      recordAction(w.db, { ...rebuttal, userId: 404, link: 'https://social.example/3' }, scoring, now, claims[2]),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' && r.value.ok ? r.value.record.points : r.status)),
      [2, 2, 'rejected'],
      'the member who does not exist fails, alone',
    );
    const handled = await w.db.selectFrom('processed_updates').select('update_id').orderBy('update_id').execute();
    assert.deepEqual(
      handled.map((h) => Number(h.update_id)),
      [51, 52],
      'the failed one left no claim',
    );
    assert.equal((await w.db.selectFrom('records').select('id').where('user_id', '=', 1).execute()).length, 2);
    const again = { updateId: 51 } as { updateId: number; repeated?: boolean };
    const repeat = await recordAction(w.db, { ...rebuttal, link: 'https://social.example/9' }, scoring, now, again);
    assert.deepEqual(repeat, { ok: false, reason: 'repeated' });
    assert.equal(again.repeated, true);
    assert.equal((await w.db.selectFrom('records').select('id').where('user_id', '=', 1).execute()).length, 2);
  });

  it('`/rebutted <link>` claims its update in the statement shared with presses, and keeps to the day’s limit', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    await dailyRebuttals(w.db, w.a1, true);
    // Two of a member's rebuttals at once, one scored rebuttal left that day: only one earns it.
    const rules = { ...scoring, rebuttalsPerDay: 1 };
    const rebuttal = (userId: number, n: number, updateId: number) =>
      recordAction(
        w.db,
        { userId, chatId: -10, articleId: undefined, kind: 'rebutted', link: `https://r.example/${userId}/${n}` },
        rules,
        now,
        { updateId },
      );
    const both = await Promise.all([rebuttal(3, 1, 801), rebuttal(3, 2, 802)]);
    assert.deepEqual(
      both.map((r) => r.ok && r.record.points),
      [2, 0],
    );
    // The same a turn apart (one sent in the group, one in private: two lanes), the first statement still running
    // when the second would start: the second waits for it, so it counts it.
    await seeUser(w.db, { id: 5, first_name: 'U5' }, now);
    const first = rebuttal(5, 1, 811);
    await new Promise((r) => setImmediate(r));
    const apart = await Promise.all([first, rebuttal(5, 2, 812)]);
    assert.deepEqual(
      apart.map((r) => r.ok && r.record.points),
      [2, 0],
    );
    // One statement: the claim, the day's count and the record together, no transaction of its own.
    const { db: counted, statements } = counting(w.db);
    const alone = await recordAction(
      counted,
      { userId: 1, chatId: -10, articleId: undefined, kind: 'rebutted', link: 'https://r.example/1/alone' },
      scoring,
      now,
      { updateId: 803 },
    );
    assert.equal(alone.ok && alone.record.points, 2);
    assert.equal(statements(), 1);
  });

  it('`/shared 12` claims its update as a press does, in the statement of the presses beside it; a redelivery is `repeated`', async (t) => {
    if (pgOnly.skip) return t.skip(pgOnly.skip);
    const { db: counted, statements, reset } = counting(w.db);
    const command = { userId: 1, chatId: -10, articleId: w.a1, kind: 'shared' as const };
    const pressed = await recordPress(counted, press(2, w.a1), scoring, now, { updateId: 60 });
    const byPress = statements();
    reset();
    const claim = { updateId: 61 } as { updateId: number; repeated?: boolean };
    const recorded = await recordAction(counted, command, scoring, now, claim);
    assert.equal(pressed.ok && recorded.ok && recorded.record.points, 1);
    assert.equal(statements(), byPress, 'as many statements as a press: no transaction of its own');
    const results = await Promise.all([
      recordAction(w.db, command, scoring, now, { updateId: 62 }),
      recordPress(w.db, press(3, w.a1), scoring, now, { updateId: 63 }),
    ]);
    assert.deepEqual(
      results.map((r) => (r.ok ? 'recorded' : r.reason)),
      ['duplicate', 'recorded'],
    );
    // Telegram delivers the command again: nothing is written, and it is not answered as if new.
    const again = { updateId: 61 } as { updateId: number; repeated?: boolean };
    assert.deepEqual(await recordAction(w.db, command, scoring, now, again), { ok: false, reason: 'repeated' });
    assert.equal(again.repeated, true);
    assert.equal((await w.db.selectFrom('records').select('id').where('article_id', '=', w.a1).execute()).length, 3);
    const handled = await w.db.selectFrom('processed_updates').select('update_id').orderBy('update_id').execute();
    assert.deepEqual(
      handled.map((h) => Number(h.update_id)),
      [60, 61, 62, 63],
    );
  });

  it('without a claim (SQLite, or inside a transaction) a press is recorded as a command records it', async () => {
    const result = await recordPress(w.db, press(2, w.a2), scoring, now, undefined);
    assert.equal(result.ok && result.record.points, 1);
    const again = await recordPress(w.db, press(2, w.a2), scoring, now, undefined);
    assert.equal(!again.ok && again.reason, 'duplicate');
  });
});

describe('ranking', () => {
  it('ranks by points, then rebuttals, then who reached the score first', () => {
    const rows = [
      {
        userId: 1,
        firstName: 'a',
        lastName: null,
        username: null,
        shared: 4,
        rebutted: 0,
        points: 4,
        reachedAt: '2026-11-30T01:00:00Z',
      },
      {
        userId: 2,
        firstName: 'b',
        lastName: null,
        username: null,
        shared: 0,
        rebutted: 2,
        points: 4,
        reachedAt: '2026-11-30T05:00:00Z',
      },
      {
        userId: 3,
        firstName: 'c',
        lastName: null,
        username: null,
        shared: 2,
        rebutted: 1,
        points: 4,
        reachedAt: '2026-11-30T03:00:00Z',
      },
      {
        userId: 4,
        firstName: 'd',
        lastName: null,
        username: null,
        shared: 2,
        rebutted: 1,
        points: 4,
        reachedAt: '2026-11-30T02:00:00Z',
      },
      {
        userId: 5,
        firstName: 'e',
        lastName: null,
        username: null,
        shared: 5,
        rebutted: 0,
        points: 5,
        reachedAt: '2026-11-30T09:00:00Z',
      },
    ];
    assert.deepEqual(
      [...rows].sort(compareScores).map((r) => r.userId),
      [5, 2, 4, 3, 1],
    );
  });

  it('a group ranking covers that group and period only', async () => {
    const w = await world();
    const monday = at('2026-11-30T02:00:00Z');
    await recordAction(w.db, { userId: 2, chatId: -10, articleId: w.a1, kind: 'rebutted' }, scoring, monday);
    await recordAction(w.db, { userId: 3, chatId: -10, articleId: w.a1, kind: 'shared' }, scoring, monday);
    await recordAction(w.db, { userId: 3, chatId: -20, articleId: w.a2, kind: 'shared' }, scoring, monday);
    await recordAction(
      w.db,
      { userId: 1, chatId: -10, articleId: w.a2, kind: 'shared' },
      scoring,
      at('2026-11-29T16:59:00Z'),
    ); // last week
    const ranking = await groupRanking(w.db, -10, weekPeriod(monday, HCM));
    assert.deepEqual(
      ranking.map((r) => [r.rank, r.userId, r.points]),
      [
        [1, 2, 2],
        [2, 3, 1],
      ],
    );
  });
});

describe('push state', () => {
  it('starts once a day, claims each article once per group, and releases a failed claim', async () => {
    const w = await world();
    const now = at('2026-11-30T00:00:00Z');
    assert.equal(await startDailyPush(w.db, '2026-11-30', now), true);
    assert.equal(await startDailyPush(w.db, '2026-11-30', now), false);
    const due = await undelivered(w.db, -10, '2026-11-30');
    assert.equal(due.firstOfDay, true);
    assert.equal(due.articles.length, 2);
    const batch = await claim(w.db, -10, [w.a1, w.a2], '2026-11-30', now);
    assert.ok(batch);
    assert.equal(
      await claim(w.db, -10, [w.a1], '2026-11-30', now),
      undefined,
      'an article is never claimed twice for a group',
    );
    await confirmSent(w.db, -10, batch, 55, now);
    assert.equal((await undelivered(w.db, -10, '2026-11-30')).articles.length, 0);
    const b2 = await claim(w.db, -20, [w.a1], '2026-11-30', now);
    await releaseClaim(w.db, -20, b2!);
    assert.equal((await undelivered(w.db, -20, '2026-11-30')).articles.length, 2);
    assert.equal(await markGroupDue(w.db, -20, '2026-11-30', now), false);
  });
});
