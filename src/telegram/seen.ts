import type { LoaContext } from './context.ts';

interface Named {
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
}

/** The key of a person seen anywhere (their name kept current), and of a member seen in a group. */
export const personKey = (userId: number): string => `p:${userId}`;
export const memberKey = (chatId: number, userId: number): string => `${chatId}:${userId}`;

/**
 * Remembers whom Loa has written down recently, with the name it wrote, so a busy group does not cost a database
 * write per message; after ten minutes, or a change of name, the row is written again (its last_seen_at too).
 * Updates handled side by side that would write the same row at once (a member's eight presses in a second)
 * share one write (see together).
 */
export class SeenCache {
  private readonly entries = new Map<string, { fingerprint: string; at: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** Runs `write` unless `key` was written with this name in the last ten minutes. */
  async once(ctx: LoaContext, key: string, user: Named, write: () => Promise<void>): Promise<void> {
    const fingerprint = fingerprintOf(user);
    const hit = this.entries.get(key);
    if (hit && hit.fingerprint === fingerprint && Date.now() - hit.at < 10 * 60_000) return;
    await this.together(ctx, `${key}\u0000${fingerprint}`, async () => {
      await write();
      this.written(ctx, key, user);
    });
  }

  /**
   * Runs `work` (a question to Telegram and the write of its answer, say), or, when another update is running the
   * same `key`'s work right now, waits for that one's result instead. Only work that commits on its own is shared:
   * inside an update's transaction (PostgreSQL's commands) a write is not there for others until that commit, and
   * would vanish with its rollback, so it runs alone. Should the shared work fail, each waiter runs its own.
   */
  async together<T>(ctx: LoaContext, key: string, work: () => Promise<T>): Promise<T> {
    if (ctx.db.isTransaction) return work();
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running)
      try {
        return await running;
      } catch {
        return work();
      }
    const mine = work();
    this.inFlight.set(key, mine);
    try {
      return await mine;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Notes that `key` was just written with this name (by a write of its own, such as a membership check's). */
  written(ctx: LoaContext, key: string, user: Named): void {
    const entry = { fingerprint: fingerprintOf(user), at: Date.now() };
    // Remembered once the write is committed: a rolled-back update must not leave a row believed written.
    ctx.afterCommit(() => {
      if (this.entries.size > 50_000) this.entries.clear();
      this.entries.set(key, entry);
    });
  }
}

const fingerprintOf = (user: Named): string =>
  `${user.first_name}\u0000${user.last_name ?? ''}\u0000${user.username ?? ''}`;
