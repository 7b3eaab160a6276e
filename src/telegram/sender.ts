import { isGroupId } from '../domain/chats.ts';
import type { Logger } from '../logger.ts';
import { classify, SendError, type Failure } from './errors.ts';

// One way out for every message. It keeps under Telegram's limits (30 messages a second in all,
// 20 a minute into one group, about one a second into one private chat: core.telegram.org/bots/faq),
// waits out 429s per chat, retries 5xx and network failures with backoff, follows group-to-supergroup
// migrations, and reports chats the bot can no longer reach. One chat in trouble never holds up the others:
// each chat has its own queue and at most one call in flight, and the global pace is shared fairly.

export interface CallOptions {
  /** Abandons the call when aborted (polling stops). */
  signal?: AbortSignal;
  /** Abandons the call after this long. */
  timeoutMs?: number;
}

export interface ApiCaller {
  callApi(method: string, payload: object, options?: CallOptions): Promise<unknown>;
}

export interface SenderLimits {
  globalPerSecond: number;
  groupPerMinute: number;
  privatePerSecond: number;
}

export interface SenderHooks {
  /** 403: kicked from a group, or blocked by a user. */
  onChatGone?(chatId: number): Promise<void> | void;
  /** 400 with migrate_to_chat_id: the group is now a supergroup. */
  onChatMigrated?(oldId: number, newId: number): Promise<void> | void;
  /**
   * Several processes sending for one bot: reserves this send's slot in a budget they share and says how
   * many milliseconds to wait for it, or, when the chat's own pace holds it (`reserved` false), how long
   * before asking again (see SharedSendBudget). Without it, this process paces itself alone.
   */
  reserve?(chatId: number | string, isGroup: boolean): Promise<{ waitMs: number; reserved: boolean }>;
}

export type Priority = 'interactive' | 'bulk';

/** What became of a call: sent; or folded, dropped as stale, failed; rate-limited and retried count attempts. */
export type Outcome = 'sent' | 'rateLimited' | 'retried' | 'failed' | 'folded' | 'dropped';

const noOutcomes = (): Record<Outcome, number> => ({
  sent: 0,
  rateLimited: 0,
  retried: 0,
  failed: 0,
  folded: 0,
  dropped: 0,
});

export interface SendOptions {
  /** Interactive replies go before bulk broadcasts waiting for the same budget. */
  priority?: Priority;
  /** How many times a 5xx or network failure is retried before giving up. */
  maxRetries?: number;
  /**
   * Called when the call's turn comes, just before it goes out (once, not on retries). Returning false
   * cancels it and the call resolves with null. The push claims its articles here, so a crash loses at
   * most the message on the wire, never a queue of claimed-but-unsent ones.
   */
  onDispatch?: () => Promise<boolean>;
  /**
   * Into a group: a message the same for whoever asked (same text and buttons), asked for at `at` (ms, the app's
   * clock). While one with this key is queued, or one asked for less than FOLD_WINDOW_MS earlier was sent, it is
   * not sent again: the call resolves with null.
   */
  fold?: { key: string; at: number };
  /** Dropped, resolving with null, if its turn has not come this long after it was asked for: too late to help. */
  staleAfterMs?: number;
}

/** How long a group's answer stands for the same question asked again (see SendOptions.foldKey). */
export const FOLD_WINDOW_MS = 60_000;

interface Job {
  method: string;
  payload: Record<string, unknown>;
  priority: Priority;
  attempts: number;
  maxRetries: number;
  onDispatch: (() => Promise<boolean>) | undefined;
  fold: { key: string; at: number } | undefined;
  /** Past this time (ms) it is dropped instead of sent. */
  deadline: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface ChatLane {
  key: string;
  isGroup: boolean;
  queue: Job[];
  busy: boolean;
  /** Not before this time (ms): a 429's retry_after, a backoff, or the per-chat pace. */
  notBefore: number;
  /** Times of recent sends, for the per-minute group window. */
  recent: number[];
  /** Fold keys of recent sends, with when they were asked for. */
  folds: Map<string, number>;
}

/** Bulk calls between their turn and Telegram's answer at once: enough for 30 a second at up to ~130 ms each. */
const MAX_BULK_IN_FLIGHT = 4;

const MESSAGE_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'editMessageCaption',
]);

/** How every text message goes out: Telegram's HTML, without link previews (a push of ten links stays short). */
export const HTML_MESSAGE = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

export class Sender {
  private readonly lanes = new Map<string, ChatLane>();
  private nextGlobalSlot = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private inFlight = 0;
  private bulkInFlight = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** What became of each call, by method (for /metrics): `method` → outcome → count. */
  readonly statsByMethod = new Map<string, Record<Outcome, number>>();

