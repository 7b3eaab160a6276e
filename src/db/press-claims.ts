import { sql } from 'kysely';
import type { Db, LoaRecord, RecordKind } from './index.ts';

/**
 * A record to write on PostgreSQL, in the statement that also claims its update (see claimAndRecord): a press, an
 * article's record by command (`/shared 12`), or a rebuttal without an article (`/rebutted <link>`).
 */
export interface ClaimedPress {
  updateId: number;
  userId: number;
  chatId: number | null;
  articleId: number | null;
  kind: RecordKind;
  points: number;
  createdAt: string;
  link?: string | null;
  note?: string | null;
  /**
   * A rebuttal without an article earns its points only while the member has had fewer than `limit` such scored
   * rebuttals in the day from `from` to `to` (created_at bounds); past it, it is kept unscored.
   */
  dailyCap?: { from: string; to: string; limit: number };
}

/** Claimed: this replica handles the update (record: the new record, or undefined when it was recorded before). */
export type ClaimOutcome = { claimed: false } | { claimed: true; record: LoaRecord | undefined };

interface Job {
  press: ClaimedPress;
  resolve: (outcome: ClaimOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Claims a press's update and records it in one statement, with the presses that arrive in the same turn of the
 * event loop: on PostgreSQL a press costs what its statements cost (each a round trip and a wake-up of a server
 * process), so a burst of presses shares one instead of each running BEGIN, claim, insert, COMMIT. The statement
 * is atomic: the update is claimed exactly when its record is written or found, so a replica handling the same
 * update waits on the claim and then finds it taken (see claimUpdate), and a crash leaves neither.
 */
export function claimAndRecord(db: Db, press: ClaimedPress): Promise<ClaimOutcome> {
  let batch = batches.get(db);
  if (!batch) {
    batch = new PressBatch(db);
    batches.set(db, batch);
  }
  return batch.add(press);
}

const batches = new WeakMap<object, PressBatch>();

class PressBatch {
  private queue: Job[] = [];
  private scheduled = false;
  /** The keys (member, article, kind) of the jobs in a statement now running. */
  private readonly running = new Set<string>();

  constructor(private readonly db: Db) {}

  add(press: ClaimedPress): Promise<ClaimOutcome> {
    return new Promise<ClaimOutcome>((resolve, reject) => {
      this.queue.push({ press, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn: every press woken in it has queued by then.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    // Two presses of one record could not tell which of them wrote it, nor two rebuttals of one member without an
    // article count each other against the day's limit (each statement counts only what is committed), if they ran
    // in one statement or in two at once: the second waits until the statement with the first has finished.
    const now: Job[] = [];
    const later: Job[] = [];
    const keys: string[] = [];
    for (const job of this.queue) {
      const key = `${job.press.userId}:${job.press.articleId}:${job.press.kind}`;
      if (this.running.has(key)) later.push(job);
      else {
        now.push(job);
        keys.push(key);
        this.running.add(key);
      }
    }
    this.queue = later;
    if (now.length === 0) return; // each waits for a statement still running, which schedules them when done
    try {
      // Should the statement fail, each press is tried alone, so only the failing one fails.
      if (!(await this.run(now, now.length === 1))) for (const job of now) await this.run([job]);
    } finally {
      for (const key of keys) this.running.delete(key);
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Runs the jobs in one statement and settles them; false (unsettled) if it failed and `settleFailure` is off. */
  private async run(jobs: Job[], settleFailure = true): Promise<boolean> {
    let rows: Awaited<ReturnType<typeof runBatch>>;
    try {
      rows = await runBatch(
        this.db,
        jobs.map((j) => j.press),
      );
    } catch (err) {
      if (!settleFailure) return false;
      for (const job of jobs) job.reject(err);
      return true;
    }
    const byUpdate = new Map(rows.map((r) => [Number(r.claimed_update), r]));
    for (const job of jobs) {
      const row = byUpdate.get(job.press.updateId);
      if (!row) job.resolve({ claimed: false });
      else if (row.id === null) job.resolve({ claimed: true, record: undefined });
      else {
        const { claimed_update: _, ...record } = row;
        job.resolve({ claimed: true, record: record as LoaRecord });
      }
    }
    return true;
  }
}

async function runBatch(db: Db, presses: ClaimedPress[]) {
  const col = <T>(f: (p: ClaimedPress) => T) => presses.map(f);
  // One row per claimed update, with its record's columns when this statement wrote it; an update another
  // replica had claimed has no row. Both unique indexes of records are partial: any clash means "recorded before".
  // A record past its day's limit (see ClaimedPress.dailyCap) is written unscored: no points, unscored = 1.
  const result = await sql<LoaRecord & { claimed_update: number; id: number | null }>`
    with input as (
      select * from unnest(
        ${col((p) => p.updateId)}::bigint[], ${col((p) => p.userId)}::bigint[], ${col((p) => p.chatId)}::bigint[],
        ${col((p) => p.articleId)}::bigint[], ${col((p) => p.kind)}::text[], ${col((p) => p.points)}::integer[],
        ${col((p) => p.createdAt)}::text[], ${col((p) => p.link ?? null)}::text[], ${col((p) => p.note ?? null)}::text[],
        ${col((p) => p.dailyCap?.from ?? null)}::text[], ${col((p) => p.dailyCap?.to ?? null)}::text[],
        ${col((p) => p.dailyCap?.limit ?? null)}::integer[]
      ) as i(update_id, user_id, chat_id, article_id, kind, points, created_at, link, note, day_from, day_to, day_limit)
    ), claimed as (
      insert into processed_updates (update_id, handled_at)
      select update_id, created_at from input
      on conflict do nothing
      returning update_id
    ), scored as (
      select i.*, case when i.day_limit is null then false else (
        select count(*) from records r
        where r.user_id = i.user_id and r.kind = 'rebutted' and r.article_id is null and r.unscored = 0
          and r.created_at >= i.day_from and r.created_at < i.day_to
      ) >= i.day_limit end as over
      from input i join claimed c on c.update_id = i.update_id
    ), inserted as (
      insert into records (user_id, chat_id, article_id, kind, link, note, points, created_at, unscored)
      select user_id, chat_id, article_id, kind, link, note, case when over then 0 else points end, created_at,
        case when over then 1 else 0 end
      from scored
      on conflict do nothing
      returning *
    )
    select c.update_id as claimed_update, r.*
    from claimed c
    join input i on i.update_id = c.update_id
    left join inserted r on r.user_id = i.user_id and r.kind = i.kind
      and r.article_id is not distinct from i.article_id and r.link is not distinct from i.link
  `.execute(db);
  return result.rows;
}
