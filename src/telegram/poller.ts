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
export const BACKLOG_WAIT_MS = 10_000;

export class FatalPollingError extends Error {
  override name = 'FatalPollingError';
}

export interface PollerOptions {
  pollTimeoutSeconds: number;
  callTimeoutMs: number;
  /** Updates taken and not yet handled, at most: past it, polling waits (memory stays flat under a flood). */
  maxInHand: number;
  /**
   * Updates in moving lanes (see ChatLanes.moving), at most: past it, polling waits, so a flood waits at Telegram
   * rather than in the process, while a chat held up by a slow call does not stop the others being taken.
   */
  maxMoving: number;
}

/** Where polled updates wait durably between being taken from Telegram and being handled (see src/db/inbox.ts). */
export interface PollerInbox {
  /** Updates an earlier run took and did not finish, oldest first. */
  unfinished(): Promise<Update[]>;
  /** Stores updates just taken; only then is Telegram told they are received. */
  keep(updates: Update[]): Promise<void>;
  /** Handled updates: recorded as handled and out of the inbox. */
  finish(updateIds: number[]): Promise<void>;
  /**
   * How long handled updates may gather before `finish` (0: those of one turn of the event loop). Where an update's
   * own commit records it as handled (PostgreSQL), finishing later costs nothing after a crash and saves statements.
   */
  finishAfterMs?: number;
}

/**
 * Long polling that never waits for a busy chat: each batch is stored in the inbox, handed to the chat lanes, and
 * the next poll (whose offset tells Telegram the batch is received) goes out at once. Telegram hands out at most
 * 100 updates from the offset, so an offset held back at an unfinished update would let one slow chat hold every
 * other; the inbox is what makes moving it safe: a crash leaves the unfinished there, and the next start handles
 * them before it polls; the handled ones are recorded as such when they leave it, so none is handled twice.
 *
 * A 409 means another process polls with this token, and a 401 a revoked token: operators' mistakes to fix, not
 * fights to win, so polling ends with a FatalPollingError.
 */
export class Poller {
  /** Past every update taken so far: the next poll's offset. */
  private nextOffset = 0;
  /** Handled, not yet finished in the inbox. */
  private handled: number[] = [];
  /** The inbox being told of handled updates, while it is. */
  private finishing: Promise<void> | undefined;
  /** Taken and not yet counted as handled (their lanes' work, and the bookkeeping after it). */
  private readonly taking = new Set<Promise<void>>();
  /** Ids handed to the lanes from the inbox at start: Telegram may hand them out again, and they are in hand. */
  private readonly fromInbox = new Set<number>();
  private readonly abort = new AbortController();
  private loopDone: Promise<void> | undefined;

  constructor(
    private readonly api: ApiCaller,
    private readonly lanes: ChatLanes,
    private readonly log: Logger,
    private readonly options: PollerOptions,
    private readonly inbox: PollerInbox,
    /** Told each time Telegram answers a poll. */
    private readonly onContact: () => void = () => undefined,
  ) {}

