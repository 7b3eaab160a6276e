import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { schemaOf } from './postgres.ts';

/** Brings the schema up to date; safe to run any number of times. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrations are written against Kysely<any>
export async function migrate(db: Kysely<any>): Promise<MigrationResultSet> {
  const schema = schemaOf(db);
  // A schema named in DATABASE_URL (?schema=…) is created the first time, like the SQLite file and its folder.
  if (schema && schema !== 'public') await sql.raw(`create schema if not exists "${schema}"`).execute(db);
  // Told its schema, or Kysely's migrator finds other schemas' tables.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
