import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { commandMenus, commands } from '../commands/index.ts';
import { claimsItself, ownRecordOf } from '../commands/record.ts';
import type { Config } from './config.ts';
import type { Backend } from './db/backend.ts';
import { DEFAULT_CHECKPOINTS } from './db/checkpointer.ts';
import { pruneHandled } from './db/handled-updates.ts';
import { keepInInbox, unfinishedInInbox } from './db/inbox.ts';
import { migrate, type Db } from './db/index.ts';
import { createPostgresDb, isPostgresUrl, postgresBackend, schemaOf } from './db/postgres.ts';
import { pacesFor } from './db/send-budget.ts';
import { createSqliteDb, sqliteBackend } from './db/sqlite.ts';
import { admitBySettings } from './domain/admission.ts';
import { deactivateChat, isGroupId, markUnreachable, migrateChat } from './domain/chats.ts';
import { localDay } from './domain/periods.ts';
import { interruptedClaims } from './domain/pushes.ts';
import { LeaseCoordinator } from './jobs/coordinator.ts';
import { catchUp, scheduledJobs } from './jobs/schedule.ts';
import { Scheduler } from './jobs/scheduler.ts';
import type { Logger } from './logger.ts';
import { createApi } from './telegram/api.ts';
import { createBot, type BotInfo } from './telegram/bot.ts';
import type { BotDeps, LoaContext } from './telegram/context.ts';
import { classify } from './telegram/errors.ts';
import { Intake } from './telegram/intake.ts';
import { HttpServer } from './http/server.ts';
import {
  createMetrics,
  healthHandler,
  metricsHandler,
  type OperationsView,
  type UpdateOutcome,
} from './http/operations.ts';
import { CommandMenus } from './telegram/menus.ts';
import { Roles } from './telegram/roles.ts';
import { Sender, type ApiCaller } from './telegram/sender.ts';
import { dashboardRoutes } from './web/dashboard.ts';

// The composition root: everything Loa is made of is built here, once, from the configuration: database and
// backend, sender, roles, bot (handed its commands), scheduler and jobs, intake. src/main.ts, the tests and the
// benchmarks all build Loa through createApp, so the wiring cannot drift between them.

export interface AppOverrides {
  /** An open, migrated database (tests: a fresh one); otherwise DATABASE_URL is opened and migrated. */
  db?: Db;
  clock?: () => Date;
  /** The bot's own account, when known (tests); otherwise asked of Telegram (getMe) at start. */
  botInfo?: BotInfo;
  /** The Bot API client; otherwise one for TELEGRAM_API_ROOT. */
  api?: ApiCaller;
  /** Timeout of one sent message's call (tests shorten it). */
  sendTimeoutMs?: number;
}

/** A start-up failure the process reports with one line and exit code 3 (src/main.ts). */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly backend: Backend;
  readonly deps: BotDeps;
  readonly bot: Telegraf<LoaContext>;
  readonly scheduler: Scheduler;
  /** Hands one update to the bot: once (the backend's de-duplication), in its unit of work. */
  handleUpdate(update: Update): Promise<void>;
  /** Asks Telegram who the bot is (unless known), publishes the menus, starts the jobs, then takes updates. */
  start(options?: { onFatal?: (err: Error) => void }): Promise<void>;
  /** Stops taking updates, lets those in hand finish, stops the jobs, sends what is queued, closes the database. */
  stop(): Promise<void>;
}

