import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { Update } from 'telegraf/types';
import type { Db } from '../../src/db/index.ts';
import { acquireLease, leaseHolder, releaseLease } from '../../src/domain/leases.ts';
import { gcra, pacesFor, SharedSendBudget } from '../../src/db/send-budget.ts';
import { claimUpdate } from '../../src/db/handled-updates.ts';
import { LeaseCoordinator } from '../../src/jobs/coordinator.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/logger.ts';
import { UpdateTransactions } from '../../src/db/update-transactions.ts';
import { createPostgresDb, postgresBackend } from '../../src/db/postgres.ts';
import { backend, closeDb, freshDb } from '../support/database.ts';

// What several processes sharing one database agree through: job leases, the shared send budget, and
// update ids claimed in the transaction of their effects. Leases run on both backends; the rest is
// PostgreSQL's (SQLite is one process), and is skipped on SQLite.

const silent = createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));
const pgOnly = backend === 'postgres' ? {} : { skip: 'PostgreSQL only (run with TEST_DATABASE_URL)' };
const t0 = new Date('2026-11-30T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('job leases', () => {
  let db: Db;
  before(async () => (db = await freshDb()));
  after(() => closeDb(db));

  it('one holder at a time; the holder renews; another takes over only once it runs out', async () => {
    assert.equal(await acquireLease(db, 'push', 'a', at(0), 30_000), true);
    assert.equal(await acquireLease(db, 'push', 'b', at(1_000), 30_000), false, 'b is refused while a holds it');
    assert.equal(await acquireLease(db, 'push', 'a', at(20_000), 30_000), true, 'a renews');
    assert.equal(await acquireLease(db, 'push', 'b', at(45_000), 30_000), false, 'renewed until 50 s');
    assert.equal(await leaseHolder(db, 'push', at(45_000)), 'a');
    assert.equal(
      await acquireLease(db, 'push', 'b', at(50_000), 30_000),
      true,
      'a stopped renewing (died): b takes over',
    );
    assert.equal(await acquireLease(db, 'push', 'a', at(51_000), 30_000), false, 'and a, back, does not take it back');
    assert.equal(await acquireLease(db, 'weekly', 'a', at(51_000), 30_000), true, 'leases are per job');
  });

  it('a release frees the lease at once, and only its holder can release it', async () => {
    await releaseLease(db, 'weekly', 'b');
    assert.equal(await leaseHolder(db, 'weekly', at(52_000)), 'a');
    await releaseLease(db, 'weekly', 'a');
    assert.equal(await acquireLease(db, 'weekly', 'b', at(52_000), 30_000), true);
  });
});

