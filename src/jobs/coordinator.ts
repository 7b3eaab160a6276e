import type { RunCoordinator } from 'node-cron';
import type { Executor } from '../db/index.ts';
import { acquireLease, releaseLease } from '../domain/leases.ts';
import type { Logger } from '../logger.ts';

/**
 * node-cron's RunCoordinator backed by a lease row per job in the shared database (SQLite or PostgreSQL):
 * of several processes whose schedules fire at the same moment, the one that takes the lease runs the job,
 * the others skip it. The lease is renewed while the job runs and given up when it ends; if its holder
 * dies, the lease runs out and another process's catch-up check takes the job over (each job only sends
 * what was not sent: see the push and report deliveries).
 *
 * node-cron asks with a key per firing ("daily-push:2026-11-30T00:00:00.000Z"); the lease is per job (the
 * part before the first colon), so a catch-up run and a scheduled firing of the same job exclude each other too.
 */
export class LeaseCoordinator implements RunCoordinator {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly db: Executor,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  async shouldRun(key: string): Promise<boolean> {
    const job = jobOf(key);
    if (this.join(job)) return true;
    if (!(await acquireLease(this.db, job, this.holder, this.clock(), this.ttlMs))) {
      this.log.debug({ job }, 'job is running in another process; skipping here');
      return false;
    }
    if (this.join(job)) return true; // taken by this process meanwhile (the same holder renews, so both may run joined)
    const lease: Held = { count: 1, timer: undefined as never };
    lease.timer = setInterval(() => (lease.renewing = this.renew(job)), Math.max(200, this.ttlMs / 3));
    lease.timer.unref();
    this.held.set(job, lease);
    return true;
  }

  async onComplete(key: string): Promise<void> {
    const job = jobOf(key);
    const lease = this.held.get(job);
    if (!lease || --lease.count > 0) return;
    clearInterval(lease.timer);
    this.held.delete(job);
    await lease.renewing; // a renewal on the wire would otherwise take the lease again after the release
    await releaseLease(this.db, job, this.holder);
  }

  private join(job: string): boolean {
    const lease = this.held.get(job);
    if (lease) lease.count += 1;
    return lease !== undefined;
  }

  private async renew(job: string): Promise<void> {
    try {
      const kept = await acquireLease(this.db, job, this.holder, this.clock(), this.ttlMs);
      if (!kept)
        this.log.error({ job }, 'lost the lease on a running job (renewed too late); another process may take it over');
    } catch (err) {
      this.log.error({ err, job }, 'could not renew the lease on a running job');
    }
  }
}

const jobOf = (key: string): string => key.split(':')[0]!;

/** A lease this process holds: how many runs share it, its renewal timer, the renewal on the wire. */
interface Held {
  count: number;
  timer: NodeJS.Timeout;
  renewing?: Promise<void>;
}
