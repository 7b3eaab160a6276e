import 'dotenv/config';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { sql } from 'kysely';
import { leaderCommandNames, memberCommandNames } from '../commands/index.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { createDb, DatabaseOpenError, isPostgresUrl, migrate, type Db } from './db/index.ts';
import { DEFAULT_CHECKPOINTS } from './db/checkpointer.ts';
import { deactivateChat, markUnreachable, migrateChat } from './domain/chats.ts';
import { latestFiringSince, localDay, weekPeriod } from './domain/periods.ts';
import { interruptedClaims } from './domain/pushes.ts';
import { pacesFor, SharedSendBudget } from './domain/send-budget.ts';
import { HandledUpdates, pruneHandled } from './domain/updates.ts';
import { LeaseCoordinator } from './jobs/coordinator.ts';
import { messages } from './i18n/index.ts';
import { pushIsOverdue, runDailyPush } from './jobs/push.ts';
import { runDailyLeaderboard, runWeeklySummary } from './jobs/reports.ts';
import { Scheduler, type ScheduledJob } from './jobs/scheduler.ts';
import { createLogger, type Logger } from './logger.ts';
import { createApi } from './telegram/api.ts';
import { createBot, type BotInfo } from './telegram/bot.ts';
import { classify } from './telegram/errors.ts';
import { Roles } from './telegram/roles.ts';
import { Sender, type ApiCaller } from './telegram/sender.ts';
import { UpdateTransactions } from './telegram/unit-of-work.ts';
import { FatalPollingError, Poller, WebhookServer, ALLOWED_UPDATES, type UpdateHandler } from './telegram/updates.ts';

// The composition root: config → logger → db → sender → bot → scheduler → updates.
// Signal handling and the shutdown order live here and only here.

const EXIT_CONFIG = 2;
const EXIT_STARTUP = 3;

/** Secrets that must never reach a log line or the terminal. */
const secrets: string[] = [];
const scrub = (text: string) => secrets.reduce((out, s) => out.split(s).join('[redacted]'), text);

