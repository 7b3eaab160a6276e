import type { Update } from 'telegraf/types';
import type { Logger } from '../logger.ts';

// Updates in lanes: each chat's updates are handled one after another, in the order Telegram numbered them (a
// /post before the /push that needs it); different chats go on side by side, so one busy or slow chat holds up
// no other. The design of grammY's runner (`sequentialize` by chat, a bound on what is in hand), kept to what
// Loa needs.

/** The lane an update belongs to: its chat; else (an inline query, say) the person; else a lane of its own. */
export function laneOf(update: Update): string {
  type Carrier = { chat?: { id: number }; from?: { id: number }; message?: { chat: { id: number } } };
  const u = update as unknown as Record<string, Carrier | undefined>;
  const chat =
    u.message?.chat ??
    u.edited_message?.chat ??
    u.callback_query?.message?.chat ??
    u.my_chat_member?.chat ??
    u.chat_member?.chat;
  if (chat?.id !== undefined) return `c${chat.id}`;
  const from = u.callback_query?.from ?? u.message?.from;
  return from?.id !== undefined ? `u${from.id}` : `x${update.update_id}`;
}

export class ChatLanes {
  /** Each lane's last update in hand: the next one of that chat waits for it. */
  private readonly tails = new Map<string, Promise<void>>();
  private count = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly handle: (update: Update) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Updates taken and not yet handled, in all lanes. */
  get pending(): number {
    return this.count;
  }

  /**
   * Queues an update behind its chat's earlier ones. Resolves once it is handled; rejects if handling failed
   * outside the bot's error boundary (a PostgreSQL commit), which is also logged. Its lane goes on either way.
   */
  run(update: Update): Promise<void> {
    const lane = laneOf(update);
    const before = this.tails.get(lane) ?? Promise.resolve();
    this.count += 1;
    const result = before.then(() => this.handle(update));
    const done: Promise<void> = result
      .catch((err: unknown) =>
        this.log.error({ err, updateId: update.update_id }, 'update failed outside the error boundary'),
      )
      .finally(() => {
        this.count -= 1;
        if (this.tails.get(lane) === done) this.tails.delete(lane);
        for (const wake of this.waiters.splice(0)) wake();
      });
    this.tails.set(lane, done);
    // Settles after the bookkeeping above, so a caller that waits for it sees the update out of hand.
    return done.then(() => result);
  }

  /** Resolves at the next update finished (or at once when none is in hand). */
  progress(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves when fewer than `limit` updates are in hand. */
  async below(limit: number): Promise<void> {
    while (this.count >= limit) await this.progress();
  }

  /** Resolves when every update in hand is handled. */
  async idle(): Promise<void> {
    while (this.count > 0) await this.progress();
  }
}