describe('scheduled jobs across processes (LeaseCoordinator)', () => {
  let db: Db;
  before(async () => (db = await freshDb()));
  after(() => closeDb(db));

  const process = (name: string, clock: () => Date = () => new Date()) => {
    const coordinator = new LeaseCoordinator(db, name, 30_000, clock, silent);
    return { coordinator, scheduler: new Scheduler('Asia/Ho_Chi_Minh', silent, clock, coordinator, 30_000) };
  };

  it('the same firing in two processes runs in one; a refused catch-up is asked again, not forgotten', async () => {
    const a = process('a');
    const b = process('b');
    let runs = 0;
    let release!: () => void;
    const job = {
      name: 'daily-push',
      cron: '0 7 * * *',
      run: () =>
        new Promise<void>((r) => {
          runs += 1;
          release = r;
        }),
    };
    const first = a.scheduler.runOnce(job, 'push:2026-11-30');
    await new Promise((r) => setTimeout(r, 50));
    await b.scheduler.runOnce(job, 'push:2026-11-30');
    assert.equal(runs, 1, 'b did not run it beside a');
    release();
    await first;
    assert.equal(await leaseHolder(db, 'daily-push', new Date()), undefined, 'a gave the lease up when done');
    const again = b.scheduler.runOnce(job, 'push:2026-11-30');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await again;
    assert.equal(runs, 2, 'b asked again at its next check and ran (the job itself then only sends what was not sent)');
    await b.scheduler.runOnce(job, 'push:2026-11-30');
    assert.equal(runs, 2, 'once it ran, the catch-up key is done in b');
  });

  it('node-cron asks the coordinator per firing; the lease is per job, so a firing and a catch-up exclude each other', async () => {
    const a = new LeaseCoordinator(db, 'a', 30_000, () => new Date(), silent);
    const b = new LeaseCoordinator(db, 'b', 30_000, () => new Date(), silent);
    assert.equal(await a.shouldRun('daily-leaderboard:2026-11-30T14:00:00.000Z'), true);
    assert.equal(await b.shouldRun('daily-leaderboard:2026-11-30T14:00:00.000Z'), false);
    assert.equal(await b.shouldRun('daily-leaderboard:catch-up:leaderboard:2026-11-30'), false);
    assert.equal(await a.shouldRun('daily-leaderboard:catch-up:leaderboard:2026-11-30'), true, 'a joins its own lease');
    await a.onComplete('daily-leaderboard:2026-11-30T14:00:00.000Z');
    assert.equal(await b.shouldRun('daily-leaderboard:2026-11-30T14:00:00.000Z'), false, 'still held by a’s other run');
    await a.onComplete('daily-leaderboard:catch-up:leaderboard:2026-11-30');
    assert.equal(
      await b.shouldRun('daily-leaderboard:2026-11-30T14:00:00.000Z'),
      true,
      'free once both of a’s runs ended',
    );
    await b.onComplete('daily-leaderboard:2026-11-30T14:00:00.000Z');
  });

  it('a process that died holding a job: another takes it over once the lease runs out', async () => {
    let now = new Date('2026-11-30T00:00:00Z');
    assert.equal(await acquireLease(db, 'weekly-summary', 'dead', now, 30_000), true);
    const b = process('b', () => now);
    let runs = 0;
    const job = { name: 'weekly-summary', cron: '0 8 * * 1', run: async () => void (runs += 1) };
    await b.scheduler.runOnce(job, 'weekly:2026-11-30');
    assert.equal(runs, 0, 'refused while the lease runs');
    now = new Date(now.getTime() + 30_000);
    await b.scheduler.runOnce(job, 'weekly:2026-11-30');
    assert.equal(runs, 1, 'taken over');
  });

  it('keeps the lease renewed while a job runs longer than the lease', async () => {
    const a = new LeaseCoordinator(db, 'a', 600, () => new Date(), silent);
    const b = new LeaseCoordinator(db, 'b', 600, () => new Date(), silent);
    assert.equal(await a.shouldRun('slow:1'), true);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await b.shouldRun('slow:1'), false, 'renewed every 200 ms, so never expired');
    await a.onComplete('slow:1');
    assert.equal(await b.shouldRun('slow:1'), true);
    await b.onComplete('slow:1');
  });
});

describe('the send budget’s pace (GCRA)', () => {
  const paces = pacesFor({ globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 });

  /** Sends `n` messages into one group as fast as the budget allows; returns their times. */
  const greedy = (n: number, pace = paces.group) => {
    let tat = 0;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = gcra(0, [{ tat, pace }]);
      times.push(r.at);
      tat = r.tats[0]!;
    }
    return times;
  };

  it('never lets more than 20 messages into one group in any 60 seconds, and lets a burst of 10 go at once', () => {
    const times = greedy(200);
    assert.equal(times.filter((t) => t === 0).length, 10);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t <= times[i]! + 60_000).length;
      assert.ok(inWindow <= 20, `${inWindow} sends in the minute from ${times[i]} ms`);
    }
    const lastMinute = times.filter((t) => t > times.at(-1)! - 60_000).length;
    assert.ok(lastMinute >= 9, `and keeps going at close to the limit in the long run (${lastMinute}/min)`);
  });

  it('spaces the bot’s sends 3% under 30 a second; the later of two rows wins', () => {
    const times = greedy(31, paces.global);
    assert.ok(times[30]! >= 1000, `31st send at ${times[30]} ms`);
    const r = gcra(100, [
      { tat: 500, pace: paces.global },
      { tat: 2000, pace: paces.private },
    ]);
    assert.equal(r.at, 2000);
    assert.deepEqual(r.tats, [2000 + paces.global.interval, 3000]);
  });
});

