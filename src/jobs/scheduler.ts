import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';

// Every scheduled job, registered with node-cron in the configured zone. A job is (now) => Promise;
// it is never run twice at once (noOverlap), and a failure is logged, never thrown at the process.
// With a RunCoordinator (several processes sharing a database), a firing and a catch-up run only where
// the coordinator elects them, so each runs in one process at a time.

export interface ScheduledJob {
  name: string;
  cron: string;
  run: (now: Date) => Promise<unknown>;
}

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly timezone: string,
    private readonly log: Logger,
    private readonly clock: () => Date,
    private readonly coordinator?: RunCoordinator,
    private readonly leaseMs = 30_000,
  ) {}

  start(jobs: ScheduledJob[]): void {
    for (const job of jobs) {
      const coordination = this.coordinator
        ? { distributed: true, runCoordinator: this.coordinator, distributedLease: this.leaseMs }
        : {};
      const task = cron.schedule(job.cron, () => this.runNow(job), {
        timezone: this.timezone,
        name: job.name,
        noOverlap: true,
        ...coordination,
      });
      this.tasks.push(task);
      this.log.info({ job: job.name, cron: job.cron, next: task.getNextRun()?.toISOString() }, 'job scheduled');
    }
  }

  private readonly busy = new Map<string, Promise<unknown>>();

  /**
   * Runs a job now (its schedule, or a catch-up), logging its failure. A job never runs beside itself: while
   * a run is going, another request for the same job joins it instead of starting a second one.
   */
  runNow(job: ScheduledJob): Promise<unknown> {
    const current = this.busy.get(job.name);
    if (current) return current;
    const work = job
      .run(this.clock())
      .catch((err: unknown) => this.log.error({ err, job: job.name }, 'scheduled job failed'));
    this.busy.set(job.name, work);
    this.running.add(work);
    void work.finally(() => {
      this.running.delete(work);
      this.busy.delete(job.name);
    });
    return work;
  }

  private readonly caughtUp = new Set<string>();

  private readonly electing = new Set<string>();

  /**
   * A catch-up run: at most once per key (job and period) in this process's life, and never beside a run of
   * the same job that is still going, here or (with a coordinator) in another process; then it is not
   * counted, and the next check asks again. The job itself only sends what it has not sent.
   */
  async runOnce(job: ScheduledJob, key: string): Promise<void> {
    if (this.caughtUp.has(key) || this.electing.has(job.name)) return;
    const coordinationKey = `${job.name}:catch-up:${key}`;
    this.electing.add(job.name);
    try {
      if (this.coordinator && !(await this.coordinator.shouldRun(coordinationKey, this.leaseMs))) return;
    } catch (err) {
      this.log.error(
        { err, job: job.name },
        'could not ask whether to catch up on a job; asking again at the next check',
      );
      return;
    } finally {
      this.electing.delete(job.name);
    }
    this.caughtUp.add(key);
    try {
      await this.runNow(job);
    } finally {
      await Promise.resolve(this.coordinator?.onComplete?.(coordinationKey)).catch((err: unknown) =>
        this.log.error({ err, job: job.name }, 'could not release a job'),
      );
    }
  }

  /** Stops the schedule and waits for jobs already running. */
  async stop(): Promise<void> {
    for (const task of this.tasks) await task.destroy();
    await Promise.allSettled([...this.running]);
  }
}
