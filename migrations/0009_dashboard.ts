import type { Kysely } from 'kysely';

// Frozen. The group figures (the dashboard, /summary's roll-up, the weekly summary) read a group's records of a
// period: who, what kind, how many points. With those columns in the index after (chat_id, created_at), the
// database answers from the index alone instead of visiting each row (500 groups' week: ~15 ms instead of
// ~150-300 ms on SQLite; docs/benchmarks.md). It starts with the columns of records_by_chat_time, which it
// replaces.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('records_by_chat_time_covering')
    .on('records')
    .columns(['chat_id', 'created_at', 'user_id', 'unscored', 'kind', 'points'])
    .execute();
  await db.schema.dropIndex('records_by_chat_time').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('records_by_chat_time').on('records').columns(['chat_id', 'created_at']).execute();
  await db.schema.dropIndex('records_by_chat_time_covering').execute();
}
