import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inTransaction, type Db } from '../../src/db/index.ts';
import { prepared } from '../../src/db/prepared.ts';
import { closeDb, freshDb } from '../support/database.ts';

// Queries compiled once and run with new arguments must give what the same query built anew gives.

describe('prepared queries', () => {
  let db: Db;
  before(async () => {
    db = await freshDb();
    const at = '2026-11-29T00:00:00.000Z';
    await db
      .insertInto('users')
      .values([1, 2, 3].map((id) => ({ id, first_name: `U${id}`, locale: id === 2 ? 'en' : null, updated_at: at })))
      .execute();
  });
  after(() => closeDb(db));

  it('runs with each call’s arguments, keeping the query’s own constants', async () => {
    const named = prepared((d, id: number, name: string) =>
      d
        .selectFrom('users')
        .select(['id', 'first_name'])
        .where('id', '=', id)
        .where('first_name', '=', name)
        .where('started', '=', 0),
    );
    for (const id of [1, 2, 3, 4]) {
      const expected = await db
        .selectFrom('users')
        .select(['id', 'first_name'])
        .where('id', '=', id)
        .where('first_name', '=', `U${id}`)
        .where('started', '=', 0)
        .execute();
      const rows = await named(db, id, `U${id}`);
      assert.deepEqual(
        rows.map((r) => [Number(r.id), r.first_name]),
        expected.map((r) => [Number(r.id), r.first_name]),
      );
      assert.equal(rows.length, id <= 3 ? 1 : 0);
    }
    assert.deepEqual(await named(db, 1, 'U2'), []);
  });

  it('an argument used twice, and arguments in another order than the query’s', async () => {
    const q = prepared((d, name: string, id: number) =>
      d
        .selectFrom('users')
        .select('id')
        .where((eb) => eb.or([eb('first_name', '=', name), eb('last_name', '=', name)]))
        .where('id', '>=', id)
        .orderBy('id'),
    );
    assert.deepEqual(
      (await q(db, 'U2', 1)).map((r) => Number(r.id)),
      [2],
    );
    assert.deepEqual(
      (await q(db, 'U3', 1)).map((r) => Number(r.id)),
      [3],
    );
    assert.deepEqual(await q(db, 'U1', 2), []);
  });

  it('writes, returns, and runs inside the caller’s transaction (rolled back with it)', async () => {
    const rename = prepared((d, id: number, name: string) =>
      d.updateTable('users').set({ first_name: name }).where('id', '=', id).returning(['id', 'first_name']),
    );
    const [row] = await rename(db, 3, 'Ba');
    assert.equal(row!.first_name, 'Ba');
    await assert.rejects(
      inTransaction(db, async (tx) => {
        await rename(tx, 3, 'Bốn');
        assert.equal(
          (await tx.selectFrom('users').select('first_name').where('id', '=', 3).executeTakeFirstOrThrow()).first_name,
          'Bốn',
        );
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(
      (await db.selectFrom('users').select('first_name').where('id', '=', 3).executeTakeFirstOrThrow()).first_name,
      'Ba',
    );
  });

  it('refuses a builder that uses an argument to shape the query instead of as a value', async () => {
    const shaped = prepared((d, id: number, withLocale: boolean) => {
      const q = d.selectFrom('users').selectAll().where('id', '=', id);
      return withLocale ? q.where('locale', 'is not', null) : q;
    });
    await assert.rejects(shaped(db, 2, true), /argument 1 does not reach the query/);
  });
});
