import 'dotenv/config';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { createPrivateFile, makePrivateFolderFor, PRIVATE_FILE_MODE } from '../db/files.ts';
import { isPostgresUrl } from '../db/index.ts';

// npm run backup -- <file>: an online backup with SQLite's backup API, safe while the bot runs.
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <backup file>   (e.g. backups/loa-2026-12-02.sqlite)');
  process.exit(2);
}
const url = process.env.DATABASE_URL?.trim() || './data/loa.sqlite';
if (isPostgresUrl(url)) {
  // PostgreSQL has its own consistent online backup; Loa does not wrap it.
  console.error(
    'loa: DATABASE_URL is a PostgreSQL database: back it up with pg_dump instead, e.g.\n' +
      `  pg_dump --format=custom --file=${JSON.stringify(target)} "postgres://user@host:5432/loa"\n` +
      '(with ?schema=name in DATABASE_URL, leave it out of the URL and add --schema=name; restore with pg_restore).',
  );
  process.exit(2);
}
const source = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
try {
  const db = new SQLite(source, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // A backup holds what the database holds: 0600 in a folder Loa makes 0700, whatever the umask.
  makePrivateFolderFor(target);
  createPrivateFile(target);
  const { totalPages } = await db.backup(target);
  db.close();
  fs.chmodSync(target, PRIVATE_FILE_MODE);
  console.log(`backed up ${source} to ${target} (${totalPages} pages)`);
} catch (err) {
  console.error(`loa: backup failed: ${(err as Error).message}`);
  process.exit(3);
}
