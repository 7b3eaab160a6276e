import type { Kysely } from 'kysely';

// Frozen. A group is served only once admitted: 'allowed' (an owner added or allowed it, or it is listed),
// 'waiting' (added by someone else, the owners asked), 'refused' (an owner said leave). Every group already in
// the database was being served, so it stays allowed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('chats')
    .addColumn('admission', 'text', (c) => c.notNull().defaultTo('allowed'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('chats').dropColumn('admission').execute();
}
