import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Db } from '../../src/db/index.ts';
import { registerGroup } from '../../src/domain/chats.ts';
import { checkHealth, createMetrics, type OperationsView } from '../../src/http/operations.ts';
import { createLogger } from '../../src/logger.ts';
import { Sender } from '../../src/telegram/sender.ts';
import { closeDb, freshDb } from '../support/database.ts';

// /healthz and /metrics as an operator's monitoring reads them, from a real database.

const quietLog = () => createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));
const NOW = new Date('2026-12-02T03:00:00Z'); // 10:00 in Ho Chi Minh City

describe('health and metrics', () => {
  let db: Db;
  const intake = { mode: 'polling' as const, pending: 3, lastContactAt: undefined as number | undefined };
  let view: OperationsView;
  before(async () => {
    db = await freshDb();
    const sender = new Sender(
      { callApi: async () => ({ message_id: 1 }) },
      { globalPerSecond: 30, groupPerMinute: 20, privatePerSecond: 1 },
      quietLog(),
    );
    view = { db, sender, timezone: 'Asia/Ho_Chi_Minh', clock: () => NOW, intake, silenceLimitMs: 8_000 };
  });
  after(() => closeDb(db));

  it('is unhealthy until Telegram answers a poll, healthy after, and unhealthy again after a long silence', async () => {
    intake.lastContactAt = undefined;
    const starting = await checkHealth(view);
    assert.equal(starting.ok, false);
    assert.match(starting.reason!, /starting/);
    intake.lastContactAt = Date.now() - 1000;
    const up = await checkHealth(view);
    assert.deepEqual(up, {
      ok: true,
      database: 'ok',
      intake: { mode: 'polling', inHand: 3, lastContactSecondsAgo: 1 },
    });
    intake.lastContactAt = Date.now() - 60_000;
    const silent = await checkHealth(view);
    assert.equal(silent.ok, false);
    assert.match(silent.reason!, /no answer from Telegram for 60 s/);
    // A webhook is not held to it: a quiet unit sends no updates for hours.
    assert.equal((await checkHealth({ ...view, intake: { ...intake, mode: 'webhook' } })).ok, true);
  });

  it('is unhealthy, saying why, when the database does not answer', async () => {
    const gone = await freshDb();
    await closeDb(gone);
    intake.lastContactAt = Date.now();
    const health = await checkHealth({ ...view, db: gone });
    assert.equal(health.ok, false);
    assert.match(health.reason!, /^database: /);
  });

  it('counts updates and calls, and reads today’s push and the jobs’ last runs from the database', async () => {
    for (const id of [-1, -2]) await registerGroup(db, { id, type: 'supergroup', title: `G${id}` }, NOW);
    await db
      .insertInto('group_pushes')
      .values([
        { chat_id: -1, day: '2026-12-02', created_at: NOW.toISOString(), completed_at: NOW.toISOString() },
        { chat_id: -2, day: '2026-12-02', created_at: NOW.toISOString(), completed_at: null },
        { chat_id: -1, day: '2026-12-01', created_at: NOW.toISOString(), completed_at: null },
      ])
      .execute();
    await db
      .insertInto('job_runs')
      .values([
        {
          job: 'push',
          period: '2026-12-01',
          started_at: '2026-12-01T00:00:00.000Z',
          finished_at: '2026-12-01T00:05:00.000Z',
        },
        { job: 'push', period: '2026-12-02', started_at: '2026-12-02T00:00:00.000Z', finished_at: null },
      ])
      .execute();
    const { registry, updateHandled } = createMetrics(view);
    updateHandled('handled');
    updateHandled('handled');
    updateHandled('repeated');
    await view.sender.sendMessage(-1, 'hi');
    const text = await registry.metrics();
    assert.match(text, /^loa_updates_total\{outcome="handled"\} 2$/m);
    assert.match(text, /^loa_updates_total\{outcome="repeated"\} 1$/m);
    assert.match(text, /^loa_updates_total\{outcome="failed"\} 0$/m);
    assert.match(text, /^loa_telegram_calls_total\{method="sendMessage",outcome="sent"\} 1$/m);
    assert.match(text, /^loa_send_queue\{priority="bulk"\} 0$/m);
    assert.match(text, /^loa_updates_in_hand 3$/m);
    assert.match(text, /^loa_push_groups\{state="due"\} 2$/m, 'today’s groups only');
    assert.match(text, /^loa_push_groups\{state="done"\} 1$/m);
    assert.match(
      text,
      new RegExp(
        `^loa_job_last_run_timestamp_seconds\\{job="push",event="started"\\} ${Date.parse('2026-12-02T00:00:00Z') / 1000}$`,
        'm',
      ),
    );
    assert.match(
      text,
      new RegExp(
        `^loa_job_last_run_timestamp_seconds\\{job="push",event="finished"\\} ${Date.parse('2026-12-01T00:05:00Z') / 1000}$`,
        'm',
      ),
    );
    assert.match(text, /^loa_process_resident_memory_bytes /m, 'the process’s own metrics too');
  });
});
