import { sql, type Kysely } from 'kysely';

// Frozen. Two indexes for the group figures (the dashboard, /summary's roll-up, the weekly summary, coverage):
// - records(chat_id, created_at, user_id, unscored, kind, points): a period's records of a group, who, what kind,
//   how many points, read from the index alone instead of visiting each row (500 groups' week: ~15 ms instead of
//   ~150-300 ms on SQLite; docs/benchmarks.md). It starts with the columns of records_by_chat_time, which it
//   replaces.
// - records(chat_id, article_id, user_id, kind) for records against an article: who acted on a group's articles
//   (coverage) without reading every record the group ever made (~4,000 rows a group in the bench; on PostgreSQL
//   each one a heap block).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('records_by_chat_time_covering')
    .on('records')
    .columns(['chat_id', 'created_at', 'user_id', 'unscored', 'kind', 'points'])
    .execute();
  await db.schema.dropIndex('records_by_chat_time').execute();
  await db.schema
    .createIndex('records_by_chat_article')
    .on('records')
    .columns(['chat_id', 'article_id', 'user_id', 'kind'])
    .where(sql.ref('article_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('records_by_chat_article').execute();
  await db.schema.createIndex('records_by_chat_time').on('records').columns(['chat_id', 'created_at']).execute();
  await db.schema.dropIndex('records_by_chat_time_covering').execute();
}
