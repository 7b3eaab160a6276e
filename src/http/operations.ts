import type http from 'node:http';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Db } from '../db/index.ts';
import { lastRuns } from '../domain/job-runs.ts';
import { localDay } from '../domain/periods.ts';
import { pushGroups, pushMessages } from '../domain/pushes.ts';
import type { Priority, Sender } from '../telegram/sender.ts';
import type { Handler } from './server.ts';

// What an operator's monitoring asks of Loa: /healthz (up or not, and why) and /metrics (Prometheus).

/** What the two routes read of the running app. */
export interface OperationsView {
  db: Db;
  sender: Sender;
  timezone: string;
  /** The app's clock: whose day the push progress is of. */
  clock: () => Date;
  intake: {
    mode: 'polling' | 'webhook';
    /** Updates taken and not yet handled. */
    readonly pending: number;
    /** When Telegram last answered a poll or delivered to the webhook (ms since the epoch). */
    readonly lastContactAt: number | undefined;
  };
  /** Polling: how long without an answer from Telegram before Loa is unhealthy (a long poll and its timeout, twice). */
  silenceLimitMs: number;
}

export interface Health {
  ok: boolean;
  /** Why not, in a sentence, when not ok. */
  reason?: string;
  database: 'ok' | string;
  intake: { mode: 'polling' | 'webhook'; inHand: number; lastContactSecondsAgo: number | null };
}

const DB_CHECK_MS = 2_000;

/**
 * Healthy when the database answers (within 2 s) and, when polling, Telegram has answered a poll within the
 * silence limit. A webhook is not held to it: no update may come for hours in a quiet unit, and that is no fault.
 */
export async function checkHealth(view: OperationsView): Promise<Health> {
  // Real time, as the intake records it (the app's clock may stand still in tests).
  const now = Date.now();
  const last = view.intake.lastContactAt;
  const intake = {
    mode: view.intake.mode,
    inHand: view.intake.pending,
    lastContactSecondsAgo: last === undefined ? null : Math.round((now - last) / 1000),
  };
  let database = 'ok';
  try {
    await Promise.race([
      sql`select 1`.execute(view.db),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${DB_CHECK_MS} ms`)), DB_CHECK_MS).unref(),
      ),
    ]);
  } catch (err) {
    database = (err as Error).message;
  }
  if (database !== 'ok') return { ok: false, reason: `database: ${database}`, database, intake };
  if (view.intake.mode === 'polling') {
    if (last === undefined) return { ok: false, reason: 'starting: no answer from Telegram yet', database, intake };
    if (now - last > view.silenceLimitMs)
      return { ok: false, reason: `no answer from Telegram for ${intake.lastContactSecondsAgo} s`, database, intake };
  }
  return { ok: true, database, intake };
}

export function healthHandler(view: OperationsView): Handler {
  return async (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const health = await checkHealth(view);
    res
      .writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(health));
  };
}

/**
 * The Prometheus registry of one app (not prom-client's global one: tests run several apps in one process).
 * Counters of updates are kept as they happen; the rest is read from the app when scraped.
 */
export function createMetrics(view: OperationsView): {
  registry: Registry;
  updateHandled: (outcome: UpdateOutcome) => void;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'loa_' });
  const updates = new Counter({
    name: 'loa_updates_total',
    help: 'Updates from Telegram, by outcome: handled, repeated (delivered again, already handled), failed.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['handled', 'repeated', 'failed'] as const) updates.inc({ outcome }, 0);
  new Counter({
    name: 'loa_telegram_calls_total',
    help: 'Calls to Telegram by method and outcome (sent; rateLimited: a 429; retried; failed; folded: the same group answer not sent twice; dropped: too late to be useful).',
    labelNames: ['method', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [method, outcomes] of view.sender.statsByMethod)
        for (const [outcome, n] of Object.entries(outcomes)) if (n > 0) this.inc({ method, outcome }, n);
    },
  });
  new Gauge({
    name: 'loa_send_queue',
    help: 'Messages waiting to be sent, by priority (interactive: answers to people; bulk: push and reports).',
    labelNames: ['priority'],
    registers: [registry],
    collect() {
      const queued = view.sender.queued();
      for (const priority of Object.keys(queued) as Priority[]) this.set({ priority }, queued[priority]);
    },
  });
  new Gauge({
    name: 'loa_updates_in_hand',
    help: 'Updates taken from Telegram and not yet handled.',
    registers: [registry],
    collect() {
      this.set(view.intake.pending);
    },
  });
  new Gauge({
    name: 'loa_push_groups',
    help: 'Groups due today’s push, and those done (in BOT_TIMEZONE).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const groups = await pushGroups(view.db, localDay(view.clock(), view.timezone));
      this.set({ state: 'due' }, groups.due);
      this.set({ state: 'done' }, groups.done);
    },
  });
  new Gauge({
    name: 'loa_push_messages',
    help: 'Today’s push messages by status (sending: claimed, not yet confirmed).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const messages = await pushMessages(view.db, localDay(view.clock(), view.timezone));
      for (const [status, n] of Object.entries(messages)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'loa_job_last_run_timestamp_seconds',
    help: 'Each scheduled job’s latest start and finish, as Unix time.',
    labelNames: ['job', 'event'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const run of await lastRuns(view.db)) {
        this.set({ job: run.job, event: 'started' }, Date.parse(run.lastStarted) / 1000);
        if (run.lastFinished) this.set({ job: run.job, event: 'finished' }, Date.parse(run.lastFinished) / 1000);
      }
    },
  });
  return { registry, updateHandled: (outcome) => updates.inc({ outcome }) };
}

export type UpdateOutcome = 'handled' | 'repeated' | 'failed';

export function metricsHandler(registry: Registry): Handler {
  return async (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
  };
}
