import { wroteRow, type Executor } from '../db/index.ts';

// Scheduled jobs remember, per period, that they started and that they finished: a restart resumes an
// unfinished run (each job only sends what it has not sent) and skips a finished one.

/** Records that a job started for a period (once); returns whether this call started it. */
export async function startJob(db: Executor, job: string, period: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('job_runs')
    .values({ job, period, started_at: now.toISOString(), finished_at: null })
    .onConflict((oc) => oc.columns(['job', 'period']).doNothing())
    .executeTakeFirst();
  return wroteRow(inserted);
}

export async function jobStarted(db: Executor, job: string, period: string): Promise<boolean> {
  const row = await db
    .selectFrom('job_runs')
    .select('job')
    .where('job', '=', job)
    .where('period', '=', period)
    .executeTakeFirst();
  return row !== undefined;
}

export async function jobFinished(db: Executor, job: string, period: string): Promise<boolean> {
  const row = await db
    .selectFrom('job_runs')
    .select('finished_at')
    .where('job', '=', job)
    .where('period', '=', period)
    .executeTakeFirst();
  return row?.finished_at != null;
}

export async function finishJob(db: Executor, job: string, period: string, now: Date): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ finished_at: now.toISOString() })
    .where('job', '=', job)
    .where('period', '=', period)
    .where('finished_at', 'is', null)
    .execute();
}

/** Each job's latest start and latest finish (ISO strings; a run still going has started after it finished). */
export async function lastRuns(
  db: Executor,
): Promise<{ job: string; lastStarted: string; lastFinished: string | null }[]> {
  const rows = await db
    .selectFrom('job_runs')
    .select((eb) => ['job', eb.fn.max('started_at').as('lastStarted'), eb.fn.max('finished_at').as('lastFinished')])
    .groupBy('job')
    .execute();
  return rows.map((r) => ({ job: r.job, lastStarted: r.lastStarted, lastFinished: r.lastFinished ?? null }));
}
