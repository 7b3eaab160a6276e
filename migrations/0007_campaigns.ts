import { sql, type Kysely } from 'kysely';

// Frozen. Campaigns (a name, a group or every group, a span of days) and the articles in them; the day an
// article closes early because its campaign ended; a group's weekly participation target, in percent.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
  const serial = (c: any) =>
    postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const idType = postgres ? 'bigint' : 'integer';

  await db.schema
    .createTable('campaigns')
    .addColumn('id', idType, serial)
    .addColumn('name', 'text', (c) => c.notNull())
    // The name folded (lower case, no diacritics): "#Tet2027" and "#tet2027" are one campaign.
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('scope_chat_id', 'bigint', (c) => c.references('chats.id').onUpdate('cascade'))
    .addColumn('first_day', 'text', (c) => c.notNull())
    .addColumn('last_day', 'text')
    .addColumn('created_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  // One name per audience: a group's campaign and every group's may not share a name (checked in the domain);
  // this index is the backstop against two at once.
  await sql`create unique index campaigns_by_slug on campaigns (coalesce(scope_chat_id, 0), slug)`.execute(db);

  await db.schema
    .createTable('article_campaigns')
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('article_campaigns_pk', ['article_id', 'campaign_id'])
    .execute();
  await db.schema
    .createIndex('article_campaigns_by_campaign')
    .on('article_campaigns')
    .columns(['campaign_id', 'article_id'])
    .execute();

  await db.schema.alterTable('articles').addColumn('closes_on', 'text').execute();
  await db.schema.alterTable('chats').addColumn('weekly_target', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('chats').dropColumn('weekly_target').execute();
  await db.schema.alterTable('articles').dropColumn('closes_on').execute();
  await db.schema.dropTable('article_campaigns').execute();
  await db.schema.dropTable('campaigns').execute();
}
