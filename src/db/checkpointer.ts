import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's WAL checkpoints, off the bot's thread. By default the commit that takes the WAL past 1,000 pages
 * copies them into the database file and syncs it, while every update waits: under a burst of presses that
 * was the slowest answers' wait (docs/benchmarks.md). Here the bot's connection never checkpoints; a worker
 * thread with a connection of its own runs a PASSIVE checkpoint (which never blocks the writer) every
 * `intervalMs`, and a RESTART (which waits for the writer, and lets the next write start the WAL over) when
 * the WAL has grown past `restartPages` anyway. Should the worker fail, the connection checkpoints itself again.
 */
export interface CheckpointerOptions {
  intervalMs: number;
  restartPages: number;
  onError?: (message: string) => void;
}

export const DEFAULT_CHECKPOINTS: CheckpointerOptions = { intervalMs: 500, restartPages: 16_384 };

// Plain CommonJS, run with eval: the same code under tsx (tests) and from dist/ (npm start).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.log > workerData.restartPages) db.pragma('wal_checkpoint(RESTART)');
    parentPort.postMessage({ type: 'checkpointed', log: result ? result.log : 0 });
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: String((err && err.message) || err) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'now') checkpoint();
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private failed = false;
  private readonly listeners = new Set<() => void>();

  /** `fallback` turns the connection's own checkpoints back on (the worker failed). */
  constructor(file: string, fallback: () => void, options: CheckpointerOptions = DEFAULT_CHECKPOINTS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, intervalMs: options.intervalMs, restartPages: options.restartPages },
    });
    const fail = (message: string) => {
      options.onError?.(message);
      if (this.failed) return;
      this.failed = true;
      fallback();
      this.stop();
    };
    this.worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'error') fail(m.message ?? 'checkpoint failed');
      if (m.type === 'checkpointed') for (const done of [...this.listeners]) done();
    });
    this.worker.on('error', (err) => fail(err.message));
    // After the listeners, which ref the thread again: a database left open must not keep the process alive.
    this.worker.unref();
  }

  /** Asks for a checkpoint now; resolves once one has run (for tests and the benchmarks). */
  now(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        if (this.listeners.size === 0) this.worker.unref();
        resolve();
      };
      this.listeners.add(done);
      this.worker.ref(); // the process waits for the answer
      this.worker.postMessage('now');
    });
  }

  /** Closes the worker's connection and ends the thread (after the bot's connection closed: see createDb). */
  stop(): void {
    this.worker.postMessage('stop');
  }
}
