import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FakeTelegram } from './fake-telegram.ts';

// The real bot process (npm start's entry point) run against the fake Bot API, for end-to-end tests.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDir(prefix = 'loa-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function startBot(env: Record<string, string>, opts: { cwd?: string; nodeArgs?: string[] } = {}): BotProcess {
  // The tests run the sources through tsx (loaded by absolute path, so the bot can run from any folder: a
  // temp cwd keeps a developer's .env out); the benchmarks run the build that `npm start` runs (LOA_BOT_ENTRY=dist).
  const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  const entry =
    process.env.LOA_BOT_ENTRY === 'dist'
      ? [path.join(root, 'dist/src/main.js')]
      : ['--import', tsx, path.join(root, 'src/main.ts')];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    cwd: opts.cwd ?? tempDir('loa-cwd-'),
    // Only what the test gives: no .env from the developer's checkout leaks in (cwd is a temp dir).
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async waitForLog(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null)
          throw new Error(`bot exited (${child.exitCode}) before ${pattern}:\n${out.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The database of a test bot that keeps its state in `dir`: a SQLite file there, or, when the suite runs on
 * PostgreSQL (LOA_TEST_BACKEND=postgres), a schema named after the folder and the run (the bot creates it;
 * scripts/test.mjs drops the run's schemas at the end).
 */
export function databaseUrlFor(dir: string): string {
  if (process.env.LOA_TEST_BACKEND !== 'postgres') return path.join(dir, 'loa.sqlite');
  const url = process.env.TEST_DATABASE_URL!;
  const run = (process.env.LOA_TEST_RUN ?? 'adhoc').replace(/[^a-z0-9]/g, '');
  const folder = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return `${url}${url.includes('?') ? '&' : '?'}schema=loa_test_${run}_${folder}`;
}

/** The environment a test bot runs with: the fake API, a database of its own (see databaseUrlFor), fast polls. */
export function botEnv(tg: FakeTelegram, dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    DATABASE_URL: databaseUrlFor(dir),
    POLL_TIMEOUT_SECONDS: '1',
    API_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'info',
    // Every group served at once unless the test is about admission.
    GROUP_ADMISSION: 'open',
    // The evening jobs only where a test is about them: their catch-up runs them late the same evening, so left on
    // they would join whatever test happens to run between 19:00 and 23:00 in Ho Chi Minh City.
    NUDGE_CRON: 'off',
    EVE_CRON: 'off',
    ...extra,
  };
}

/** A TCP port free on 127.0.0.1 right now (for a webhook server the test starts next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
