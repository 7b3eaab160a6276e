import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { tempDir } from '../support/bot-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const run = (script: string, args: string[], env: Record<string, string>) =>
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli', script), ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

describe('operations', () => {
  it('npm run migrate is safe to run twice', () => {
    const file = path.join(tempDir(), 'loa.sqlite');
    assert.match(run('migrate.ts', [], { DATABASE_URL: file }), /migrated: 0001_init, 0002_reports, 0003_processed_updates/);
    assert.match(run('migrate.ts', [], { DATABASE_URL: file }), /already up to date/);
  });

  it('npm run backup copies a live database, records included', () => {
    const dir = tempDir();
    const file = path.join(dir, 'loa.sqlite');
    run('migrate.ts', [], { DATABASE_URL: file });
    const live = new SQLite(file);
    live.pragma('journal_mode = WAL');
    live.prepare("insert into users (id, first_name, updated_at) values (7, 'Bảy', '2026-11-28T00:00:00Z')").run();
    // The writer stays open, as the bot would be.
    const out = run('backup.ts', [path.join(dir, 'copy.sqlite')], { DATABASE_URL: file });
    assert.match(out, /backed up/);
    const copy = new SQLite(path.join(dir, 'copy.sqlite'), { readonly: true });
    assert.equal((copy.prepare('select first_name from users where id = 7').get() as { first_name: string }).first_name, 'Bảy');
    copy.close();
    live.close();
  });
});