export async function createApp(config: Config, log: Logger, overrides: AppOverrides = {}): Promise<App> {
  const clock = overrides.clock ?? (() => new Date());
  const backend = await openBackend(config, log, overrides.db);
  const { db } = backend;
  if (config.groupAdmission === 'owner' && config.adminIds.size === 0)
    log.warn(
      'GROUP_ADMISSION=owner and ADMIN_IDS is empty: no owner can allow a group, so every group Loa is added to ' +
        'waits; set ADMIN_IDS, list the groups in ALLOWED_GROUP_IDS, or set GROUP_ADMISSION=open',
    );
  // Groups the settings now admit (open, or listed) are allowed in the database too, where the jobs read it.
  const admitted = await admitBySettings(db, config);
  if (admitted.length > 0) log.info({ groups: admitted }, 'groups allowed by GROUP_ADMISSION or ALLOWED_GROUP_IDS');
  const api = overrides.api ?? createApi(config.botToken, config.apiRoot);

  const sender = new Sender(
    api,
    config.limits,
    log,
    {
      // A group that removed the bot is inactive; a person who blocked it is no longer written to privately.
      onChatGone: async (chatId) => {
        if (isGroupId(chatId)) await deactivateChat(db, chatId, clock());
        else await markUnreachable(db, chatId);
      },
      onChatMigrated: (oldId, newId) =>
        db.transaction().execute(async (tx) => {
          // The message still goes to the new id, and the group's own migration message moves the data too.
          await backend.boundLockWait(tx);
          await migrateChat(tx, oldId, newId, clock());
        }),
      ...(backend.reserveSend ? { reserve: backend.reserveSend } : {}),
    },
    overrides.sendTimeoutMs ?? config.apiTimeoutMs,
  );
  const roles = new Roles(config.adminIds, sender, config.adminCacheSeconds * 1000, () => clock().getTime());
  const menus = new CommandMenus(api, commandMenus, log, config.apiTimeoutMs, config, config.webApp?.url);
  const deps: BotDeps = { config, db, log, sender, roles, clock, menus, unitOfWork: backend.unitOf };
  let botInfo = overrides.botInfo;
  const bot = createBot(deps, commands, botInfo);

  // One lease per job in the database: of the processes sharing it, one runs each job at a time.
  const holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = config.jobLeaseSeconds * 1000;
  const coordinator = new LeaseCoordinator(db, holder, leaseMs, clock, log);
  const scheduler = new Scheduler(config.timezone, log, clock, coordinator, leaseMs);
  const jobs = scheduledJobs(deps);

  let updateHandled: (outcome: UpdateOutcome) => void = () => undefined;
  const handleUpdate = async (update: Update): Promise<void> => {
    let fresh: boolean;
    try {
      fresh = await backend.handleOnce(update, clock(), (u) => bot.handleUpdate(u));
    } catch (err) {
      updateHandled('failed');
      throw err;
    }
    updateHandled(fresh ? 'handled' : 'repeated');
    if (!fresh) log.info({ updateId: update.update_id }, 'update delivered again; already handled');
  };
  const intake = new Intake(
    config,
    api,
    log,
    handleUpdate,
    (ids) => backend.markHandled(ids, clock()),
    {
      unfinished: () => unfinishedInInbox(db),
      keep: (updates) => keepInInbox(db, updates, clock()),
      finish: (ids) => backend.finishPolled(ids, clock()),
      finishAfterMs: backend.finishPolledAfterMs,
    },
    ownRecordOf,
  );

  // Loa's HTTP server, when it has one: the webhook (added by the intake), /healthz, /metrics and the dashboard.
  const operations: OperationsView = {
    db,
    sender,
    timezone: config.timezone,
    clock,
    intake: {
      mode: config.webhook ? 'webhook' : 'polling',
      get pending() {
        return intake.pending;
      },
      get lastContactAt() {
        return intake.lastContactAt;
      },
    },
    silenceLimitMs: 2 * (config.pollTimeoutSeconds * 1000 + config.apiTimeoutMs),
  };
  const { http } = config;
  let server: HttpServer | undefined;
  if (http) {
    const metrics = createMetrics(operations);
    updateHandled = metrics.updateHandled;
    server = new HttpServer(log);
    server.route('GET', '/healthz', healthHandler(operations));
    server.route('GET', '/metrics', metricsHandler(metrics.registry));
    const { webApp } = config;
    if (webApp) dashboardRoutes(server, { db, config: { ...config, webApp }, roles, clock, log });
  }
  let watchdog: NodeJS.Timeout | undefined;

  return {
    config,
    log,
    backend,
    deps,
    bot,
    scheduler,
    handleUpdate,
    async start(options = {}) {
      if (!botInfo) {
        botInfo = await whoAmI(api, log, config.apiTimeoutMs);
        bot.botInfo = botInfo as typeof bot.botInfo;
      }
      log.info(
        { bot: botInfo.username, mode: config.webhook ? 'webhook' : 'polling', timezone: config.timezone },
        'loa starting',
      );
      void menus.publishDefaults();
      scheduler.start(Object.values(jobs));
      const day = localDay(clock(), config.timezone);
      const interrupted = await interruptedClaims(db, day);
      if (interrupted.length > 0)
        log.warn(
          { day, interrupted },
          'push messages cut short by a crash: not resent, as Telegram may have delivered them',
        );
      await pruneHandled(db, clock());
      // The backlog first (polling): a group that added Loa while it was down is then known to the catch-up push.
      if (server && http) {
        const port = await server.listen(http.port, http.host).catch((err: Error) => {
          throw new StartupError(`cannot listen on ${http.host}:${http.port}: ${err.message}`);
        });
        log.info({ port, webhook: config.webhook !== undefined }, 'http server listening');
      }
      await intake.start(options.onFatal ?? (() => undefined), server);
      await catchUp(deps, scheduler, jobs);
      // A machine that slept through the hour, or a clock that jumped, must not skip a day.
      watchdog = setInterval(() => {
        void catchUp(deps, scheduler, jobs).catch((err: unknown) => log.error({ err }, 'catch-up check failed'));
        void pruneHandled(db, clock()).catch((err: unknown) => log.error({ err }, 'pruning handled updates failed'));
      }, config.catchUpSeconds * 1000);
      watchdog.unref();
    },
    async stop() {
      clearInterval(watchdog);
      if (server) await server.stop(() => intake.stop());
      else await intake.stop();
      await scheduler.stop();
      sender.close();
      await Promise.race([sender.idle(), new Promise((r) => setTimeout(r, 10_000))]);
      await backend.close();
    },
  };
}

