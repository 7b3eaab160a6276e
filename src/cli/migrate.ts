import 'dotenv/config';
import { createDb, DatabaseOpenError, migrate } from '../db/index.ts';

// npm run migrate: brings the database named by DATABASE_URL up to date. Safe to run any number of times.
const url = process.env.DATABASE_URL?.trim() || './data/loa.sqlite';
try {
  const db = createDb(url);
  const result = await migrate(db);
  const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  console.log(applied.length > 0 ? `migrated: ${applied.join(', ')}` : 'already up to date');
  await db.destroy();
} catch (err) {
  console.error(
    `loa: ${err instanceof DatabaseOpenError ? err.message : `migration failed: ${(err as Error).message}`}`,
  );
  process.exit(3);
}
