import { randomBytes } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { createDb, migrate, type Db } from '../../src/db/index.ts';

// The database a test runs on: a fresh in-memory SQLite one, or, when the suite runs against PostgreSQL
// (LOA_TEST_BACKEND=postgres, with TEST_DATABASE_URL), a fresh schema of its own. Schemas are named after
// the run (LOA_TEST_RUN) and dropped together when the run ends (scripts/test.mjs): dropping them while
// other test files run would break Kysely's migrator, which lists the tables of every schema.

export const backend = process.env.LOA_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export async function freshDb(): Promise<Db> {
  if (backend === 'sqlite') {
    const db = createDb(':memory:');
    await migrate(db);
    return db;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('LOA_TEST_BACKEND=postgres needs TEST_DATABASE_URL');
  const run = (process.env.LOA_TEST_RUN ?? 'adhoc').replace(/[^a-z0-9]/g, '');
  const schema = `loa_test_${run}_${randomBytes(5).toString('hex')}`;
  const db = createDb(`${url}${url.includes('?') ? '&' : '?'}schema=${schema}`);
  await migrate(db);
  return db;
}

export async function closeDb(db: Db): Promise<void> {
  await db.destroy();
}

/** The database, counting the statements that run through it (as each result comes back: a prepared one too). */
export function counting(of: Db): { db: Db; statements: () => number; reset: () => void } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      n += 1;
      return args.result;
    },
  };
  return { db: of.withPlugin(plugin), statements: () => n, reset: () => (n = 0) };
}
