import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Update } from 'telegraf/types';
import type { Logger } from '../logger.ts';
import { classify } from './errors.ts';
import type { ChatLanes } from './lanes.ts';
import type { ApiCaller } from './sender.ts';

export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
  'chat_member',
] as const;

/** How long the start waits for the backlog to be handled before the jobs catch up anyway. */
const BACKLOG_WAIT_MS = 10_000;

export class FatalPollingError extends Error {
  override name = 'FatalPollingError';
}

export interface PollerOptions {
  pollTimeoutSeconds: number;
  callTimeoutMs: number;
  /** Updates taken and not yet handled, at most: past it, polling waits (memory stays flat under a flood). */
  maxInHand: number;
}

/**
 * Long polling that never waits for a busy chat: each batch is handed to the chat lanes and polling goes on at
 * once. Telegram is told an update is done (by a later `offset`) only once it is handled, so a crash means
 * redelivery of what was unfinished, never loss, and never a repeat of what was handled: the offset stays at the
 * oldest update still in hand, and what comes back again from there is recognised and skipped. Handled updates
 * are recorded (`markHandled`) before the offset moves past them.
 *
 * A 409 means another process polls with this token, and a 401 a revoked token: operators' mistakes to fix, not
 * fights to win, so polling ends with a FatalPollingError.
 */
export class Poller {
  /** Past every update taken so far. */
  private nextOffset = 0;
  /** Taken and not yet handled. */
  private readonly inHand = new Set<number>();
  /** Handled, not yet recorded as such. */
  private handled: number[] = [];
  private readonly abort = new AbortController();
  private loopDone: Promise<void> | undefined;

  constructor(
    private readonly api: ApiCaller,
    private readonly lanes: ChatLanes,
    private readonly log: Logger,
    private readonly options: PollerOptions,
    private readonly markHandled: (updateIds: number[]) => Promise<void>,
    /** Told each time Telegram answers a poll. */
    private readonly onContact: () => void = () => undefined,
  ) {}

  /**
   * Reads what waited while Loa was down and hands it to the lanes; resolves once that backlog is handled, so
   * the jobs that catch up next see the groups that joined meanwhile. Polling goes on after; `onFatal` hears
   * why it stopped, if it stops by itself.
   */
  async start(onFatal: (err: Error) => void): Promise<void> {
    let backlogRead!: () => void;
    const backlog = new Promise<void>((resolve) => (backlogRead = resolve));
    this.loopDone = this.loop(backlogRead).catch((err: Error) => {
      backlogRead();
      onFatal(err);
    });
    await backlog;
    // A slow update in the backlog holds the start up to BACKLOG_WAIT_MS, no longer.
    await Promise.race([this.lanes.idle(), this.loopDone, delay(BACKLOG_WAIT_MS)]);
  }

  /** The offset that confirms exactly what is handled: the oldest update still in hand, else past the last taken. */
  private confirmable(): number {
    let oldest = this.nextOffset;
    for (const id of this.inHand) if (id < oldest) oldest = id;
    return oldest;
  }

  private async loop(backlogRead: () => void): Promise<void> {
    let failures = 0;
    let first = true;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      await abortable(this.lanes.below(this.options.maxInHand), signal);
      if (signal.aborted) break;
      await this.recordHandled();
      let updates: Update[];
      try {
        updates = (await this.api.callApi(
          'getUpdates',
          {
            offset: this.confirmable(),
            // The backlog is read without waiting; after it, a long poll.
            timeout: first ? 0 : this.options.pollTimeoutSeconds,
            allowed_updates: ALLOWED_UPDATES,
          },
          { signal, timeoutMs: this.options.pollTimeoutSeconds * 1000 + this.options.callTimeoutMs },
        )) as Update[];
        failures = 0;
        this.onContact();
      } catch (err) {
        if (signal.aborted) break;
        const failure = classify(err);
        if (failure.kind === 'conflict')
          throw new FatalPollingError(
            'another bot instance is polling with this token (409 Conflict); stop the other one, or use a webhook for several replicas',
          );
        if (failure.kind === 'unauthorized')
          throw new FatalPollingError('Telegram refused the bot token (401 Unauthorized); check BOT_TOKEN');
        failures += 1;
        const waitMs =
          failure.kind === 'rate_limited'
            ? failure.retryAfterSeconds * 1000
            : Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.log.warn({ failure: failure.kind, waitMs, err: (err as Error).message }, 'getUpdates failed; retrying');
        if (first) {
          // Telegram is not answering: the jobs catching up at start do not wait for the backlog.
          first = false;
          backlogRead();
        }
        await sleep(waitMs, signal);
        continue;
      }
      // Updates below nextOffset were taken before (still in hand, or handled and not yet confirmed).
      const fresh = updates.filter((u) => u.update_id >= this.nextOffset);
      for (const update of fresh) this.take(update);
      if (first) {
        first = false;
        backlogRead();
      }
      // Only updates already in hand came back (one is slow): wait for one to finish, or a moment, before asking
      // again, rather than spin.
      if (fresh.length === 0 && this.inHand.size > 0)
        await abortable(Promise.race([this.lanes.progress(), delay(250)]), signal);
    }
  }

  private take(update: Update): void {
    const id = update.update_id;
    this.inHand.add(id);
    this.nextOffset = Math.max(this.nextOffset, id + 1);
    // A failure was logged by the lanes; it counts as handled, as a failure inside the error boundary does.
    const finished = () => {
      this.inHand.delete(id);
      this.handled.push(id);
    };
    void this.lanes.run(update).then(finished, finished);
  }

  private async recordHandled(): Promise<void> {
    if (this.handled.length === 0) return;
    const ids = this.handled;
    this.handled = [];
    try {
      await this.markHandled(ids);
    } catch (err) {
      // Kept for the next try; meanwhile this process remembers them (see HandledUpdates).
      this.handled.push(...ids);
      this.log.error({ err }, 'could not record handled updates; trying again before the next poll');
    }
  }

  /** Stops polling, lets the updates in hand finish, records them, and tells Telegram they are done. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loopDone;
    await this.lanes.idle();
    await this.recordHandled();
    if (this.nextOffset > 0) {
      await this.api
        .callApi(
          'getUpdates',
          { offset: this.confirmable(), timeout: 0, limit: 1, allowed_updates: ALLOWED_UPDATES },
          { timeoutMs: this.options.callTimeoutMs },
        )
        .catch(() => undefined);
    }
  }
}

/** A wait that does not keep the process alive. */
const delay = (ms: number) => sleepFor(ms, undefined, { ref: false });

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return abortable(delay(ms), signal);
}

/** Resolves with `work`, or as soon as `signal` aborts. */
function abortable(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void work.then(done, done);
  });
}
