import type { Kysely } from 'kysely';

// Frozen. What several bot processes sharing one database agree through:
// - job_leases: which process runs a scheduled job right now (held while it runs, renewed, taken over
//   by another process once it expires: the holder died);
// - send_budget: Telegram's limits are per bot, not per process, so every process reserves its sends'
//   slots here (one row for the bot's overall pace, one per chat), as a "theoretical arrival time" in ms.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('send_budget')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tat', 'double precision', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_budget').ifExists().execute();
  await db.schema.dropTable('job_leases').ifExists().execute();
}
