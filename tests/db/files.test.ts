import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createSqliteDb } from '../../src/db/sqlite.ts';
import { migrate } from '../../src/db/index.ts';
import { tempDir } from '../support/bot-process.ts';

// The database holds members' names and activity: under the usual umask (022) a file SQLite creates itself
// would be 0644 in a 0755 folder, readable by every account on the machine.

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

describe('database files', () => {
  it('a new database, its WAL and shared memory are 0600, in the 0700 folders Loa creates', async () => {
    const umask = process.umask(0o022);
    const file = path.join(tempDir(), 'data', 'loa', 'loa.sqlite');
    try {
      const db = createSqliteDb(file);
      await migrate(db);
      // While it is open, the WAL and the shared-memory index exist beside it.
      assert.equal(mode(file), '600');
      assert.equal(mode(`${file}-wal`), '600');
      assert.equal(mode(`${file}-shm`), '600');
      assert.equal(mode(path.dirname(file)), '700');
      assert.equal(mode(path.dirname(path.dirname(file))), '700');
      await db.destroy();
    } finally {
      process.umask(umask);
    }
  });

  it('an existing folder and file keep the modes their owner gave them', async () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o750);
    const file = path.join(dir, 'loa.sqlite');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o640);
    const db = createSqliteDb(file);
    await migrate(db);
    await db.destroy();
    assert.equal(mode(dir), '750');
    assert.equal(mode(file), '640');
  });
});
