import { setTimeout as delay } from 'node:timers/promises';
import { Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Update } from 'telegraf/types';
import type { Backend } from './backend.ts';
import type { Database } from './schema.ts';
import type { Executor } from './index.ts';
import { SharedSendBudget, type SenderPaces } from './send-budget.ts';
import { UpdateTransactions } from './update-transactions.ts';
import { dropFromInbox } from './inbox.ts';

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

// Telegram ids and counts are 64-bit in PostgreSQL; they all fit in a JavaScript number (ids are below 2^52),
// so int8 and numeric (sums) are read as numbers, as SQLite gives them. Set on this pool's connections only,
// not on pg's global parsers.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

const schemas = new WeakMap<object, string>();

/** The schema a PostgreSQL database works in (`?schema=` in its URL, else public); undefined on SQLite. */
export const schemaOf = (db: object): string | undefined => schemas.get(db);

/** Whether a database, or a transaction of one, is PostgreSQL. */
export const onPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * PostgreSQL (DATABASE_URL=postgres://…): a pool of connections; the same queries as on SQLite. A `schema`
 * parameter in the URL (…?schema=name) sets the search path, which the tests use to run in their own schema.
 */
export function createPostgresDb(url: string, poolSize = 10): Kysely<Database> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema')?.replace(/[^A-Za-z0-9_]/g, '');
  parsed.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    // Connections once open stay open (see openConnections): the morning's first presses find them ready. An
    // idle connection alone does not keep a process alive: one that is done exits without closing the pool.
    min: poolSize,
    allowExitOnIdle: true,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  schemas.set(db, schema || 'public');
  return db;
}

export interface PostgresBackendOptions {
  /** Connections in the pool: updates hold one each while handled, two stay free for the jobs. */
  poolSize: number;
  paces: SenderPaces;
  /** Updates handled outside a transaction, their effect's statement claiming them (see UpdateTransactions). */
  claimsItself?: (update: Update) => boolean;
}

/**
 * Opens the pool's connections now, all at once, rather than one by one as the first updates after a start need
 * them (each a TCP connection, a server process and its authentication: tens of milliseconds on a busy machine).
 * Each connection is held until all are open, or a few seconds have passed (a pool in use elsewhere). One the
 * server refuses now (its limit of connections reached, say) is not an error: it is opened when it is needed.
 */
async function openConnections(db: Kysely<Database>, count: number): Promise<void> {
  let settled = 0;
  let allSettled!: () => void;
  const all = new Promise<void>((resolve) => (allSettled = resolve));
  const enough = Promise.race([all, delay(3000, undefined, { ref: false })]);
  const openOne = async () => {
    let counted = false;
    const settle = () => {
      if (counted) return;
      counted = true;
      if (++settled === count) allSettled();
    };
    try {
      await db.connection().execute(async (conn) => {
        await sql`select 1`.execute(conn);
        settle();
        await enough;
      });
    } catch {
      settle();
    }
  };
  await Promise.all(Array.from({ length: count }, openOne));
}

/** The PostgreSQL backend: replicas share the database (see Backend). */
export function postgresBackend(db: Kysely<Database>, options: PostgresBackendOptions): Backend {
  const transactions = new UpdateTransactions(db, Math.max(1, options.poolSize - 2), options.claimsItself);
  const budget = new SharedSendBudget(db, options.paces);
  return {
    kind: 'postgres',
    db,
    open: () => openConnections(db, options.poolSize),
    handleOnce: (update, now, handle) => transactions.handle(update, now, handle),
    markHandled: async () => undefined,
    // Each was recorded as handled in its own transaction (claimUpdate): only the inbox is left to tidy.
    finishPolled: (ids) => dropFromInbox(db, ids),
    // Only the inbox is tidied (each update's claim recorded it handled): 50 ms of updates at once.
    finishPolledAfterMs: 50,
    unitOf: transactions.unitOf,
    reserveSend: (chatId, isGroup) => budget.reserve(chatId, isGroup),
    async boundLockWait(tx) {
      await sql`set local lock_timeout = '5s'`.execute(tx);
    },
    close: () => db.destroy(),
  };
}
