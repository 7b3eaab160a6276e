import type { InsertResult, Kysely, Transaction } from 'kysely';
import type { CheckpointerOptions } from './checkpointer.ts';
import { createPostgresDb, isPostgresUrl } from './postgres.ts';
import type { Database } from './schema.ts';
import { createSqliteDb, type Synchronous } from './sqlite.ts';

// The database behind one interface: the table types, the two backends' constructors, and the helpers every
// repository uses. What differs between the backends at run time lives in backend.ts.

export type * from './schema.ts';
export { checkpointNow, DatabaseOpenError, type Synchronous } from './sqlite.ts';
export { isPostgresUrl } from './postgres.ts';
export { migrate } from './migrate.ts';

export type Db = Kysely<Database>;
/** What a repository function takes, so a caller can compose several in one transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Whether an insert (… on conflict do nothing, or do update … where) wrote a row: "did this call take it?" */
export const wroteRow = (result: InsertResult): boolean => Number(result.numInsertedOrUpdatedRows ?? 0) > 0;

/** Runs fn in a transaction: the caller's, if it is in one already, or a new one. */
export function inTransaction<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : (db as Kysely<Database>).transaction().execute(fn);
}

export interface DbOptions {
  /** SQLite: the durability of a commit (see createSqliteDb). */
  synchronous?: Synchronous;
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
  /** SQLite file: checkpoint the WAL on a worker thread instead of inside commits (the bot; see Checkpointer). */
  backgroundCheckpoints?: CheckpointerOptions;
}

/** Opens the database named by DATABASE_URL: a SQLite file path (the default), or postgres://…. */
export function createDb(url: string, options: DbOptions = {}): Db {
  if (isPostgresUrl(url)) return createPostgresDb(url, options.poolSize);
  return createSqliteDb(url, {
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    ...(options.backgroundCheckpoints ? { backgroundCheckpoints: options.backgroundCheckpoints } : {}),
  });
}
