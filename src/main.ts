import 'dotenv/config';
import cron from 'node-cron';
import { createApp, StartupError, type App } from './app.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { DatabaseOpenError } from './db/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { FatalPollingError } from './telegram/poller.ts';

// The process only: the environment, exit codes, signals and the order of shutdown. Everything Loa is made of is
// built by createApp (src/app.ts).

const EXIT_CONFIG = 2;
const EXIT_STARTUP = 3;

/** Secrets that must never reach a log line or the terminal. */
const secrets: string[] = [];
const scrub = (text: string) => secrets.reduce((out, s) => out.split(s).join('[redacted]'), text);

function fail(code: number, line: string): never {
  process.stderr.write(`loa: ${scrub(line)}\n`);
  process.exit(code);
}

function readConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(EXIT_CONFIG, `configuration error: ${err.message}`);
    throw err;
  }
}

function routeCronLogs(log: Logger): void {
  cron.setLogger({
    info: (m) => log.debug({ source: 'node-cron' }, m),
    warn: (m) => log.warn({ source: 'node-cron' }, m),
    error: (m, e) => log.error({ source: 'node-cron', err: e }, String(m)),
    debug: (m) => log.trace({ source: 'node-cron' }, String(m)),
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  secrets.push(config.botToken, config.botToken.split(':')[1] ?? config.botToken);
  const log = createLogger(config.logLevel, secrets);
  routeCronLogs(log);

  let app: App;
  try {
    app = await createApp(config, log);
  } catch (err) {
    if (err instanceof DatabaseOpenError || err instanceof StartupError) fail(EXIT_STARTUP, err.message);
    throw err;
  }

  let stopping = false;
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'loa stopping');
    const force = setTimeout(() => fail(code || 1, 'shutdown took too long; exiting'), 20_000);
    force.unref();
    await app.stop();
    log.info('loa stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const onFatal = (err: Error) => {
    if (err instanceof FatalPollingError) {
      log.fatal(err.message);
      void shutdown('fatal polling error', EXIT_STARTUP);
    } else {
      log.fatal({ err }, 'polling stopped unexpectedly');
      void shutdown('polling crashed', 1);
    }
  };
  try {
    await app.start({ onFatal });
  } catch (err) {
    if (err instanceof StartupError) fail(EXIT_STARTUP, err.message);
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`loa: failed to start: ${scrub(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
});
