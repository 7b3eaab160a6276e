import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { tempDir } from '../support/bot-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
const run = (script: string, args: string[], env: Record<string, string>) =>
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli', script), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });

describe('operations', () => {
  it('npm run migrate is safe to run twice', () => {
    const file = path.join(tempDir(), 'loa.sqlite');
    assert.match(
      run('migrate.ts', [], { DATABASE_URL: file }),
      /migrated: 0001_init, 0002_reports, 0003_processed_updates/,
    );
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
    assert.equal(
      (copy.prepare('select first_name from users where id = 7').get() as { first_name: string }).first_name,
      'Bảy',
    );
    copy.close();
    live.close();
  });

  it("npm run backup creates the backup file's folder when it is missing: 0600 in 0700 folders, whatever the umask", () => {
    const dir = tempDir();
    const file = path.join(dir, 'loa.sqlite');
    run('migrate.ts', [], { DATABASE_URL: file });
    const target = path.join(dir, 'backups', '2026', 'loa-2026-12-02.sqlite');
    const umask = process.umask(0o022); // the usual one, inherited by the backup's process
    try {
      assert.match(run('backup.ts', [target], { DATABASE_URL: file }), /backed up/);
    } finally {
      process.umask(umask);
    }
    const copy = new SQLite(target, { readonly: true, fileMustExist: true });
    assert.ok(copy.prepare("select 1 from sqlite_master where name = 'users'").get());
    copy.close();
    const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
    assert.equal(mode(target), '600');
    assert.equal(mode(path.dirname(target)), '700');
    assert.equal(mode(path.join(dir, 'backups')), '700');
  });

  it('npm run backup on PostgreSQL says to use pg_dump, and touches nothing', () => {
    const dir = tempDir();
    const target = path.join(dir, 'backups', 'loa.dump');
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/backup.ts'), target], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://loa:secret@db.invalid:5432/loa?schema=unit' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /PostgreSQL database: back it up with pg_dump/);
    assert.doesNotMatch(result.stderr, /secret/, 'the URL (and its password) is not echoed');
    assert.equal(fs.existsSync(path.join(dir, 'backups')), false);
  });
});

