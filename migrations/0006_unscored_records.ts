import type { Kysely } from 'kysely';

// Frozen. A record kept but earning nothing (a rebuttal without an article past the day's limit): unscored = 1,
// its points 0. Scores and counts leave it out; the export still lists it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('records')
    .addColumn('unscored', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('records').dropColumn('unscored').execute();
}
