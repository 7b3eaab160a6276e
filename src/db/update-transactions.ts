import { sql } from 'kysely';
import type { Update } from 'telegraf/types';
import type { Db, Executor } from './index.ts';
import { claimUpdate } from './handled-updates.ts';

/** The transaction an update is handled in, with what must wait for its commit. */
export interface UnitOfWork {
  db: Executor;
  /** Run once the update's transaction committed (work that must see its effects, or must not outlive a rollback). */
  afterCommit: (() => void)[];
  /** Handled outside a transaction: the statement that writes the update's effect claims it (see recordPress). */
  claim?: { updateId: number; repeated?: boolean };
}

/**
 * Each update handled in one transaction that also records its update_id (PostgreSQL, where several
 * replicas share the database): Telegram's redelivery of an update that another replica handled, or is
 * handling right now, changes nothing. Its messages are sent while it runs; if the commit then fails, the
 * error reaches the webhook (500), Telegram redelivers, and the update is handled again from scratch: the
 * effects are exactly once, a reply at least once.
 *
 * At most `limit` updates hold a connection at once, so work that needs a second one (a leader's /push)
 * always finds it: the pool is larger than the limit.
 */
export class UpdateTransactions {
  private readonly open = new WeakMap<object, UnitOfWork>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly limit: number,
    /**
     * Updates whose one effect is written by a single statement that also claims them (a member's press): they
     * skip the transaction, its BEGIN, COMMIT and held connection, and may share that statement with others.
     */
    private readonly claimsItself: (update: Update) => boolean = () => false,
  ) {}

  /** The unit of work of an update being handled (for the bot's context). */
  readonly unitOf = (update: object): UnitOfWork | undefined => this.open.get(update);

  /** Handles an update once; false if it had been handled already. Throws if its transaction failed. */
  async handle(update: Update, now: Date, handle: (update: Update) => Promise<void>): Promise<boolean> {
    if (this.claimsItself(update)) return this.handleClaimingItself(update, handle);
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    let unit: UnitOfWork | undefined;
    try {
      const fresh = await this.db.transaction().execute(async (tx) => {
        if (!(await claimUpdate(tx, update.update_id, now))) return false;
        unit = { db: tx, afterCommit: [] };
        this.open.set(update, unit);
        try {
          await handle(update);
        } finally {
          this.open.delete(update);
        }
        // The bot's error boundary has already answered a failure ("nothing was changed"); a statement that
        // failed has aborted the transaction, and then it is rolled back, update_id and all.
        if (
          !(await sql`select 1`.execute(tx).then(
            () => true,
            () => false,
          ))
        )
          throw new RolledBack();
        return true;
      });
      for (const fn of unit?.afterCommit ?? []) fn();
      return fresh;
    } catch (err) {
      if (err instanceof RolledBack) return true;
      throw err;
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight on
      else this.active -= 1;
    }
  }

  private async handleClaimingItself(update: Update, handle: (update: Update) => Promise<void>): Promise<boolean> {
    const unit: UnitOfWork = { db: this.db, afterCommit: [], claim: { updateId: update.update_id } };
    this.open.set(update, unit);
    try {
      await handle(update);
    } finally {
      this.open.delete(update);
    }
    for (const fn of unit.afterCommit) fn();
    return !unit.claim!.repeated;
  }
}

class RolledBack extends Error {}