describe('shared by processes on PostgreSQL', pgOnly, () => {
  let db: Db;
  before(async () => (db = await freshDb()));
  after(() => closeDb(db));

  it('the send budget: two processes reserving at once get slots spaced by the bot’s pace, and by the group’s', async () => {
    const paces = pacesFor({ globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 });
    const a = new SharedSendBudget(db, paces);
    const b = new SharedSendBudget(db, paces);
    const slots = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserveSlot(-1000 - i, true)));
    const times = slots.map((s) => s.at).sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++)
      assert.ok(
        times[i]! - times[i - 1]! >= paces.global.interval - 0.001,
        `slots ${i - 1} and ${i} ${times[i]! - times[i - 1]!} ms apart`,
      );
    const group = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).reserveSlot(-42, true)));
    const first = Math.min(...group.map((s) => s.now));
    const late = group.filter((s) => s.at - first > 5_000).length;
    assert.equal(late, 2, 'a burst of 10 into one group, then the group’s pace');
    assert.equal(group.filter((s) => !s.reserved).length, 2, 'the two past the burst are not reserved');
    // The group's later turns held nothing of the bot's pace: another chat's send waits only for the 50 slots
    // reserved above (under 2 s), not for the group's next turn (over 5 s away).
    const other = await a.reserve(7, false);
    assert.equal(other.reserved, true);
    assert.ok(other.waitMs < 60 * paces.global.interval, `another chat waited ${other.waitMs} ms`);
  });

  it('an update claimed by one transaction: a second delivery waits for it, then sees it handled', async () => {
    let commit!: () => void;
    const holding = new Promise<void>((r) => (commit = r));
    const first = db.transaction().execute(async (tx) => {
      assert.equal(await claimUpdate(tx, 501, new Date()), true);
      await holding;
    });
    await new Promise((r) => setTimeout(r, 50));
    let secondDone = false;
    const second = db
      .transaction()
      .execute((tx) => claimUpdate(tx, 501, new Date()))
      .finally(() => (secondDone = true));
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(secondDone, false, 'waits on the row while the first is open');
    commit();
    await first;
    assert.equal(await second, false, 'handled already');
  });

  it('an update whose first handling rolled back is handled by the next delivery', async () => {
    let fail!: () => void;
    const failing = new Promise<void>((r) => (fail = r));
    const first = db.transaction().execute(async (tx) => {
      await claimUpdate(tx, 502, new Date());
      await failing;
      throw new Error('crashed mid-update');
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = db.transaction().execute((tx) => claimUpdate(tx, 502, new Date()));
    fail();
    await assert.rejects(first);
    assert.equal(await second, true);
  });

  it('UpdateTransactions: effects and update_id commit together; a failed statement rolls both back; afterCommit only after a commit', async () => {
    const units = new UpdateTransactions(db, 4);
    const update = (id: number) => ({ update_id: id }) as Update;
    const effects: string[] = [];
    const write = (id: number, then?: () => Promise<unknown>) => async (u: Update) => {
      const unit = units.unitOf(u)!;
      await unit.db
        .insertInto('job_runs')
        .values({ job: 'test', period: String(id), started_at: 'x', finished_at: null })
        .execute();
      unit.afterCommit.push(() => effects.push(`after ${id}`));
      await then?.();
    };
    assert.equal(await units.handle(update(601), new Date(), write(601)), true);
    assert.equal(await units.handle(update(601), new Date(), write(601)), false, 'a redelivery changes nothing');
    // The bot's error boundary swallows a failure after answering the member; the transaction knows better.
    const swallowed = (u: Update) =>
      write(602, () => sql`select * from no_such_table`.execute(units.unitOf(u)!.db).catch(() => undefined))(u);
    assert.equal(await units.handle(update(602), new Date(), swallowed), true);
    const runs = await db.selectFrom('job_runs').select('period').where('job', '=', 'test').execute();
    assert.deepEqual(
      runs.map((r) => r.period),
      ['601'],
    );
    const ids = await db
      .selectFrom('processed_updates')
      .select('update_id')
      .where('update_id', 'in', [601, 602])
      .execute();
    assert.deepEqual(
      ids.map((r) => Number(r.update_id)),
      [601],
      '602 was rolled back with its effects: a redelivery would be handled',
    );
    assert.deepEqual(effects, ['after 601']);
  });
});

describe('the PostgreSQL pool', pgOnly, () => {
  it('opens all its connections at start, before the first update needs one', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `loa_pool_${process.pid}_${Date.now()}`;
    const db = createPostgresDb(`${url}${url.includes('?') ? '&' : '?'}application_name=${name}`, 4);
    const backend = postgresBackend(db, {
      poolSize: 4,
      paces: pacesFor({ globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 }),
    });
    const observer = await freshDb();
    const open = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from pg_stat_activity where application_name = ${name}`.execute(
            observer,
          )
        ).rows[0]!.n,
      );
    try {
      assert.equal(await open(), 0, 'nothing open before the start');
      await backend.open();
      assert.equal(await open(), 4, 'the whole pool, before the first update');
    } finally {
      await backend.close();
      await closeDb(observer);
    }
  });
});
