import type { Kysely, Selectable } from 'kysely';
import type { Db, Executor } from './index.ts';
import type { Database } from './schema.ts';
import { prepared } from './prepared.ts';
import { onPostgres } from './postgres.ts';

interface Waiter<R> {
  resolve: (rows: R[]) => void;
  reject: (err: unknown) => void;
}

/**
 * A read that every update makes (its chat, its sender, a press's membership and article), coalesced on
 * PostgreSQL: the same reads of updates handled side by side outside a transaction (presses, see
 * UpdateTransactions) go to the server as one statement per turn of the event loop, where each alone would be a
 * round trip and a wake-up of a server process. Inside a transaction, and on SQLite (in process, synchronous),
 * each read runs alone. `many` returns the rows of several keys, each with the key it answers (`keyOf`'s string).
 */
export function readTogether<K, R>(
  one: (db: Executor, key: K) => Promise<R[]>,
  many: (db: Db, keys: K[]) => Promise<{ key: string; row: R }[]>,
  keyOf: (key: K) => string,
): (db: Executor, key: K) => Promise<R[]> {
  const pending = new WeakMap<object, Map<string, { key: K; waiters: Waiter<R>[] }>>();
  const flush = async (db: Db) => {
    const batch = pending.get(db)!;
    pending.delete(db);
    const entries = [...batch.values()];
    const settle = (entry: (typeof entries)[number], rows: R[]) => entry.waiters.forEach((w) => w.resolve(rows));
    const fail = (entry: (typeof entries)[number], err: unknown) => entry.waiters.forEach((w) => w.reject(err));
    if (entries.length === 1) {
      const entry = entries[0]!;
      await one(db, entry.key).then(
        (rows) => settle(entry, rows),
        (err: unknown) => fail(entry, err),
      );
      return;
    }
    try {
      const rows = await many(
        db,
        entries.map((e) => e.key),
      );
      const byKey = new Map<string, R[]>();
      for (const { key, row } of rows) byKey.set(key, [...(byKey.get(key) ?? []), row]);
      for (const entry of entries) settle(entry, byKey.get(keyOf(entry.key)) ?? []);
    } catch {
      // Each key is read alone, so only a read that fails alone fails its updates.
      for (const entry of entries)
        await one(db, entry.key).then(
          (rows) => settle(entry, rows),
          (err: unknown) => fail(entry, err),
        );
    }
  };
  return (db, key) => {
    if (db.isTransaction || !onPostgres(db)) return one(db, key);
    return new Promise<R[]>((resolve, reject) => {
      let batch = pending.get(db);
      if (!batch) {
        batch = new Map();
        pending.set(db, batch);
        // After the I/O callbacks of this turn: every update woken in it has asked by then.
        setImmediate(() => void flush(db as Db));
      }
      const k = keyOf(key);
      const entry = batch.get(k) ?? { key, waiters: [] };
      entry.waiters.push({ resolve, reject });
      batch.set(k, entry);
    });
  };
}

type ByIdTable = 'chats' | 'users' | 'articles';

/** A table's row by its id, as readTogether reads it: one statement per turn for the ids asked in it. */
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
    async (db, ids) =>
      (await from(db).selectAll().where('id', 'in', ids).execute()).map((row) => ({
        key: String(row.id),
        row: row as unknown as Row,
      })),
    String,
  );
}
