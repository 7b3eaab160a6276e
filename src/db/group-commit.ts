import type { Db, Executor } from './index.ts';

interface Job {
  write: (tx: Executor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Writes from updates handled side by side, committed together. On SQLite a commit writes every page it
 * touched to the WAL (a record touches about seven: the table and its indexes), so a burst of presses costs
 * far less when the writes that arrive in one turn of the event loop share one commit (docs/benchmarks.md).
 * Each caller's promise settles only after the commit, so an answer sent after it still means "committed".
 * Should any write of a group fail (or the commit), the group is rolled back and each write is run again on
 * its own, so only the failing one fails. A write must therefore be safe to run again after a rollback.
 * Inside a caller's transaction (PostgreSQL's per-update unit of work) the write just runs there.
 */
export function committedTogether<T>(db: Executor, write: (tx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return write(db);
  let group = groups.get(db);
  if (!group) {
    group = new CommitGroup(db as Db);
    groups.set(db, group);
  }
  return group.add(write);
}

const groups = new WeakMap<object, CommitGroup>();

class CommitGroup {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  add<T>(write: (tx: Executor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: every update woken in it has queued its write by then.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const jobs = this.queue;
    this.queue = [];
    this.scheduled = false;
    if (jobs.length === 1) return this.alone(jobs[0]!);
    let results: unknown[];
    try {
      results = await this.db.transaction().execute(async (tx) => {
        const out: unknown[] = [];
        for (const job of jobs) out.push(await job.write(tx));
        return out;
      });
    } catch {
      for (const job of jobs) await this.alone(job);
      return;
    }
    jobs.forEach((job, i) => job.resolve(results[i]));
  }

  private async alone(job: Job): Promise<void> {
    try {
      job.resolve(await job.write(this.db));
    } catch (err) {
      job.reject(err);
    }
  }
}
