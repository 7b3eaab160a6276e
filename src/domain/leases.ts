import { wroteRow, type Executor } from '../db/index.ts';

// Leases on scheduled jobs, so that of several processes sharing the database one runs a job at a time,
// and another takes it over when the one running it dies (its lease runs out instead of being renewed).
// Times are the processes' own clocks (ISO strings); they must agree to well within a lease's length.

/** Takes the lease, or renews it if this holder has it; false if another holder's lease is still running. */
export async function acquireLease(
  db: Executor,
  name: string,
  holder: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const nowIso = now.toISOString();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  const result = await db
    .insertInto('job_leases')
    .values({ name, holder, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expires })
        .where((eb) => eb.or([eb('job_leases.expires_at', '<=', nowIso), eb('job_leases.holder', '=', holder)])),
    )
    .executeTakeFirst();
  return wroteRow(result);
}

/** Gives the lease up (only if this holder still has it). */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function leaseHolder(db: Executor, name: string, now: Date): Promise<string | undefined> {
  const row = await db
    .selectFrom('job_leases')
    .select('holder')
    .where('name', '=', name)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.holder;
}
