import { sql, type Kysely } from 'kysely';

// Frozen: describes the schema as it was on the day it was written. Never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  // An auto-numbered key, in each dialect's own words.
  const serial = (c: any) =>
    postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const idType = postgres ? 'bigint' : 'integer';

  await db.schema
    .createTable('chats')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('locale', 'text')
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('migrated_to', 'bigint')
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text')
    .addColumn('username', 'text')
    .addColumn('language_code', 'text')
    .addColumn('locale', 'text')
    .addColumn('started', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['chat_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', idType, serial)
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('scope_chat_id', 'bigint', (c) => c.references('chats.id').onUpdate('cascade'))
    .addColumn('proposed_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('proposed_in', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('publish_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_by_day').on('articles').columns(['publish_date', 'state']).execute();
  await db.schema.createIndex('articles_by_state').on('articles').columns(['state', 'id']).execute();

  await db.schema
    .createTable('records')
    .addColumn('id', idType, serial)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('chat_id', 'bigint', (c) => c.references('chats.id').onUpdate('cascade'))
    .addColumn('article_id', 'bigint', (c) => c.references('articles.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('note', 'text')
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // One press per member, article and kind; one record per member and link.
  await db.schema
    .createIndex('records_once_per_article')
    .on('records')
    .columns(['user_id', 'article_id', 'kind'])
    .unique()
    .where(sql.ref('article_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('records_once_per_link')
    .on('records')
    .columns(['user_id', 'kind', 'link'])
    .unique()
    .where(sql.ref('link'), 'is not', null)
    .execute();
  await db.schema.createIndex('records_by_chat_time').on('records').columns(['chat_id', 'created_at']).execute();
  await db.schema.createIndex('records_by_user_time').on('records').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('records_by_time').on('records').column('created_at').execute();

  // Scheduled jobs: one row per job and period once it has started, so a restart can tell
  // "never ran today" (catch up) from "ran, maybe interrupted" (resume only what is unfinished).
  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'period'])
    .execute();

  // The daily push: a row per group and day says the group is due that day's push.
  await db.schema
    .createTable('group_pushes')
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('group_pushes_pk', ['chat_id', 'day'])
    .execute();

  // Each article delivered to each group at most once: claimed before the send, confirmed after.
  await db.schema
    .createTable('push_items')
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('batch', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_id', 'bigint')
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('push_items_pk', ['chat_id', 'article_id'])
    .execute();
  await db.schema.createIndex('push_items_by_message').on('push_items').columns(['chat_id', 'message_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['push_items', 'group_pushes', 'job_runs', 'records', 'articles', 'memberships', 'users', 'chats']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
