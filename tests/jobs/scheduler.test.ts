import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/logger.ts';

describe('the scheduler', () => {
  it('never runs a job beside itself: a second request joins the run in progress', async () => {
    const scheduler = new Scheduler(
      'Asia/Ho_Chi_Minh',
      createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() })),
      () => new Date(),
    );
    let runs = 0;
    let release!: () => void;
    const job = {
      name: 'push',
      cron: '0 7 * * *',
      run: () =>
        new Promise<void>((r) => {
          runs += 1;
          release = r;
        }),
    };
    const a = scheduler.runNow(job);
    const b = scheduler.runNow(job);
    assert.equal(runs, 1);
    release();
    await Promise.all([a, b]);
    const c = scheduler.runNow(job);
    assert.equal(runs, 2, 'a later request runs again');
    release();
    await c;
    await scheduler.stop();
  });

  it('a catch-up runs once per key in a process’s life', async () => {
    const scheduler = new Scheduler(
      'Asia/Ho_Chi_Minh',
      createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() })),
      () => new Date(),
    );
    let runs = 0;
    const job = { name: 'leaderboard', cron: '0 21 * * *', run: async () => void (runs += 1) };
    await scheduler.runOnce(job, 'leaderboard:2026-11-30');
    await scheduler.runOnce(job, 'leaderboard:2026-11-30');
    await scheduler.runOnce(job, 'leaderboard:2026-12-01');
    assert.equal(runs, 2);
  });
});
