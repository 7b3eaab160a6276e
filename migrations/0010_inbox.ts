import type { Kysely } from 'kysely';

// Frozen. Updates taken from Telegram and not yet handled (long polling). Each batch is stored here before the
// next poll tells Telegram it was received, so the poll's offset moves on at once: Telegram hands out at most
// 100 updates from the offset, and an offset held at the oldest unfinished update (one slow chat) would keep
// every later update, of every chat, waiting behind it. A row is deleted once its update is handled; what is
// left after a crash is handled at the next start, before polling.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbox')
    .addColumn('update_id', 'bigint', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbox').ifExists().execute();
}
