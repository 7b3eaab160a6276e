import { sql } from 'kysely';
import type { Db } from './index.ts';
import { schemaOf } from './postgres.ts';

// Deleting a row does not erase it: SQLite leaves its bytes in free space and in the WAL, PostgreSQL in dead tuples
// until the table is rewritten. For `npm run forget` those bytes must go too.

/** SQLite: from now on, this connection overwrites what it deletes with zeros (it is the one connection). */
export async function eraseOnDelete(db: Db): Promise<void> {
  if (schemaOf(db) === undefined) await sql`pragma secure_delete = on`.execute(db);
}

/**
 * After deleting with eraseOnDelete: SQLite copies the WAL into the database and truncates it, so the old pages
 * are gone from both files; PostgreSQL rewrites the tables (VACUUM FULL, which locks each for the moment it takes).
 * Returns false when SQLite could not finish because another connection (the running bot) was reading: the
 * deleted bytes are then erased at its next checkpoint.
 */
export async function scrubFreedSpace(db: Db, tables: readonly string[]): Promise<boolean> {
  if (schemaOf(db) !== undefined) {
    for (const table of tables) await sql`vacuum full ${sql.table(table)}`.execute(db);
    return true;
  }
  const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(db);
  return Number(rows[0]?.busy ?? 0) === 0;
}
