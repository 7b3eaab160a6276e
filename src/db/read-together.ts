import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Db, Executor } from './index.ts';
import type { Database } from './schema.ts';
import { prepared } from './prepared.ts';
import { onPostgres } from './postgres.ts';

interface Waiter<R> {
  resolve: (rows: R[]) => void;
  reject: (err: unknown) => void;
}

/** One read: its keys asked in this turn, each with the updates waiting for its rows. */
interface Asked<K, R> {
  reader: Reader<K, R>;
  keys: Map<string, { key: K; waiters: Waiter<R>[] }>;
}

interface Reader<K, R> {
  one: (db: Executor, key: K) => Promise<R[]>;
  part: (keys: K[]) => RawBuilder<unknown>;
}

/** What each database's updates asked in the current turn of the event loop, by read. */
const turns = new WeakMap<object, Map<Reader<never, unknown>, Asked<never, unknown>>>();

/**
 * A read that every update makes (its chat, its sender, a press's membership and article), coalesced on
 * PostgreSQL: the reads of updates handled side by side outside a transaction (presses, see UpdateTransactions)
 * go to the server as one statement per turn of the event loop, all reads together, where each alone would be a
 * round trip and a wake-up of a server process. Inside a transaction, and on SQLite (in process, synchronous),
 * each read runs alone.
 *
 * `part` selects the rows of several keys as `(key text, row jsonb)`, the key as `keyOf` writes it: the parts
 * of different reads are joined by UNION ALL. Rows read that way come from JSON, so a read's rows must be the
 * same either way (numbers, text and null, as Loa's tables hold).
 */
export function readTogether<K, R>(
  one: (db: Executor, key: K) => Promise<R[]>,
  part: (keys: K[]) => RawBuilder<unknown>,
  keyOf: (key: K) => string,
): (db: Executor, key: K) => Promise<R[]> {
  const reader: Reader<K, R> = { one, part };
  return (db, key) => {
    if (db.isTransaction || !onPostgres(db)) return one(db, key);
    return new Promise<R[]>((resolve, reject) => {
      let turn = turns.get(db);
      if (!turn) {
        turn = new Map();
        turns.set(db, turn);
        // After the I/O callbacks of this turn: every update woken in it has asked by then.
        setImmediate(() => void readTurn(db as Db));
      }
      const asked = (turn.get(reader as Reader<never, unknown>) ?? {
        reader,
        keys: new Map(),
      }) as unknown as Asked<K, R>;
      turn.set(reader as Reader<never, unknown>, asked as unknown as Asked<never, unknown>);
      const k = keyOf(key);
      const entry = asked.keys.get(k) ?? { key, waiters: [] };
      entry.waiters.push({ resolve, reject });
      asked.keys.set(k, entry);
    });
  };
}

/** Reads what a turn asked: one key alone by its own statement, anything more in one statement. */
async function readTurn(db: Db): Promise<void> {
  const asked = [...turns.get(db)!.values()];
  turns.delete(db);
  const entries = asked.flatMap((a, part) =>
    [...a.keys].map(([k, entry]) => ({ reader: a.reader, part, k, ...entry })),
  );
  const settle = (entry: (typeof entries)[number], rows: unknown[]) => entry.waiters.forEach((w) => w.resolve(rows));
  const alone = (entry: (typeof entries)[number]) =>
    entry.reader.one(db, entry.key).then(
      (rows) => settle(entry, rows),
      (err: unknown) => entry.waiters.forEach((w) => w.reject(err)),
    );
  if (entries.length === 1) return alone(entries[0]!);
  let rows: { part: number; key: string; row: unknown }[];
  try {
    const parts = asked.map(
      (a, i) =>
        sql`select ${sql.lit(i)}::int as part, p.key, p.row from (${a.reader.part([...a.keys.values()].map((e) => e.key))}) as p`,
    );
    rows = (await sql<{ part: number; key: string; row: unknown }>`${sql.join(parts, sql` union all `)}`.execute(db))
      .rows;
  } catch {
    // Each key is read alone (side by side), so only a read that fails alone fails its updates.
    await Promise.all(entries.map(alone));
    return;
  }
  const found = new Map<string, unknown[]>();
  for (const { part, key, row } of rows) {
    const k = `${part}\u0000${key}`;
    found.set(k, [...(found.get(k) ?? []), row]);
  }
  for (const entry of entries) settle(entry, found.get(`${entry.part}\u0000${entry.k}`) ?? []);
}

type ByIdTable = 'chats' | 'users' | 'articles';

/** A table's row by its id, as readTogether reads it: with the other reads of the turn, in one statement. */
export function rowById<T extends ByIdTable>(
  table: T,
): (db: Executor, id: number) => Promise<Selectable<Database[T]>[]> {
  // Kysely cannot check a column of a table named by a type parameter: the three tables all have `id`.
  const from = (db: Executor) => (db as unknown as Kysely<Pick<Database, 'chats'>>).selectFrom(table as 'chats');
  type Row = Selectable<Database[T]>;
  return readTogether<number, Row>(
    prepared((db, id: number) => from(db).selectAll().where('id', '=', id)) as unknown as (
      db: Executor,
      id: number,
    ) => Promise<Row[]>,
    (ids) =>
      sql`select t.id::text as key, to_jsonb(t) as row from ${sql.table(table)} t where t.id = any(${ids}::bigint[])`,
    String,
  );
}
