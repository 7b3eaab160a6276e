import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Update } from 'telegraf/types';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, migrate, type Db } from '../../src/db/index.ts';
import { dropFromInbox, keepInInbox, unfinishedInInbox } from '../../src/db/inbox.ts';
import { alreadyHandled } from '../../src/db/handled-updates.ts';
import { sqliteBackend } from '../../src/db/sqlite.ts';
import { backend, closeDb, freshDb } from '../support/database.ts';
import { tempDir } from '../support/bot-process.ts';

// The inbox of polled updates (src/db/inbox.ts) on the suite's database: what is kept comes back whole and in
// order, a batch kept twice (Telegram handing it out again) is kept once, and a handled update leaves it.

const now = new Date('2026-12-01T02:00:00Z');
const update = (id: number, text: string) =>
  ({
    update_id: id,
    message: { message_id: id, date: 0, chat: { id: -5, type: 'group' }, from: { id: 7, first_name: 'Bình' }, text },
  }) as unknown as Update;

describe('the inbox', () => {
  let db: Db;
  before(async () => (db = await freshDb()));
  after(() => closeDb(db));

  it('gives back what was kept, whole and oldest first; a batch kept again is kept once', async () => {
    await keepInInbox(db, [update(12, 'b'), update(11, 'a — “tiếng Việt” ✓')], now);
    await keepInInbox(db, [update(11, 'a — “tiếng Việt” ✓'), update(13, 'c')], now);
    const kept = await unfinishedInInbox(db);
    assert.deepEqual(
      kept.map((u) => u.update_id),
      [11, 12, 13],
    );
    assert.deepEqual(kept[0], update(11, 'a — “tiếng Việt” ✓'));
    await dropFromInbox(db, [11, 13]);
    assert.deepEqual(
      (await unfinishedInInbox(db)).map((u) => u.update_id),
      [12],
    );
    await dropFromInbox(db, [12]);
  });

  it('on SQLite, a handled update leaves the inbox in the commit that records it as handled', async (t) => {
    if (backend !== 'sqlite') return t.skip('PostgreSQL records each update as handled in its own transaction');
    const sqlite = sqliteBackend(db);
    await sqlite.open();
    await keepInInbox(db, [update(21, 'x'), update(22, 'y')], now);
    await sqlite.finishPolled([21], now);
    assert.deepEqual(
      (await unfinishedInInbox(db)).map((u) => u.update_id),
      [22],
    );
    assert.ok(await alreadyHandled(db, 21));
    assert.ok(!(await alreadyHandled(db, 22)));
  });

  it('on SQLite, a handled update’s words do not stay in the database file', async (t) => {
    if (backend !== 'sqlite') return t.skip('SQLite’s file');
    const file = path.join(tempDir('loa-inbox-'), 'loa.sqlite');
    const onFile = createDb(file);
    await migrate(onFile);
    const words = 'lời-riêng-của-thành-viên-7f3a9c';
    await keepInInbox(onFile, [update(31, words)], now);
    await sql`pragma wal_checkpoint(truncate)`.execute(onFile);
    assert.ok(fs.readFileSync(file).includes(Buffer.from(words)), 'kept: in the file');
    await dropFromInbox(onFile, [31]);
    await sql`pragma wal_checkpoint(truncate)`.execute(onFile);
    await onFile.destroy();
    assert.ok(!fs.readFileSync(file).includes(Buffer.from(words)), 'handled: overwritten, not left in free space');
  });
});
