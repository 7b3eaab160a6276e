import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, migrate, type Db, type Executor } from '../../src/db/index.ts';
import { committedTogether } from '../../src/db/group-commit.ts';
import { recordAction } from '../../src/domain/records.ts';
import { databaseUrlFor, tempDir } from '../support/bot-process.ts';

// Writes arriving together share one commit; each caller hears back only after it, and one failing write
// fails alone. Run on a database file (or PostgreSQL schema) with a second connection reading beside it.

const at = '2026-11-29T03:00:00.000Z';
const SCORING = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 1_000_000, timezone: 'UTC' };

describe('committing writes together', () => {
  let db: Db;
  let other: Db;
  before(async () => {
    const url = databaseUrlFor(tempDir('loa-group-'));
    db = createDb(url);
    await migrate(db);
    other = createDb(url);
    await db
      .insertInto('chats')
      .values({
        id: -1,
        type: 'supergroup',
        title: 'G',
        active: 1,
        locale: null,
        joined_at: at,
        updated_at: at,
        migrated_to: null,
      })
      .execute();
    await db
      .insertInto('users')
      .values(Array.from({ length: 20 }, (_, i) => ({ id: i + 1, first_name: `U${i + 1}`, updated_at: at })))
      .execute();
  });
  after(async () => {
    await other.destroy();
    await db.destroy();
  });

  const insertUser = (id: number) => (tx: Executor) =>
    tx
      .insertInto('users')
      .values({ id, first_name: `N${id}`, updated_at: at })
      .execute()
      .then(() => id);
  const seenByOther = async (ids: number[]) =>
    (await other.selectFrom('users').select('id').where('id', 'in', ids).execute()).length;

  it('writes queued in one turn run in one transaction, and each caller resumes after the commit', async () => {
    const inTx: boolean[] = [];
    const ids = [101, 102, 103, 104, 105];
    const visibleWhenAnswered: number[] = [];
    await Promise.all(
      ids.map((id) =>
        committedTogether(db, async (tx) => {
          inTx.push(tx.isTransaction);
          return insertUser(id)(tx);
        }).then(async () => visibleWhenAnswered.push(await seenByOther([id]))),
      ),
    );
    assert.deepEqual(inTx, [true, true, true, true, true], 'one transaction for the group');
    assert.deepEqual(visibleWhenAnswered, [1, 1, 1, 1, 1], 'committed before any caller resumed');
  });

  it('a write alone runs without a transaction of its own', async () => {
    let wasTx: boolean | undefined;
    await committedTogether(db, async (tx) => {
      wasTx = tx.isTransaction;
      return insertUser(106)(tx);
    });
    assert.equal(wasTx, false);
    assert.equal(await seenByOther([106]), 1);
  });

  it('one failing write fails alone; the others of its group are committed', async () => {
    const results = await Promise.allSettled(
      [insertUser(201), insertUser(101) /* exists: fails */, insertUser(202)].map((w) => committedTogether(db, w)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(await seenByOther([201, 202]), 2);
  });

  it('inside a caller’s transaction the write runs there, and rolls back with it', async () => {
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await committedTogether(tx, insertUser(301));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await seenByOther([301]), 0);
  });

  it('presses arriving together: each recorded once, a repeat in the same group found as a duplicate', async () => {
    const press = (userId: number, kind: 'shared' | 'rebutted', link: string) =>
      recordAction(db, { userId, chatId: -1, articleId: undefined, kind, link }, SCORING, new Date(at));
    const results = await Promise.all([
      press(1, 'rebutted', 'https://s.example/1'),
      press(2, 'rebutted', 'https://s.example/2'),
      press(1, 'rebutted', 'https://s.example/1'),
      press(3, 'shared', 'https://s.example/3'),
    ]);
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.reason)),
      ['ok', 'ok', 'duplicate', 'ok'],
    );
    const rows = await other.selectFrom('records').select(['user_id', 'points']).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [Number(r.user_id), Number(r.points)]),
      [
        [1, 2],
        [2, 2],
        [3, 1],
      ],
    );
  });
});
