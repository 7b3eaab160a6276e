import type { Kysely } from 'kysely';

// Frozen. Update ids Loa has handled, so an update Telegram delivers again (a webhook answer that was lost,
// a poll offset not yet confirmed when the process died) is not handled twice.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('processed_updates')
    .addColumn('update_id', 'bigint', (c) => c.primaryKey())
    .addColumn('handled_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('processed_updates_by_time').on('processed_updates').column('handled_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('processed_updates').ifExists().execute();
}
