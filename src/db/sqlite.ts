import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Backend } from './backend.ts';
import { createPrivateFile, makePrivateFolderFor } from './files.ts';
import { Checkpointer, type CheckpointerOptions } from './checkpointer.ts';
import { HandledUpdates, markHandled } from './handled-updates.ts';
import { dropFromInbox } from './inbox.ts';
import type { Database } from './schema.ts';

export type Synchronous = 'NORMAL' | 'FULL';

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export interface SqliteOptions {
  /**
   * The durability of a commit (docs/reliability.md, "Durability"): NORMAL makes a commit survive any crash of
   * the bot's process at once and a power loss from the next WAL sync; FULL survives a power loss at once.
   */
  synchronous?: Synchronous;
  /** Checkpoint the WAL on a worker thread instead of inside commits (the bot; see Checkpointer). */
  backgroundCheckpoints?: CheckpointerOptions;
}

const checkpointers = new WeakMap<object, Checkpointer>();

/**
 * The embedded SQLite file (its folder is created, 0700; a new file is 0600). WAL lets readers (reports) run beside the one writer.
 * For one process only: several replicas need PostgreSQL.
 */
export function createSqliteDb(url: string, options: SqliteOptions = {}): Kysely<Database> {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  let sqlite: SQLite.Database;
  try {
    if (file !== ':memory:') {
      makePrivateFolderFor(file);
      // In WAL mode writes land in the -wal file first, so an unwritable main file would only show at the
      // first checkpoint: open it for writing now (fails on read-only mounts and immutable files, even for root).
      if (fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'r+'));
      // A new database is 0600 before SQLite writes a byte (its -wal and -shm then get the same mode).
      else createPrivateFile(file);
    }
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // What is deleted is overwritten with zeros: members' messages pass through the inbox on their way to being
    // handled, and /undo and forget delete what members did; none of it should stay readable in the file's free
    // pages (the WAL keeps page images until it is checkpointed and cut back: see scrubFreedSpace).
    sqlite.pragma('secure_delete = on');
    // Fail now, not at the first member's press, if the file cannot be written.
    sqlite.exec('BEGIN IMMEDIATE; ROLLBACK;');
  } catch (err) {
    throw new DatabaseOpenError(`cannot open the database at ${file}: ${(err as Error).message}`);
  }
  let checkpointer: Checkpointer | undefined;
  if (options.backgroundCheckpoints && file !== ':memory:') {
    sqlite.pragma('wal_autocheckpoint = 0');
    // A WAL that grew under a burst is cut back to this size once it starts over.
    sqlite.pragma(`journal_size_limit = ${4096 * 4096}`);
    checkpointer = new Checkpointer(
      file,
      () => sqlite.open && sqlite.pragma('wal_autocheckpoint = 1000'),
      options.backgroundCheckpoints,
    );
  }
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, checkpointer) }),
  });
  if (checkpointer) checkpointers.set(db, checkpointer);
  return db;
}

/** Runs a WAL checkpoint now on a database opened with background checkpoints (tests: the worker's own runs are timed). */
export function checkpointNow(db: Kysely<Database>): Promise<void> {
  return checkpointers.get(db)?.now() ?? Promise.resolve();
}

/** SQLite rolls a transaction back by itself on some errors; Kysely's own ROLLBACK then must do nothing. */
const NO_OP = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) };

/**
 * Kysely's SQLite driver prepares every query anew, which costs about as much as running a small query. Loa's
 * queries come from a few dozen shapes, so prepared statements are kept (up to 500, oldest dropped first).
 * Safe because the driver runs one query at a time on its single connection.
 */
function withStatementCache(
  sqlite: SQLite.Database,
  checkpointer?: Checkpointer,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      // After SQLITE_FULL, SQLITE_IOERR… SQLite has already rolled back; Kysely's ROLLBACK would fail with "no
      // transaction is active" and hide the real error.
      if (!sqlite.inTransaction && /^\s*rollback\s*$/i.test(sql)) return NO_OP as unknown as SQLite.Statement;
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= 500) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close: () => {
      sqlite.close();
      // Only then: the worker's connection is the last to close, so it checkpoints and removes the WAL (two
      // connections closing at once can each see the other open, and leave the WAL behind).
      checkpointer?.stop();
    },
  };
}

/** The SQLite backend: one process, its handled updates remembered in memory (see Backend). */
export function sqliteBackend(db: Kysely<Database>): Backend {
  let handled: HandledUpdates | undefined;
  return {
    kind: 'sqlite',
    db,
    async open() {
      handled = await HandledUpdates.load(db);
    },
    async handleOnce(update, _now, handle) {
      if (await handled!.seen(update.update_id)) return false;
      handled!.remember(update.update_id);
      await handle(update);
      return true;
    },
    markHandled: (ids, now) => handled!.mark(ids, now),
    finishPolledAfterMs: 0,
    async finishPolled(ids, now) {
      for (const id of ids) handled!.remember(id);
      await db.transaction().execute(async (tx) => {
        await markHandled(tx, ids, now);
        await dropFromInbox(tx, ids);
      });
    },
    unitOf: () => undefined,
    reserveSend: undefined,
    boundLockWait: async () => undefined,
    close: () => db.destroy(),
  };
}