  /**
   * Hands the lanes what an earlier run left unfinished in the inbox, then what waited at Telegram while Loa was
   * down; resolves once that backlog is handled, so the jobs that catch up next see the groups that joined
   * meanwhile. Polling goes on after; `onFatal` hears why it stopped, if it stops by itself.
   */
  async start(onFatal: (err: Error) => void): Promise<void> {
    // Their ids do not move the offset: a row left long ago (Telegram restarts its ids after a week without
    // updates) must not make the first poll confirm, and lose, updates Telegram still holds.
    for (const update of await this.inbox.unfinished()) {
      this.fromInbox.add(update.update_id);
      this.take(update, false);
    }
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

  private async loop(backlogRead: () => void): Promise<void> {
    let failures = 0;
    let first = true;
    const signal = this.abort.signal;
    const failed = async (err: unknown, what: string): Promise<void> => {
      const failure = classify(err);
      failures += 1;
      const waitMs =
        failure.kind === 'rate_limited'
          ? failure.retryAfterSeconds * 1000
          : Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      this.log.warn({ failure: failure.kind, waitMs, err: (err as Error).message }, `${what}; retrying`);
      if (first) {
        // Telegram (or the database) is not answering: the jobs catching up at start do not wait for the backlog.
        first = false;
        backlogRead();
      }
      await sleep(waitMs, signal);
    };
    while (!signal.aborted) {
      await abortable(this.lanes.room(this.options.maxMoving, this.options.maxInHand), signal);
      if (signal.aborted) break;
      await this.finishHandled();
      let updates: Update[];
      try {
        updates = (await this.api.callApi(
          'getUpdates',
          {
            offset: this.nextOffset,
            // The backlog is read without waiting; after it, a long poll.
            timeout: first ? 0 : this.options.pollTimeoutSeconds,
            // No more than the lanes take at once: a flood's rest waits at Telegram, not in the process.
            limit: this.options.maxMoving,
            allowed_updates: ALLOWED_UPDATES,
          },
          { signal, timeoutMs: this.options.pollTimeoutSeconds * 1000 + this.options.callTimeoutMs },
        )) as Update[];
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
        await failed(err, 'getUpdates failed');
        continue;
      }
      // Updates below nextOffset were taken already (Telegram sends a batch again until a poll confirms it).
      const fresh = updates.filter((u) => u.update_id >= this.nextOffset && !this.fromInbox.has(u.update_id));
      try {
        await this.inbox.keep(fresh);
      } catch (err) {
        // Not taken: the offset stays, and Telegram hands them out again at the next poll.
        await failed(err, 'could not store polled updates');
        continue;
      }
      failures = 0;
      // Those handed out again that the inbox gave the lanes at start are in hand: the offset moves past them too
      // (now that Telegram shows them to be current), or Telegram would hand them out again and again.
      for (const u of updates)
        if (this.fromInbox.has(u.update_id)) this.nextOffset = Math.max(this.nextOffset, u.update_id + 1);
      for (const update of fresh) this.take(update);
      if (first) {
        first = false;
        backlogRead();
      }
    }
  }

  private take(update: Update, movesOffset = true): void {
    const id = update.update_id;
    if (movesOffset) this.nextOffset = Math.max(this.nextOffset, id + 1);
    // A failure was logged by the lanes; it counts as handled, as a failure inside the error boundary does.
    const finished = () => {
      this.handled.push(id);
      this.taking.delete(work);
      this.finishSoon();
    };
    const work: Promise<void> = this.lanes.run(update).then(finished, finished);
    this.taking.add(work);
  }

  /**
   * Tells the inbox of handled updates without waiting for the next poll (a long poll may take its whole
   * timeout): those that finish in one turn of the event loop (or within `finishAfterMs`) together, in one commit.
   */
  private finishSoon(): void {
    if (this.finishing) return;
    this.finishing = (async () => {
      const after = this.inbox.finishAfterMs ?? 0;
      await new Promise((resolve) => (after > 0 ? setTimeout(resolve, after) : setImmediate(resolve)));
      while (this.handled.length > 0 && (await this.finishHandled()));
    })().finally(() => (this.finishing = undefined));
  }

  /** Finishes the handled updates in the inbox; false if that failed (they are kept for the next try). */
  private async finishHandled(): Promise<boolean> {
    if (this.handled.length === 0) return true;
    const ids = this.handled;
    this.handled = [];
    try {
      await this.inbox.finish(ids);
      return true;
    } catch (err) {
      // Kept for the next try (before the next poll); meanwhile this process remembers them (see HandledUpdates).
      this.handled.push(...ids);
      this.log.error({ err }, 'could not record handled updates; trying again before the next poll');
      return false;
    }
  }

  /** Stops polling, lets the updates in hand finish, records them, and tells Telegram what was taken. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loopDone;
    // Every update taken handled, counted as such, and the inbox told so before the database may close (the lanes
    // hold nothing else: waiting for them too would wait for the same work twice).
    await Promise.all(this.taking);
    while (this.finishing) await this.finishing;
    await this.finishHandled();
    if (this.nextOffset > 0) {
      await this.api
        .callApi(
          'getUpdates',
          { offset: this.nextOffset, timeout: 0, limit: 1, allowed_updates: ALLOWED_UPDATES },
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
