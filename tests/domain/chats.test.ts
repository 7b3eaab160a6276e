import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/db/index.ts';
import { deactivateChat, getChat, getUser, registerGroup, seeMember, touchGroup } from '../../src/domain/chats.ts';
import { backend, closeDb, freshDb } from '../support/database.ts';

// Who Loa has seen where: the rows every group message and first press keep current, on both backends (on
// PostgreSQL seeMember is one statement, on SQLite a transaction of two).

const t0 = new Date('2026-12-01T02:00:00Z');
const t1 = new Date('2026-12-01T03:00:00Z');

describe(`who Loa has seen (${backend})`, () => {
  let db: Db;
  before(async () => {
    db = await freshDb();
    await registerGroup(db, { id: -100, type: 'supergroup', title: 'Chi đoàn A' }, t0);
  });
  after(() => closeDb(db));

  const membership = (userId: number) =>
    db
      .selectFrom('memberships')
      .selectAll()
      .where('chat_id', '=', -100)
      .where('user_id', '=', userId)
      .executeTakeFirst();

  it('writes a new member and their name, both rows', async () => {
    await seeMember(db, -100, { id: 1, first_name: 'Lan', username: 'lan', language_code: 'vi' }, 'member', t0);
    const user = await getUser(db, 1);
    assert.equal(user?.first_name, 'Lan');
    assert.equal(user?.username, 'lan');
    assert.equal(user?.language_code, 'vi');
    const row = await membership(1);
    assert.equal(row?.status, 'member');
    assert.equal(row?.first_seen_at, t0.toISOString());
    assert.equal(row?.last_seen_at, t0.toISOString());
  });

  it('keeps a known member current: new name, new status, first seen kept, and their other fields untouched', async () => {
    await db.updateTable('users').set({ locale: 'en', started: 1 }).where('id', '=', 1).execute();
    await seeMember(db, -100, { id: 1, first_name: 'Lan Anh' }, 'administrator', t1);
    const user = await getUser(db, 1);
    assert.equal(user?.first_name, 'Lan Anh');
    assert.equal(user?.username, null, 'a name Telegram no longer gives is cleared');
    assert.equal(user?.locale, 'en', 'her language choice stays');
    assert.equal(user?.started, true, 'and that she started the bot');
    const row = await membership(1);
    assert.equal(row?.status, 'administrator');
    assert.equal(row?.first_seen_at, t0.toISOString());
    assert.equal(row?.last_seen_at, t1.toISOString());
  });

  it('writes a member of a group Loa does not know nowhere (the membership needs its group)', async () => {
    await assert.rejects(seeMember(db, -999, { id: 2, first_name: 'Minh' }, 'member', t0));
    assert.equal(await getUser(db, 2), undefined, 'nothing half written');
  });

  it('touchGroup with the row read earlier in the update: keeps the title current, reads nothing again', async () => {
    const known = await getChat(db, -100);
    assert.ok(known);
    const touched = await touchGroup(
      db,
      { id: -100, type: 'supergroup', title: 'Chi đoàn A mới' },
      t1,
      'allowed',
      known,
    );
    assert.deepEqual(touched, { active: true, admission: known.admission, isNew: false });
    assert.equal((await getChat(db, -100))?.title, 'Chi đoàn A mới');
  });

  it('touchGroup never reactivates a group the bot has left, with or without the row given', async () => {
    await deactivateChat(db, -100, t1);
    const known = await getChat(db, -100);
    for (const given of [known, undefined]) {
      const touched = await touchGroup(db, { id: -100, type: 'supergroup', title: 'Chi đoàn A' }, t1, 'allowed', given);
      assert.equal(touched.active, false);
      assert.equal((await getChat(db, -100))?.active, false);
    }
  });

  it('touchGroup registers a new group once when two updates of it arrive together', async () => {
    const chat = { id: -300, type: 'supergroup', title: 'Chi đoàn C' } as const;
    const both = await Promise.all([touchGroup(db, chat, t1, 'waiting'), touchGroup(db, chat, t1, 'waiting')]);
    assert.deepEqual(
      both.map((t) => t.isNew),
      [true, false],
      'one of them registered it (and tells the owners)',
    );
    assert.deepEqual(
      both.map((t) => [t.active, t.admission]),
      [
        [true, 'waiting'],
        [true, 'waiting'],
      ],
    );
  });

  it('touchGroup registers a group it has no row of, with the admission given', async () => {
    const touched = await touchGroup(db, { id: -200, type: 'group', title: 'Chi đoàn B' }, t1, 'waiting');
    assert.deepEqual(touched, { active: true, admission: 'waiting', isNew: true });
    assert.equal((await getChat(db, -200))?.admission, 'waiting');
  });
});
