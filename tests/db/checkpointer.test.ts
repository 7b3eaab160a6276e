import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { checkpointNow, createDb, migrate, type Db } from '../../src/db/index.ts';
import { Checkpointer } from '../../src/db/checkpointer.ts';
import { tempDir } from '../support/bot-process.ts';
import { backend } from '../support/database.ts';

// The SQLite file's WAL checkpoints on a worker thread: commits no longer copy pages into the file
// themselves, the worker does, the WAL starts over, and a failed worker hands the job back.

const at = '2026-11-29T03:00:00.000Z';
const fileSize = (file: string) => fs.statSync(file).size;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function writeUsers(db: Db, from: number, n: number): Promise<void> {
  // One commit each, as presses are: 3,000 commits make well over SQLite's 1,000-page checkpoint mark.
  for (let id = from; id < from + n; id++)
    await db
      .insertInto('users')
      .values({ id, first_name: `Thành viên ${id} `.repeat(8), updated_at: at })
      .execute();
}

describe('WAL checkpoints on a worker thread', { skip: backend !== 'sqlite' && 'about the SQLite file' }, () => {
  it('commits leave the pages in the WAL; the worker copies them into the file, and the WAL starts over', async () => {
    const file = path.join(tempDir('loa-ckpt-'), 'loa.sqlite');
    const db = createDb(file, { backgroundCheckpoints: { intervalMs: 3_600_000, restartPages: 16_384 } });
    await migrate(db);
    await checkpointNow(db);
    const before = fileSize(file);
    await writeUsers(db, 1, 3000);
    assert.equal(fileSize(file), before, 'no commit checkpointed by itself');
    assert.ok(fileSize(`${file}-wal`) > 4096 * 1000, 'the WAL holds the pages');
    await checkpointNow(db);
    assert.ok(
      fileSize(file) > before + 400_000,
      `the pages are in the database file (${before} → ${fileSize(file)} bytes)`,
    );
    await writeUsers(db, 5000, 1);
    const observer = new SQLite(file);
    const [state] = observer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    assert.ok(state!.log < 10, `the WAL started over (${state!.log} frames)`);
    observer.close();
    await db.destroy();
    for (let i = 0; i < 50 && fs.existsSync(`${file}-wal`); i++) await sleep(100);
    assert.equal(fs.existsSync(`${file}-wal`), false, 'both connections closed: the last one removed the WAL');
  });

  it('without it (tools, tests), SQLite checkpoints inside commits as before', async () => {
    const file = path.join(tempDir('loa-ckpt-'), 'loa.sqlite');
    const db = createDb(file);
    await migrate(db);
    const before = fileSize(file);
    await writeUsers(db, 1, 3000);
    assert.ok(fileSize(file) > before, 'a commit checkpointed');
    await db.destroy();
  });

  it('a worker that cannot open the file hands checkpoints back to the connection, and says why', async () => {
    const errors: string[] = [];
    let fellBack = 0;
    new Checkpointer(path.join(tempDir('loa-ckpt-'), 'missing-folder', 'loa.sqlite'), () => (fellBack += 1), {
      intervalMs: 50,
      restartPages: 100,
      onError: (m) => errors.push(m),
    });
    for (let i = 0; i < 50 && fellBack === 0; i++) await sleep(20);
    assert.equal(fellBack, 1);
    assert.match(errors[0] ?? '', /unable to open|directory does not exist/i);
  });
});
