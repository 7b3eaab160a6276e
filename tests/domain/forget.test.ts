import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../src/db/index.ts';
import { migrate } from '../../src/db/index.ts';
import { createSqliteDb } from '../../src/db/sqlite.ts';
import { postArticle, submitArticle } from '../../src/domain/articles.ts';
import { registerGroup, seeMember, seeUser } from '../../src/domain/chats.ts';
import { forgetMember } from '../../src/domain/forget.ts';
import { recordAction } from '../../src/domain/records.ts';
import { backend, freshDb } from '../support/database.ts';
import { tempDir } from '../support/bot-process.ts';

// `npm run forget`: nothing of the member left in any table, nor in the bytes of the SQLite files.

const ID = 770_000_123;
const NAME = 'Zyxwvutsrq';
const LINK = 'https://qwertyuiop.example/forget-me';
const now = new Date('2026-11-30T03:00:00Z');
const scoring = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: 'Asia/Ho_Chi_Minh' };
const tables = [
  'chats',
  'users',
  'memberships',
  'articles',
  'records',
  'job_runs',
  'group_pushes',
  'push_items',
  'weekly_summaries',
  'report_deliveries',
  'processed_updates',
  'job_leases',
  'send_budget',
] as const;

async function seed(db: Db): Promise<void> {
  await registerGroup(db, { id: -10, type: 'supergroup', title: 'A' }, now);
  await seeUser(db, { id: 1, first_name: 'Owner' }, now);
  await seeMember(db, -10, { id: ID, first_name: NAME, username: `${NAME}_u` }, 'member', now);
  await seeMember(db, -10, { id: 2, first_name: 'Other' }, 'member', now);
  const a = await postArticle(
    db,
    { url: 'https://x.org/1', title: 'One', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
    '2026-11-30',
    now,
  );
  assert.ok(a.ok);
  await recordAction(db, { userId: ID, chatId: -10, articleId: a.article.id, kind: 'shared' }, scoring, now);
  await recordAction(
    db,
    { userId: ID, chatId: undefined, articleId: undefined, kind: 'rebutted', link: LINK, note: NAME },
    scoring,
    now,
  );
  // A proposal in private (its chat is the member's own id), one decided by them.
  await submitArticle(
    db,
    { url: 'https://x.org/p', title: 'P', proposedBy: ID, proposedIn: ID, scopeChatId: undefined },
    now,
  );
  await db.updateTable('articles').set({ decided_by: ID }).where('id', '=', a.article.id).execute();
  // A roll-up sent to them in private, their private chat's send pacing, a weekly summary naming them.
  await db
    .insertInto('report_deliveries')
    .values({ kind: 'rollup', period: '2026-W48', chat_id: ID, status: 'sent', claimed_at: 'x', sent_at: 'x' })
    .execute();
  await db
    .insertInto('send_budget')
    .values({ key: `p${ID}`, tat: 1 })
    .execute();
  await db
    .insertInto('weekly_summaries')
    .values({
      chat_id: -10,
      week: '2026-W48',
      data: JSON.stringify({ top: [{ userId: ID, firstName: NAME, lastName: null, username: null }] }),
      created_at: 'x',
    })
    .execute();
}

/** Every row of every table, as text: the member's id and name must appear nowhere. */
async function everything(db: Db): Promise<string> {
  const out: string[] = [];
  for (const t of tables)
    out.push(JSON.stringify(await sql`select * from ${sql.table(t)}`.execute(db).then((r) => r.rows)));
  return out.join('\n');
}

describe('forgetting a member', () => {
  it('leaves no trace of them in any table', async () => {
    const db = await freshDb();
    await seed(db);
    assert.match(await everything(db), new RegExp(`${ID}|${NAME}`));
    const done = await forgetMember(db, ID);
    assert.deepEqual([done.records, done.memberships, done.user, done.scrubbed], [2, 1, true, true]);
    const left = await everything(db);
    assert.doesNotMatch(left, new RegExp(String(ID)));
    assert.doesNotMatch(left, new RegExp(NAME));
    assert.doesNotMatch(left, /qwertyuiop/);
    // Others keep theirs.
    assert.match(left, /"first_name":"Other"/);
    await db.destroy();
  });

  it('SQLite: the deleted rows are erased from the database file and its WAL, not left in free pages', async (t) => {
    if (backend !== 'sqlite') return t.skip('a SQLite file test');
    const file = path.join(tempDir(), 'loa.sqlite');
    const db = createSqliteDb(file);
    await migrate(db);
    await seed(db);
    const bytes = () =>
      Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    assert.ok(bytes().includes(NAME), 'the name is in the files before');
    await forgetMember(db, ID);
    // While open (the bot may be running), and after closing.
    assert.equal(bytes().includes(NAME), false, 'the name is gone from the files');
    assert.equal(bytes().includes('qwertyuiop'), false, 'the link too');
    await db.destroy();
    assert.equal(bytes().includes(NAME), false);
  });
});