function fail(code: number, line: string): never {
  process.stderr.write(`loa: ${scrub(line)}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(EXIT_CONFIG, `configuration error: ${err.message}`);
    throw err;
  }
  const token = config.botToken;
  secrets.push(token, token.split(':')[1] ?? token);
  const log = createLogger(config.logLevel, secrets);
  cron.setLogger({
    info: (m) => log.debug({ source: 'node-cron' }, m),
    warn: (m) => log.warn({ source: 'node-cron' }, m),
    error: (m, e) => log.error({ source: 'node-cron', err: e }, String(m)),
    debug: (m) => log.trace({ source: 'node-cron' }, String(m)),
  });

  let db: Db;
  try {
    db = createDb(config.databaseUrl, {
      synchronous: config.sqliteSynchronous,
      poolSize: config.pgPoolSize,
      backgroundCheckpoints: {
        ...DEFAULT_CHECKPOINTS,
        onError: (message) =>
          log.error({ message }, 'WAL checkpoint on the worker thread failed; the bot checkpoints by itself again'),
      },
    });
    const result = await migrate(db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    if (applied.length > 0) log.info({ applied }, 'database migrated');
  } catch (err) {
    fail(
      EXIT_STARTUP,
      err instanceof DatabaseOpenError ? err.message : `database migration failed: ${(err as Error).message}`,
    );
  }

  // On PostgreSQL several processes may share the database (replicas behind one webhook URL): updates are
  // handled in transactions that hold their update_id, and sends are paced in a budget they share.
  const shared = isPostgresUrl(config.databaseUrl);
  const api = createApi(token, config.apiRoot);
  const clock = () => new Date();
  const budget = shared ? new SharedSendBudget(db, pacesFor(config.limits)) : undefined;
  const sender = new Sender(
    api,
    config.limits,
    log,
    {
      onChatGone: async (chatId) => {
        if (chatId < 0) await deactivateChat(db, chatId, clock());
        else await markUnreachable(db, chatId);
      },
      onChatMigrated: (oldId, newId) =>
        db.transaction().execute(async (tx) => {
          // The send that found the migration may come from an update whose transaction holds rows of the old
          // group (PostgreSQL): give up waiting on them after a while rather than wait for each other forever.
          // The message still goes to the new id, and the group's own migration message moves the data too.
          if (shared) await sql`set local lock_timeout = '5s'`.execute(tx);
          await migrateChat(tx, oldId, newId, clock());
        }),
      ...(budget ? { reserve: (chatId: number | string, isGroup: boolean) => budget.reserve(chatId, isGroup) } : {}),
    },
    config.apiTimeoutMs,
  );
  const roles = new Roles(config.adminIds, sender, config.adminCacheSeconds * 1000);

  const me = await whoAmI(api, log, config.apiTimeoutMs);
  const transactions = shared ? new UpdateTransactions(db, config.pgPoolSize - 2) : undefined;
  const deps = { config, db, log, sender, roles, clock, ...(transactions ? { unitOfWork: transactions.unitOf } : {}) };
  const bot = createBot(config, deps, me);
  log.info(
    { bot: me.username, mode: config.webhook ? 'webhook' : 'polling', timezone: config.timezone },
    'loa starting',
  );
  void publishCommands(api, log, config.apiTimeoutMs, config.defaultLocale);

  // One lease per job in the database: of the processes sharing it, one runs each job at a time.
  const holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const coordinator = new LeaseCoordinator(db, holder, config.jobLeaseSeconds * 1000, clock, log);
  const scheduler = new Scheduler(config.timezone, log, clock, coordinator, config.jobLeaseSeconds * 1000);
  const pushJob: ScheduledJob = {
    name: 'daily-push',
    cron: config.dailyPushCron,
    run: () => runDailyPush(deps, clock),
  };
  const leaderboardJob: ScheduledJob = {
    name: 'daily-leaderboard',
    cron: config.leaderboardCron,
    run: () => runDailyLeaderboard(deps, clock),
  };
  const weeklyJob: ScheduledJob = {
    name: 'weekly-summary',
    cron: config.weeklySummaryCron,
    run: () => runWeeklySummary(deps, clock),
  };
  scheduler.start([pushJob, leaderboardJob, weeklyJob]);
  const day = localDay(clock(), config.timezone);
  const interrupted = await interruptedClaims(db, day);
  if (interrupted.length > 0)
    log.warn(
      { day, interrupted },
      'push messages cut short by a crash: not resent, as Telegram may have delivered them',
    );
  // Catch up on what fell due while the bot was down, and keep checking once a minute: a machine that slept
  // through the hour, or a clock that jumped, must not skip a day. Each job only sends what was not sent.
  const catchUp = async () => {
    const now = clock();
    const today = localDay(now, config.timezone);
    if (await pushIsOverdue(deps, now)) void scheduler.runOnce(pushJob, `push:${today}`);
    if (latestFiringSince(config.leaderboardCron, now, config.timezone, 0))
      void scheduler.runOnce(leaderboardJob, `leaderboard:${today}`);
    // Like the push, a missed summary is sent when the bot is back the same day, not days later.
    if (latestFiringSince(config.weeklySummaryCron, now, config.timezone, 0))
      void scheduler.runOnce(weeklyJob, `weekly:${weekPeriod(now, config.timezone).firstDay}`);
  };
  await catchUp();
  await pruneHandled(db, clock());
  const watchdog = setInterval(
    () => void catchUp().catch((err: unknown) => log.error({ err }, 'catch-up check failed')),
    config.catchUpSeconds * 1000,
  );
  watchdog.unref();

  // Each update once. PostgreSQL: its update_id in the transaction of its effects (a failed commit throws,
  // so the webhook answers 500 and Telegram redelivers). SQLite, one process: the ids handled are kept in
  // memory and marked after each batch; the records' unique indexes cover a crash in between.
  const handled = transactions ? undefined : await HandledUpdates.load(db);
  const handleOnce: UpdateHandler = async (update) => {
    const fresh = transactions
      ? await transactions.handle(update, clock(), (u) => bot.handleUpdate(u))
      : !(await handled!.seen(update.update_id));
    if (!fresh) return log.info({ updateId: update.update_id }, 'update delivered again; already handled');
    if (!transactions) await bot.handleUpdate(update);
  };
  const handle: UpdateHandler = (update) =>
    handleOnce(update).catch((err: unknown) =>
      log.error({ err, updateId: update.update_id }, 'update failed outside the error boundary'),
    );
  const markHandled = (ids: number[]) => (handled ? handled.mark(ids, clock()) : Promise.resolve());

  let stopUpdates: () => Promise<void>;
  let stopping = false;
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'loa stopping');
    const force = setTimeout(() => fail(code || 1, 'shutdown took too long; exiting'), 20_000);
    force.unref();
    clearInterval(watchdog);
    await stopUpdates?.();
    await scheduler.stop();
    sender.close();
    await Promise.race([sender.idle(), new Promise((r) => setTimeout(r, 10_000))]);
    await db.destroy();
    log.info('loa stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.webhook) {
    const server = new WebhookServer(
      new URL(config.webhook.url).pathname,
      config.webhook.secret,
      transactions ? handleOnce : handle,
      log,
      (u) => markHandled([u.update_id]),
    );
    const port = await server.listen(config.webhook.port);
    stopUpdates = () => server.stop();
    await api.callApi(
      'setWebhook',
      { url: config.webhook.url, secret_token: config.webhook.secret, allowed_updates: ALLOWED_UPDATES },
      { timeoutMs: config.apiTimeoutMs },
    );
    log.info({ port }, 'webhook server listening');
  } else {
    await api
      .callApi('deleteWebhook', { drop_pending_updates: false }, { timeoutMs: config.apiTimeoutMs })
      .catch((err: unknown) => {
        log.warn({ err: (err as Error).message }, 'deleteWebhook failed; polling anyway');
      });
    const poller = new Poller(api, handle, log, config.pollTimeoutSeconds, config.apiTimeoutMs, (batch) =>
      markHandled(batch.map((u) => u.update_id)),
    );
    stopUpdates = () => poller.stop();
    log.info('polling for updates');
    poller.start().catch((err: unknown) => {
      if (err instanceof FatalPollingError) {
        log.fatal(err.message);
        void shutdown('fatal polling error', EXIT_STARTUP);
      } else {
        log.fatal({ err }, 'polling stopped unexpectedly');
        void shutdown('polling crashed', 1);
      }
    });
  }
}

/** getMe, retried while Telegram is unreachable; a refused token ends the start with one clear line. */
async function whoAmI(api: ApiCaller, log: Logger, timeoutMs: number): Promise<BotInfo> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await api.callApi('getMe', {}, { timeoutMs })) as BotInfo;
    } catch (err) {
      const failure = classify(err);
      if (failure.kind === 'unauthorized')
        fail(EXIT_STARTUP, 'Telegram refused the bot token (401 Unauthorized); check BOT_TOKEN');
      const waitMs = Math.min(30_000, 1000 * attempt);
      log.warn({ attempt, waitMs, err: (err as Error).message }, 'cannot reach Telegram yet; retrying');
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

/** Publishes the command menus in vi and en: members' by default, leaders' for group administrators. */
async function publishCommands(
  api: ApiCaller,
  log: Logger,
  timeoutMs: number,
  defaultLocale: 'vi' | 'en',
): Promise<void> {
  const menus = [
    { names: memberCommandNames, scope: { type: 'default' } },
    { names: leaderCommandNames, scope: { type: 'all_chat_administrators' } },
  ];
  for (const menu of menus) {
    // The menu without a language code is what users of any other language see.
    for (const [locale, language_code] of [
      [defaultLocale, undefined],
      ['vi', 'vi'],
      ['en', 'en'],
    ] as const) {
      const d = messages(locale).commandDescriptions;
      const commands = menu.names.map((command) => ({ command, description: d[command] }));
      const payload = language_code ? { commands, scope: menu.scope, language_code } : { commands, scope: menu.scope };
      try {
        await api.callApi('setMyCommands', payload, { timeoutMs });
      } catch (err) {
        log.warn({ err: (err as Error).message, scope: menu.scope.type, locale }, 'setMyCommands failed; carrying on');
      }
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`loa: failed to start: ${scrub(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
});