describe('.env.example', () => {
  it('lists every setting, and each line works as it is when uncommented', async () => {
    const { parse } = await import('dotenv');
    const { parseConfig } = await import('../../src/config.ts');
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const schemaKeys = [
      ...fs.readFileSync(path.join(root, 'src/config.ts'), 'utf8').matchAll(/^ {4}([A-Z][A-Z_]+): /gm),
    ].map((m) => m[1]!);
    assert.ok(schemaKeys.length > 20, schemaKeys.join());
    const lines = example.split('\n').filter((l) => /^#? ?[A-Z][A-Z_]+=/.test(l));
    const listed = new Set(lines.map((l) => l.replace(/^# ?/, '').split('=')[0]));
    assert.deepEqual(
      schemaKeys.filter((k) => !listed.has(k)),
      [],
      'settings missing from .env.example',
    );
    const base = { BOT_TOKEN: '123456:abcdefghijklmnopqrstuvwxyz' };
    const webhook = parse(
      lines
        .filter((l) => /WEBHOOK_/.test(l))
        .map((l) => l.replace(/^# ?/, ''))
        .join('\n'),
    );
    for (const line of lines.filter((l) => l.startsWith('#'))) {
      const env = parse(line.replace(/^# ?/, ''));
      // A value is one word (a cron expression excepted): no note left inside it, as "./data/loa.sqlite (or …)" was.
      for (const [key, value] of Object.entries(env))
        if (!key.endsWith('_CRON')) assert.doesNotMatch(value, /\s/, line);
      // WEB_APP_URL needs Loa's HTTP server, as its comment says.
      const needs = /WEBHOOK_URL/.test(line) ? webhook : /WEB_APP_URL/.test(line) ? { HTTP_PORT: '9090' } : {};
      assert.doesNotThrow(() => parseConfig({ ...base, ...needs, ...env }), line);
    }
  });
});

describe('the production start', () => {
  it('package.json engines states the minimum that the start checks', async () => {
    const { MINIMUM_NODE_VERSION } = await import('../../src/node-version.mjs');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${MINIMUM_NODE_VERSION.replace(/\.0$/, '')}`);
  });

  it('an older Node.js is refused with one clear line; 20.11 and later pass', async () => {
    const { nodeVersionProblem } = await import('../../src/node-version.mjs');
    for (const old of ['18.19.0', '20.0.0', '20.10.9', 'v20.3.1'])
      assert.match(nodeVersionProblem(old) ?? '', /^Loa needs Node\.js 20\.11\.0 or later; this is v?\d/, old);
    for (const ok of ['20.11.0', '20.11.1', '20.19.4', '22.0.0', 'v24.1.0', process.versions.node])
      assert.equal(nodeVersionProblem(ok), undefined, ok);
  });

  it('npm start runs without the dev dependencies: no build step; it starts to the configuration error', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.scripts.prestart, undefined, 'nothing runs before start (tsc is a dev dependency)');
    assert.equal(pkg.scripts.start, 'node bin/loa.mjs');
    assert.ok(pkg.dependencies.tsx, 'tsx, which runs the sources, is a runtime dependency');
    // From an empty folder (no .env), with no BOT_TOKEN: the sources load and the configuration is checked.
    const result = spawnSync(process.execPath, [path.join(root, 'bin/loa.mjs')], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^loa: configuration error: BOT_TOKEN: is required/m);
  });
});

describe('data safety', () => {
  it('migrates a database made by the first migration, with data, to the latest without losing anything', async () => {
    const { Kysely, Migrator, SqliteDialect } = await import('kysely');
    const { migrations } = await import('../../migrations/index.ts');
    const file = path.join(tempDir(), 'old.sqlite');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema of the first release
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    const first = new Migrator({
      db: old,
      provider: { getMigrations: async () => ({ '0001_init': migrations['0001_init']! }) },
    });
    assert.equal((await first.migrateToLatest()).error, undefined);
    await old.insertInto('users').values({ id: 5, first_name: 'Năm', updated_at: '2026-01-01T00:00:00Z' }).execute();
    await old
      .insertInto('chats')
      .values({
        id: -5,
        type: 'supergroup',
        title: 'Cũ',
        active: 1,
        joined_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    await old
      .insertInto('records')
      .values({
        user_id: 5,
        chat_id: -5,
        kind: 'rebutted',
        link: 'https://old.example/1',
        points: 2,
        created_at: '2026-01-02T00:00:00Z',
      })
      .execute();
    await old.destroy();
    assert.match(run('migrate.ts', [], { DATABASE_URL: file }), /migrated: 0002_reports, 0003_processed_updates/);
    const db = new SQLite(file, { readonly: true });
    assert.deepEqual(db.prepare('select user_id, chat_id, kind, link, points from records').all(), [
      { user_id: 5, chat_id: -5, kind: 'rebutted', link: 'https://old.example/1', points: 2 },
    ]);
    assert.equal((db.prepare('select title from chats where id = -5').get() as { title: string }).title, 'Cũ');
    db.close();
  });

  it('npm run forget removes a member and their records, and says so', () => {
    const file = path.join(tempDir(), 'loa.sqlite');
    run('migrate.ts', [], { DATABASE_URL: file });
    const db = new SQLite(file);
    db.prepare("insert into users (id, first_name, updated_at) values (8, 'Tám', 'x'), (9, 'Chín', 'x')").run();
    db.prepare(
      "insert into chats (id, type, title, active, joined_at, updated_at) values (-8, 'supergroup', 'N', 1, 'x', 'x')",
    ).run();
    db.prepare(
      "insert into memberships (chat_id, user_id, status, first_seen_at, last_seen_at) values (-8, 8, 'member', 'x', 'x'), (-8, 9, 'member', 'x', 'x')",
    ).run();
    db.prepare(
      "insert into records (user_id, chat_id, kind, link, points, created_at) values (8, -8, 'rebutted', 'https://a/1', 2, 'x'), (8, -8, 'rebutted', 'https://a/2', 2, 'x'), (9, -8, 'rebutted', 'https://a/3', 2, 'x')",
    ).run();
    db.close();
    assert.match(
      run('forget.ts', ['8'], { DATABASE_URL: file }),
      /forgot member 8: 2 records and 1 group memberships removed/,
    );
    assert.match(run('forget.ts', ['8'], { DATABASE_URL: file }), /nothing to forget/);
    const after = new SQLite(file, { readonly: true });
    assert.deepEqual(after.prepare('select user_id from records').all(), [{ user_id: 9 }]);
    assert.equal(after.prepare('select * from users where id = 8').get(), undefined);
    after.close();
  });
});

describe('a database that cannot be written, at start', () => {
  const tryRun = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  };

  it('an immutable (read-only) database file: a clear message and a non-zero exit', async (t) => {
    const dir = tempDir();
    const file = path.join(dir, 'loa.sqlite');
    run('migrate.ts', [], { DATABASE_URL: file });
    // Root ignores file modes; the immutable attribute is what makes a file read-only for root too.
    if (!tryRun('chattr', ['+i', file])) return t.skip('chattr +i is not available here');
    try {
      const { startBot } = await import('../support/bot-process.ts');
      const bot = startBot({
        BOT_TOKEN: '123456:TEST-token-for-the-fake-api_abcdefgh',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        DATABASE_URL: file,
      });
      assert.equal(await bot.exited, 3);
      assert.match(
        bot.output(),
        /loa: cannot open the database at .*loa\.sqlite: (EPERM|EACCES|EROFS|attempt to write a readonly database)/,
      );
    } finally {
      tryRun('chattr', ['-i', file]);
    }
  });

  it('a full disk (a 64 KB tmpfs): a clear message and a non-zero exit', async (t) => {
    const dir = tempDir();
    if (!tryRun('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir])) return t.skip('cannot mount a tmpfs here');
    try {
      const { startBot } = await import('../support/bot-process.ts');
      const bot = startBot({
        BOT_TOKEN: '123456:TEST-token-for-the-fake-api_abcdefgh',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        DATABASE_URL: path.join(dir, 'loa.sqlite'),
      });
      assert.equal(await bot.exited, 3);
      assert.match(
        bot.output(),
        /loa: database migration failed: database or disk is full|loa: cannot open the database.*(disk is full|disk I\/O)/,
      );
    } finally {
      tryRun('umount', [dir]);
    }
  });
});

describe('moving to PostgreSQL', () => {
  it('npm run db:copy copies every table, verifies counts and checksums, and refuses a non-empty target', async (t) => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return t.skip('set TEST_DATABASE_URL to run it');
    const file = path.join(tempDir(), 'loa.sqlite');
    run('migrate.ts', [], { DATABASE_URL: file });
    const db = new SQLite(file);
    db.prepare(
      "insert into users (id, first_name, last_name, updated_at) values (11, 'Mười', 'Một, \"Hai\"', 'x'), (12, 'Mười hai', null, 'x')",
    ).run();
    db.prepare(
      "insert into chats (id, type, title, active, joined_at, updated_at) values (-11, 'supergroup', 'Nhóm', 1, 'x', 'x')",
    ).run();
    db.prepare(
      "insert into memberships (chat_id, user_id, status, first_seen_at, last_seen_at) values (-11, 11, 'member', 'x', 'x')",
    ).run();
    db.prepare(
      "insert into articles (url, title, state, publish_date, created_at) values ('https://a/1', 'Bài', 'approved', '2026-11-30', 'x')",
    ).run();
    for (let i = 0; i < 1200; i++)
      db.prepare(
        "insert into records (user_id, chat_id, article_id, kind, link, points, created_at) values (?, -11, null, 'rebutted', ?, 2, ?)",
      ).run(11 + (i % 2), `https://s/${i}`, `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00.000Z`);
    db.close();
    const schema = `loa_copy_${Date.now().toString(36)}`;
    const { Client } = (await import('pg')).default;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      const target = `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
      const out = run('db-copy.ts', ['--from', file, '--to', target], {});
      assert.match(out, /records\s+1200\s+[0-9a-f]{16}\s+yes/);
      assert.match(out, /copied and verified/);
      // Ids continue after the copied ones.
      const next = await admin.query(
        `insert into ${schema}.articles (url, title, state, created_at) values ('https://a/2', 'Mới', 'pending', 'x') returning id`,
      );
      assert.equal(Number(next.rows[0].id), 2);
      let refused = '';
      try {
        run('db-copy.ts', ['--from', file, '--to', target], {});
      } catch (err) {
        refused = String((err as { stderr?: string }).stderr);
      }
      assert.match(refused, /refusing to copy: the target already holds data/);
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