  /** What became of the calls, all methods together. */
  get stats(): Record<Outcome, number> {
    const total = noOutcomes();
    for (const byOutcome of this.statsByMethod.values())
      for (const outcome of Object.keys(total) as Outcome[]) total[outcome] += byOutcome[outcome];
    return total;
  }

  constructor(
    private readonly api: ApiCaller,
    private readonly limits: SenderLimits,
    private readonly log: Logger,
    private readonly hooks: SenderHooks = {},
    private readonly callTimeoutMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The spacing of sends, 3% under the global limit: requests reach Telegram with a few milliseconds of
   * jitter, and a window that counts strictly would see 31 in a second now and then (measured: 2.6% of
   * sends drew a 429 without the margin, 0.4% with it).
   */
  private get slotMs(): number {
    return (1000 / this.limits.globalPerSecond) * 1.03;
  }

  /** Sends a Bot API call that produces or changes a message, within the limits. Resolves with Telegram's result. */
  call<T = unknown>(method: string, payload: Record<string, unknown>, options: SendOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('sender is closed'));
    if (!MESSAGE_METHODS.has(method)) return this.direct<T>(method, payload);
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        method,
        payload,
        priority: options.priority ?? 'interactive',
        attempts: 0,
        maxRetries: options.maxRetries ?? 5,
        onDispatch: options.onDispatch,
        fold: options.fold,
        deadline: options.staleAfterMs === undefined ? Infinity : this.now() + options.staleAfterMs,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      this.enqueue(job);
    });
  }

  sendMessage<T = { message_id: number }>(
    chatId: number,
    text: string,
    extra: Record<string, unknown> = {},
    options?: SendOptions,
  ): Promise<T> {
    return this.call<T>('sendMessage', { chat_id: chatId, text, ...HTML_MESSAGE, ...extra }, options);
  }

  /**
   * Calls that do not post to a chat (answerCallbackQuery, setMessageReaction, getChatAdministrators…):
   * not paced, but still timed out and retried once on a transient failure.
   */
  async direct<T = unknown>(method: string, payload: Record<string, unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = (await this.api.callApi(method, payload, { timeoutMs: this.callTimeoutMs })) as T;
        this.count('sent', method);
        return result;
      } catch (err) {
        const failure = classify(err);
        if (failure.kind === 'transient' && attempt < 1) {
          this.count('retried', method);
          continue;
        }
        this.count(failure.kind === 'rate_limited' ? 'rateLimited' : 'failed', method);
        throw new SendError(method, failure, payload.chat_id as number | undefined, err);
      }
    }
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  pending(): number {
    let n = this.inFlight;
    for (const lane of this.lanes.values()) n += lane.queue.length;
    return n;
  }

  /** Stops taking new work; what is queued is still sent (call idle() to wait for it). */
  close(): void {
    this.closed = true;
  }

  private enqueue(job: Job): void {
    const chatId = job.payload.chat_id as number | string;
    const key = String(chatId);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = {
        key,
        isGroup: isGroupId(chatId),
        queue: [],
        busy: false,
        notBefore: 0,
        recent: [],
        folds: new Map(),
      };
      this.lanes.set(key, lane);
    }
    if (job.fold !== undefined && lane.isGroup && this.alreadyAnswered(lane, job.fold)) {
      this.count('folded', job.method);
      this.log.info({ chatId, folded: this.stats.folded }, 'same answer asked for again in a group; not sent twice');
      job.resolve(null);
      return;
    }
    lane.queue.push(job);
    this.pump();
  }

  private alreadyAnswered(lane: ChatLane, fold: { key: string; at: number }): boolean {
    if (lane.queue.some((queued) => queued.fold?.key === fold.key)) return true;
    const askedAt = lane.folds.get(fold.key);
    return askedAt !== undefined && fold.at - askedAt < FOLD_WINDOW_MS;
  }

  /**
   * About how long a message to this chat would wait for its turn now (its own queue, a group's minute, a 429):
   * 0 for an idle chat. An estimate, for deciding whether to show the asker a sign first.
   */
  expectedWaitMs(chatId: number): number {
    const lane = this.lanes.get(String(chatId));
    if (!lane) return 0;
    const now = this.now();
    const ahead = lane.queue.length + (lane.busy ? 1 : 0);
    let at = Math.max(now, this.laneReadyAt(lane, now));
    if (lane.isGroup) {
      // The (ahead+1)-th send from now needs a free place in the group's sliding minute.
      const limit = this.limits.groupPerMinute;
      const index = lane.recent.length + ahead - limit;
      if (index >= 0)
        at = Math.max(
          at,
          index < lane.recent.length
            ? lane.recent[index]! + 60_000
            : now + (Math.floor((index - lane.recent.length) / limit) + 1) * 60_000,
        );
    } else at += ahead * (1000 / this.limits.privatePerSecond);
    return Math.max(0, at - now);
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
    }
    const gap = this.slotMs;
    let wakeAt = Infinity;
    // Interactive work first, then bulk; within each, chats in turn (a lane moves to the back after a send).
    for (const wanted of ['interactive', 'bulk'] as const) {
      for (const lane of [...this.lanes.values()]) {
        const head = lane.queue[0];
        if (!head && !lane.busy) {
          this.forgetIfStale(lane);
          continue;
        }
        if (lane.busy || !head) continue;
        if (wanted === 'interactive' && head.priority !== 'interactive') continue;
        // Few bulk sends in hand at once: each holds a claim (the push's), and a crash loses at most those.
        if (head.priority === 'bulk' && this.bulkInFlight >= MAX_BULK_IN_FLIGHT) break;
        const now = this.now();
        if (head.deadline < now) {
          // Asked for minutes ago and still waiting (a group over its budget): no longer useful, so not sent.
          lane.queue.shift();
          this.count('dropped', head.method);
          this.log.info({ chatId: lane.key, dropped: this.stats.dropped }, 'reply dropped: too late to be useful');
          head.resolve(null);
          wakeAt = Math.min(wakeAt, now); // the next in this chat's queue, on the next turn
          continue;
        }
        const laneReady = this.laneReadyAt(lane, now);
        if (laneReady > now) {
          wakeAt = Math.min(wakeAt, laneReady);
          continue;
        }
        if (this.nextGlobalSlot > now) {
          wakeAt = Math.min(wakeAt, this.nextGlobalSlot);
          break;
        }
        this.nextGlobalSlot = Math.max(this.nextGlobalSlot, now) + gap;
        lane.queue.shift();
        lane.busy = true;
        // From its turn on, it stands for the same answer asked again (forgotten if Telegram refuses it).
        if (head.fold !== undefined && lane.isGroup) lane.folds.set(head.fold.key, head.fold.at);
        if (!lane.isGroup) lane.notBefore = Math.max(lane.notBefore, now + 1000 / this.limits.privatePerSecond);
        // Round robin: this chat goes to the back of the line.
        this.lanes.delete(lane.key);
        this.lanes.set(lane.key, lane);
        void this.run(lane, head);
      }
    }
    if (wakeAt !== Infinity) this.wakeAt(wakeAt);
    this.checkIdle();
  }

  private laneReadyAt(lane: ChatLane, now: number): number {
    let at = lane.notBefore;
    if (lane.isGroup) {
      const windowStart = now - 60_000;
      while (lane.recent.length > 0 && lane.recent[0]! <= windowStart) lane.recent.shift();
      if (lane.recent.length >= this.limits.groupPerMinute) at = Math.max(at, lane.recent[0]! + 60_000 + 250);
    }
    return at;
  }

  /** An idle chat whose limits no longer matter is dropped, so lanes do not pile up. */
  private forgetIfStale(lane: ChatLane): void {
    const now = this.now();
    if (lane.notBefore > now) return;
    if (lane.recent.length > 0 && lane.recent[lane.recent.length - 1]! > now - 60_000) return;
    this.lanes.delete(lane.key);
  }

  private wakeAt(at: number): void {
    if (at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.now()),
    );
  }

  private async run(lane: ChatLane, job: Job): Promise<void> {
    this.inFlight += 1;
    if (job.priority === 'bulk') this.bulkInFlight += 1;
    job.attempts += 1;
    try {
      // The shared slot first, then the claim: a claim is taken only when the message is about to go.
      if (this.hooks.reserve && !(await this.sharedSlot(lane, job))) {
        // Not this chat's turn yet: back to the head of its queue, the lane free, the pump told when.
        job.attempts -= 1;
        lane.queue.unshift(job);
        return;
      }
      if (job.attempts === 1 && job.onDispatch) {
        let go: boolean;
        try {
          go = await job.onDispatch();
        } catch (err) {
          job.reject(err);
          return;
        }
        if (!go) {
          // Cancelled before it went out: its place in the global pace is given back (it sent nothing).
          this.nextGlobalSlot = Math.max(this.now(), this.nextGlobalSlot - this.slotMs);
          job.resolve(null);
          return;
        }
      }
      const sentAt = this.now();
      const result = await this.api.callApi(job.method, job.payload, { timeoutMs: this.callTimeoutMs });
      this.count('sent', job.method);
      // Only what Telegram accepted counts toward the group's minute (a 429 did not).
      if (lane.isGroup) lane.recent.push(sentAt);
      job.resolve(result);
    } catch (err) {
      await this.handleFailure(lane, job, classify(err), err);
    } finally {
      this.inFlight -= 1;
      if (job.priority === 'bulk') this.bulkInFlight -= 1;
      lane.busy = false;
      this.pump();
    }
  }

  private budgetWarnedAt = -Infinity;

  /**
   * Waits for this send's slot in the budget shared with other processes; false when the chat's own pace holds
   * it (a busy group's minute): nothing is reserved, and the chat's next send is due at `lane.notBefore`.
   */
  private async sharedSlot(lane: ChatLane, job: Job): Promise<boolean> {
    let turn: { waitMs: number; reserved: boolean };
    try {
      turn = await this.hooks.reserve!(job.payload.chat_id as number | string, lane.isGroup);
    } catch (err) {
      // The database is the problem; Telegram's 429s still hold the line. Say so, not on every send.
      if (this.now() - this.budgetWarnedAt > 60_000) {
        this.budgetWarnedAt = this.now();
        this.log.warn({ err: (err as Error).message }, 'shared send budget unavailable; pacing this process alone');
      }
      return true;
    }
    // The chat's next message is not due before this (expectedWaitMs then tells the truth about it).
    lane.notBefore = Math.max(lane.notBefore, this.now() + turn.waitMs);
    if (!turn.reserved) return false;
    if (turn.waitMs <= 0) return true;
    // Other processes are sending too: this one's own pace steps back, so it does not run up reservations.
    this.nextGlobalSlot = Math.max(this.nextGlobalSlot, this.now() + turn.waitMs);
    await new Promise((r) => setTimeout(r, turn.waitMs));
    return true;
  }

  private async handleFailure(lane: ChatLane, job: Job, failure: Failure, err: unknown): Promise<void> {
    const chatId = job.payload.chat_id as number;
    switch (failure.kind) {
      case 'rate_limited': {
        this.count('rateLimited', job.method);
        lane.notBefore = Math.max(lane.notBefore, this.now() + failure.retryAfterSeconds * 1000);
        this.log.warn(
          { chatId, method: job.method, retryAfter: failure.retryAfterSeconds },
          'telegram asked us to slow down (429); waiting',
        );
        if (job.attempts <= job.maxRetries + 10) {
          lane.queue.unshift(job);
          return;
        }
        break;
      }
      case 'transient': {
        if (job.attempts <= job.maxRetries) {
          this.count('retried', job.method);
          const backoff = Math.min(30_000, 500 * 2 ** (job.attempts - 1)) * (0.75 + Math.random() * 0.5);
          lane.notBefore = Math.max(lane.notBefore, this.now() + backoff);
          this.log.warn(
            {
              chatId,
              method: job.method,
              attempt: job.attempts,
              backoffMs: Math.round(backoff),
              err: String((err as Error)?.message ?? err),
            },
            'telegram call failed; retrying',
          );
          lane.queue.unshift(job);
          return;
        }
        break;
      }
      case 'migrated': {
        this.log.info({ chatId, newChatId: failure.newChatId }, 'group became a supergroup; following it');
        try {
          await this.hooks.onChatMigrated?.(chatId, failure.newChatId);
        } catch (hookErr) {
          this.log.error({ err: hookErr, chatId }, 'could not move the group to its new id');
        }
        if (job.attempts <= job.maxRetries) {
          this.enqueue({ ...job, payload: { ...job.payload, chat_id: failure.newChatId } });
          return;
        }
        break;
      }
      case 'chat_gone': {
        this.log.info({ chatId, method: job.method }, 'chat no longer reachable (403); marking it inactive');
        // Drop everything else queued for a chat we cannot reach.
        for (const other of lane.queue.splice(0)) other.reject(new SendError(other.method, failure, chatId, err));
        // Not awaited: the caller may be an update whose transaction holds the very row this changes.
        void Promise.resolve()
          .then(() => this.hooks.onChatGone?.(chatId))
          .catch((hookErr: unknown) => this.log.error({ err: hookErr, chatId }, 'could not mark the chat inactive'));
        break;
      }
      default:
        break;
    }
    this.count('failed', job.method);
    if (job.fold !== undefined && lane.folds.get(job.fold.key) === job.fold.at) lane.folds.delete(job.fold.key);
    if (failure.kind !== 'chat_gone')
      this.log.error({ chatId, method: job.method, failure, attempts: job.attempts }, 'gave up on a telegram call');
    job.reject(new SendError(job.method, failure, chatId, err));
  }

  private count(outcome: Outcome, method: string): void {
    let byOutcome = this.statsByMethod.get(method);
    if (!byOutcome) this.statsByMethod.set(method, (byOutcome = noOutcomes()));
    byOutcome[outcome] += 1;
  }

  /** Messages queued (not yet in flight), by priority. */
  queued(): Record<Priority, number> {
    const n: Record<Priority, number> = { interactive: 0, bulk: 0 };
    for (const lane of this.lanes.values()) for (const job of lane.queue) n[job.priority] += 1;
    return n;
  }

  private checkIdle(): void {
    if (this.idleWaiters.length > 0 && this.pending() === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
