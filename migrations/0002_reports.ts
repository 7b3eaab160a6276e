import type { Kysely } from 'kysely';

// Frozen: the reports' state as of this release. Never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // A weekly summary is made once per group and week and kept, so it can be shown again unchanged.
  await db.schema
    .createTable('weekly_summaries')
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('week', 'text', (c) => c.notNull()) // the Monday that starts it, YYYY-MM-DD
    .addColumn('data', 'text', (c) => c.notNull()) // the figures, as JSON
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('weekly_summaries_pk', ['chat_id', 'week'])
    .execute();

  // Scheduled reports delivered at most once per kind, period and chat: claimed before the send.
  await db.schema
    .createTable('report_deliveries')
    .addColumn('kind', 'text', (c) => c.notNull()) // leaderboard | weekly | rollup
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('report_deliveries_pk', ['kind', 'period', 'chat_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_deliveries').ifExists().execute();
  await db.schema.dropTable('weekly_summaries').ifExists().execute();
}
