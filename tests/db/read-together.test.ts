import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db, Executor } from '../../src/db/index.ts';
import { getArticle, postArticle } from '../../src/domain/articles.ts';
import { readTogether } from '../../src/db/read-together.ts';
import { getChat, getUser, membershipStatus, registerGroup, seeMember } from '../../src/domain/chats.ts';
import { backend, closeDb, counting, freshDb } from '../support/database.ts';

// The reads every update makes, coalesced on PostgreSQL when updates are handled side by side outside a
// transaction (presses); alone inside a transaction and on SQLite.

describe('reads together', () => {
  let db: Db;
  before(async () => {
    db = await freshDb();
    const now = new Date('2026-12-01T00:00:00Z');
    for (const id of [-1, -2, -3]) await registerGroup(db, { id, type: 'supergroup', title: `G${-id}` }, now);
  });
  after(() => closeDb(db));

  /** A read of chats by id that counts how it was asked; a part asking for -99 fails on the server. */
  function countedRead() {
    const calls = { one: 0, many: [] as number[][] };
    const read = readTogether(
      async (ex: Executor, id: number) => {
        calls.one += 1;
        if (id === -99) throw new Error('the statement failed');
        return ex.selectFrom('chats').select(['id', 'title']).where('id', '=', id).execute();
      },
      (ids: number[]) => {
        calls.many.push(ids);
        return ids.includes(-99)
          ? sql`select 'x' as key, (1 / 0)::text::jsonb as row`
          : sql`select c.id::text as key, jsonb_build_object('id', c.id, 'title', c.title) as row
              from chats c where c.id = any(${ids}::bigint[])`;
      },
      String,
    );
    return { read, calls };
  }

  it('reads of one turn: one statement on PostgreSQL, each its own on SQLite; every caller gets its own rows', async () => {
    const { read, calls } = countedRead();
    const rows = await Promise.all([read(db, -1), read(db, -2), read(db, -1), read(db, -404)]);
    assert.deepEqual(
      rows.map((r) => r.map((c) => c.title)),
      [['G1'], ['G2'], ['G1'], []],
    );
    if (backend === 'postgres') {
      assert.equal(calls.one, 0);
      assert.deepEqual(calls.many, [[-1, -2, -404]], 'one statement, each id once');
    } else {
      assert.equal(calls.one, 4);
      assert.deepEqual(calls.many, []);
    }
  });

  it('different reads of one turn (chat, sender, membership, article) share one statement, with the rows each reads alone', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    await seeMember(db, -1, { id: 7, first_name: 'Lan', username: 'lan' }, 'member', now);
    const article = await postArticle(
      db,
      { url: 'https://example.org/a', title: 'Bài', proposedBy: 7, proposedIn: -1, scopeChatId: undefined },
      '2026-12-01',
      now,
    );
    assert.equal(article.ok, true);
    const id = article.ok ? article.article.id : 0;
    const readAll = (ex: Executor) =>
      Promise.all([getChat(ex, -1), getUser(ex, 7), membershipStatus(ex, -1, 7), getArticle(ex, id), getChat(ex, -2)]);
    const alone = await db.transaction().execute((tx) => readAll(tx));
    const { db: counted, statements } = counting(db);
    const together = await readAll(counted);
    assert.deepEqual(together, alone);
    assert.equal(together[2], 'member');
    assert.equal(together[3]?.id, id);
    assert.equal(statements(), backend === 'postgres' ? 1 : 5);
  });

  it('inside a transaction, and alone in its turn, a read runs by itself', async () => {
    const { read, calls } = countedRead();
    await db.transaction().execute(async (tx) => {
      await Promise.all([read(tx, -1), read(tx, -2)]);
    });
    assert.equal(calls.one, 2);
    assert.deepEqual(
      (await read(db, -3)).map((c) => c.title),
      ['G3'],
    );
    assert.equal(calls.one, 3);
    assert.deepEqual(calls.many, []);
  });

  it('a failed statement: each key is read alone, so only the read that fails alone fails its callers', async (t) => {
    if (backend !== 'postgres') return t.skip('PostgreSQL only (run with TEST_DATABASE_URL)');
    const { read, calls } = countedRead();
    const results = await Promise.allSettled([read(db, -1), read(db, -99), read(db, -1)]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.map((c) => c.title) : 'failed')),
      [['G1'], 'failed', ['G1']],
    );
    assert.deepEqual(calls.many, [[-1, -99]]);
    assert.equal(calls.one, 2, 'then each key alone');
    assert.deepEqual((await Promise.all([read(db, -1), read(db, -2)])).flat().length, 2);
  });

  it('the chat every update reads, coalesced the same way', async () => {
    const chats = await Promise.all([getChat(db, -1), getChat(db, -2), getChat(db, -5)]);
    assert.deepEqual(
      chats.map((c) => c?.title),
      ['G1', 'G2', undefined],
    );
  });
});