/** The database named by DATABASE_URL (or the one given), migrated, as the backend it is. */
async function openBackend(config: Config, log: Logger, given: Db | undefined): Promise<Backend> {
  const postgres = given ? schemaOf(given) !== undefined : isPostgresUrl(config.databaseUrl);
  const db =
    given ??
    (postgres
      ? createPostgresDb(config.databaseUrl, config.pgPoolSize)
      : createSqliteDb(config.databaseUrl, {
          synchronous: config.sqliteSynchronous,
          backgroundCheckpoints: {
            ...DEFAULT_CHECKPOINTS,
            onError: (message) =>
              log.error({ message }, 'WAL checkpoint on the worker thread failed; the bot checkpoints by itself again'),
          },
        }));
  if (!given) {
    try {
      const result = await migrate(db);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      if (applied.length > 0) log.info({ applied }, 'database migrated');
    } catch (err) {
      await db.destroy().catch(() => undefined);
      throw new StartupError(`database migration failed: ${(err as Error).message}`);
    }
  }
  const backend = postgres
    ? postgresBackend(db, { poolSize: config.pgPoolSize, paces: pacesFor(config.limits), claimsItself })
    : sqliteBackend(db);
  await backend.open();
  return backend;
}

/** getMe, retried while Telegram is unreachable; a refused token ends the start with one clear line. */
async function whoAmI(api: ApiCaller, log: Logger, timeoutMs: number): Promise<BotInfo> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await api.callApi('getMe', {}, { timeoutMs })) as BotInfo;
    } catch (err) {
      if (classify(err).kind === 'unauthorized')
        throw new StartupError('Telegram refused the bot token (401 Unauthorized); check BOT_TOKEN');
      const waitMs = Math.min(30_000, 1000 * attempt);
      log.warn({ attempt, waitMs, err: (err as Error).message }, 'cannot reach Telegram yet; retrying');
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
