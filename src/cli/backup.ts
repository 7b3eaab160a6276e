import 'dotenv/config';
import SQLite from 'better-sqlite3';

// npm run backup -- <file>: an online backup with SQLite's backup API, safe while the bot runs.
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <backup file>');
  process.exit(2);
}
const source = process.env.DATABASE_URL?.trim() || './data/loa.sqlite';
try {
  const db = new SQLite(source, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const { totalPages } = await db.backup(target);
  db.close();
  console.log(`backed up ${source} to ${target} (${totalPages} pages)`);
} catch (err) {
  console.error(`loa: backup failed: ${(err as Error).message}`);
  process.exit(3);
}
