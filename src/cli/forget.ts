import 'dotenv/config';
import { createDb, DatabaseOpenError, migrate } from '../db/index.ts';
import { forgetMember } from '../domain/forget.ts';

// npm run forget -- <telegram-id>: removes a member's records and everything Loa knows about them.
const arg = process.argv[2] ?? '';
if (!/^\d{1,16}$/.test(arg)) {
  console.error('usage: npm run forget -- <telegram user id>');
  process.exit(2);
}
try {
  const db = createDb(process.env.DATABASE_URL?.trim() || './data/loa.sqlite');
  await migrate(db);
  const done = await forgetMember(db, Number(arg));
  await db.destroy();
  console.log(
    done.user
      ? `forgot member ${arg}: ${done.records} records and ${done.memberships} group memberships removed, ` +
          'and every other trace of them'
      : `no member ${arg} is known; nothing to forget`,
  );
  if (!done.scrubbed)
    console.log(
      'note: the bot was reading the database, so old copies of the deleted rows may stay in its WAL file until the ' +
        'bot reuses it; to be certain, stop the bot and run this again. Backups made before still hold the member.',
    );
} catch (err) {
  console.error(`loa: ${err instanceof DatabaseOpenError ? err.message : `forget failed: ${(err as Error).message}`}`);
  process.exit(3);
}
