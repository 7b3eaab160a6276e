import type { Update } from 'telegraf/types';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { ChatLanes, type OwnRecordOf } from './lanes.ts';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { ALLOWED_UPDATES, BACKLOG_WAIT_MS, Poller, type PollerInbox } from './poller.ts';
import type { ApiCaller } from './sender.ts';
import type { HttpServer } from '../http/server.ts';
import { webhookHandler } from './webhook.ts';

/**
 * Updates taken and not yet handled, at most. Handlers are quick (a reply that must wait for a busy group's
 * budget does not hold its lane: see reply()), so this bounds memory under a flood, not the work in hand.
 */
export const MAX_IN_HAND = 1000;
/**
 * Updates in lanes that are moving, at most, before polling waits; also the most a poll asks for (see
 * ChatLanes.room). Half Telegram's batch of 100: in a flood an update then waits less in the process (p99 of a
 * press 48–57 ms against 99–113 ms with 100, at the same rate: docs/benchmarks.md), and the rest wait at Telegram.
 */
export const MAX_MOVING = 50;

/** Where updates come from (long polling, or a webhook server) into the chat lanes (see ChatLanes). */
export class Intake {
  private readonly lanes: ChatLanes;
  private stopper: (() => Promise<void>) | undefined;
  /** When Telegram last answered a poll, or last delivered to the webhook (ms since the epoch); for /healthz. */
  lastContactAt: number | undefined;

  constructor(
    private readonly config: Config,
    private readonly api: ApiCaller,
    private readonly log: Logger,
    handle: (update: Update) => Promise<void>,
    /** Records handled updates (the webhook's: each before its 200). */
    private readonly markHandled: (updateIds: number[]) => Promise<void>,
    /** Where polled updates wait between Telegram and their handling. */
    private readonly inbox: PollerInbox,
    /** Updates that touch only their member's own record, which need not wait for other members' (see ChatLanes). */
    ownRecordOf?: OwnRecordOf,
  ) {
    this.lanes = new ChatLanes(handle, log, Date.now, ownRecordOf);
  }

  /** Updates taken and not yet handled. */
  get pending(): number {
    return this.lanes.pending;
  }

  /**
   * Starts taking updates. With polling, resolves once the backlog that waited while Loa was down is handled;
   * `onFatal` hears of an error that stops intake for good (another poller, a revoked token).
   */
  async start(onFatal: (err: Error) => void, server?: HttpServer): Promise<void> {
    const { config, api, log } = this;
    const contact = () => (this.lastContactAt = Date.now());
    if (config.webhook) {
      if (!server) throw new Error('a webhook needs the HTTP server');
      server.route(
        'POST',
        new URL(config.webhook.url).pathname,
        webhookHandler(
          { secret: config.webhook.secret, maxInHand: MAX_IN_HAND },
          this.lanes,
          log,
          this.markHandled,
          contact,
        ),
      );
      this.stopper = () => this.lanes.idle();
      // Updates a polling run took and left unfinished (Loa moved from polling to a webhook after a crash): handled
      // first, as polling would have at its start. On PostgreSQL, replicas starting together handle each once.
      const left = await this.inbox.unfinished();
      if (left.length > 0) {
        log.info({ updates: left.length }, 'handling updates a polling run left unfinished');
        // A failure was logged by the lanes and counts as handled, as when polling; one the inbox could not be
        // told of is handled again at the next start.
        const handled = Promise.all(
          left.map((u) =>
            this.lanes
              .run(u)
              .catch(() => undefined)
              .then(() => this.inbox.finish([u.update_id]))
              .catch((err: unknown) =>
                log.error({ err, updateId: u.update_id }, 'could not record a left-over update as handled'),
              ),
          ),
        );
        // A slow one holds the start up to BACKLOG_WAIT_MS, no longer (as polling's backlog).
        await Promise.race([handled, sleepFor(BACKLOG_WAIT_MS, undefined, { ref: false })]);
      }
      await api.callApi(
        'setWebhook',
        { url: config.webhook.url, secret_token: config.webhook.secret, allowed_updates: ALLOWED_UPDATES },
        { timeoutMs: config.apiTimeoutMs },
      );
      contact();
      log.info('webhook set; taking updates');
      return;
    }
    await api
      .callApi('deleteWebhook', { drop_pending_updates: false }, { timeoutMs: config.apiTimeoutMs })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'deleteWebhook failed; polling anyway'));
    const poller = new Poller(
      api,
      this.lanes,
      log,
      {
        pollTimeoutSeconds: config.pollTimeoutSeconds,
        callTimeoutMs: config.apiTimeoutMs,
        maxInHand: MAX_IN_HAND,
        maxMoving: MAX_MOVING,
      },
      this.inbox,
      contact,
    );
    this.stopper = () => poller.stop();
    log.info('polling for updates');
    await poller.start(onFatal);
  }

  /** Stops taking updates and waits for those in hand. */
  async stop(): Promise<void> {
    await this.stopper?.();
  }
}
