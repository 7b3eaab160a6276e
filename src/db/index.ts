import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type InsertResult,
  type MigrationResultSet,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { migrations } from '../../migrations/index.ts';
import { Checkpointer, type CheckpointerOptions } from './checkpointer.ts';
import type { Database } from './schema.ts';

export type * from './schema.ts';
export type Db = Kysely<Database>;
/** What a repository function takes, so a caller can compose several in one transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Whether an insert (… on conflict do nothing, or do update … where) wrote a row: "did this call take it?" */
export const wroteRow = (result: InsertResult): boolean => Number(result.numInsertedOrUpdatedRows ?? 0) > 0;

/** Runs fn in a transaction: the caller's, if it is in one already, or a new one. */
export function inTransaction<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : (db as Kysely<Database>).transaction().execute(fn);
}

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export type Synchronous = 'NORMAL' | 'FULL';

/**
 * Opens the database named by DATABASE_URL: a file path for the embedded SQLite default (its folder is
 * created). WAL lets readers (reports) run beside the one writer. `synchronous` decides durability
 * (docs/reliability.md, "Durability"): NORMAL, the default, makes a commit survive any crash of the bot's
 * process at once, and a power loss from the next WAL sync; FULL survives a power loss at once, at about
 * 40% of the recording throughput (docs/benchmarks.md).
 */
export interface DbOptions {
  /** SQLite: the durability of a commit (see above). */
  synchronous?: Synchronous;
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
  /** SQLite file: checkpoint the WAL on a worker thread instead of inside commits (the bot; see Checkpointer). */
  backgroundCheckpoints?: CheckpointerOptions;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const { synchronous = 'NORMAL', poolSize = 10 } = options;
  if (isPostgresUrl(url)) return createPostgresDb(url, poolSize);
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  let sqlite: SQLite.Database;
  try {
    if (file !== ':memory:') {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      // In WAL mode writes land in the -wal file first, so an unwritable main file would only show at the
      // first checkpoint: open it for writing now (fails on read-only mounts and immutable files, even for root).
      if (fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'r+'));
    }
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${synchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
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

const checkpointers = new WeakMap<object, Checkpointer>();

/** Runs a WAL checkpoint now on a database opened with background checkpoints (for tests: the worker's own runs are timed). */
export function checkpointNow(db: Db): Promise<void> {
  return checkpointers.get(db)?.now() ?? Promise.resolve();
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as much as running a small
 * query. Loa's queries come from a few dozen shapes, so prepared statements are kept (up to 500, oldest
 * dropped first). Safe because the driver runs one query at a time on its single connection.
 */
const NO_OP = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) };

function withStatementCache(
  sqlite: SQLite.Database,
  checkpointer?: Checkpointer,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…); Kysely's own
      // ROLLBACK would then fail with "no transaction is active" and hide the real error. Make it a no-op.
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

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

// Telegram ids and counts are 64-bit in PostgreSQL; they all fit in a JavaScript number (ids are below 2^52),
// so read int8 and numeric (sums) as numbers, as SQLite gives them.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * PostgreSQL (DATABASE_URL=postgres://…): a pool of connections; the same queries as on SQLite. A `schema`
 * parameter in the URL (…?schema=name) sets the search path, which the tests use to run in their own schema.
 */
function createPostgresDb(url: string, poolSize: number): Db {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema.replace(/[^A-Za-z0-9_]/g, '')}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  postgresSchemas.set(db, schema ? schema.replace(/[^A-Za-z0-9_]/g, '') : 'public');
  return db;
}

/** The schema each PostgreSQL database works in (the migrator must be told, or it finds other schemas' tables). */
const postgresSchemas = new WeakMap<object, string>();

/** Brings the schema up to date; safe to run any number of times. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrations are written against Kysely<any>
export async function migrate(db: Kysely<any>): Promise<MigrationResultSet> {
  const schema = postgresSchemas.get(db);
  // A schema named in DATABASE_URL (?schema=…) is created the first time, like the SQLite file and its folder.
  if (schema && schema !== 'public') await sql.raw(`create schema if not exists "${schema}"`).execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
