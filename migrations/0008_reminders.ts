import type { Kysely } from 'kysely';

// Frozen. The evening's private messages, each sent at most once per person and day (claimed before the send,
// confirmed after, like report_deliveries): kind 'nudge' (a member's reminder) or 'eve' (a leader's or owner's
// eve check). users.reminders: 1 unless the member sent /remind off. push_items gets an index by day: the
// reminders (and the metrics) read a day's pushed articles across every group.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reminder_deliveries')
    .addColumn('kind', 'text', (c) => c.notNull()) // nudge | eve
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull()) // local YYYY-MM-DD
    .addColumn('status', 'text', (c) => c.notNull()) // sending | sent
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('reminder_deliveries_pk', ['kind', 'user_id', 'day'])
    .execute();
  await db.schema
    .createIndex('reminder_deliveries_by_day')
    .on('reminder_deliveries')
    .columns(['kind', 'day', 'status'])
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('reminders', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('push_items_by_day').on('push_items').columns(['day', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_items_by_day').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('reminders').execute();
  await db.schema.dropTable('reminder_deliveries').ifExists().execute();
}
