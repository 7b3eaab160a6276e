import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createHarness, ownersArticle, people, type Harness } from '../support/harness.ts';
import { runDailyPush } from '../../src/jobs/push.ts';
import type { SentMessage, TgUser } from '../support/fake-telegram.ts';
import { backend } from '../support/database.ts';

// The database refusing writes at run time (a full disk, simulated with SQLite's max_page_count): the one
// operation fails with a logged error and a polite answer; nothing claims to be recorded that was not.

const { owner, leader } = people;
const G = -9701;

// SQLite's page limit is the simulation; PostgreSQL's full disk is out of a test's reach.
describe(
  'a full database at run time',
  { skip: backend === 'postgres' ? 'SQLite only (max_page_count)' : false },
  () => {
    let h: Harness;
    let push: SentMessage;
    before(async () => {
      h = await createHarness();
      h.tg.addGroup(G, 'Nhóm đầy', [leader]);
      h.tg.send('private', owner, '/start');
      await h.deliver();
      await ownersArticle(h, 'https://news.example/full', 'Đầy');
      await runDailyPush(h.deps);
      push = h.tg.messagesTo(G).at(-1)!;
    });
    after(() => h.close());

    it('a press that cannot be stored is answered with an apology, logged, and not counted', async () => {
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(h.db);
      await sql.raw(`pragma max_page_count = ${pages.rows[0]!.page_count}`).execute(h.db);
      const members: TgUser[] = Array.from({ length: 400 }, (_, i) => ({
        id: 70_000 + i,
        first_name: `Đầy ${i}`,
        last_name: 'x'.repeat(200),
      }));
      for (const m of members) h.tg.press(push, m, push.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
      await h.deliver();
      const apologies = h.tg.callbackAnswers.filter((a) => /Loa gặp lỗi/.test(a.text ?? ''));
      const recordedToasts = h.tg.callbackAnswers.filter((a) => /Đã ghi nhận bạn chia sẻ bài/.test(a.text ?? ''));
      assert.ok(apologies.length > 0, 'some presses hit the full database');
      const stored = await h.db.selectFrom('records').select('user_id').execute();
      assert.equal(stored.length, recordedToasts.length, 'every "recorded" answer is a stored record, and no more');
      assert.ok(
        h.logs.some((l) => /database or disk is full/.test(l) && /"updateId":\d+/.test(l)),
        `the failure is logged with its update id: ${h.logs
          .filter((l) => /"level":50/.test(l))
          .slice(0, 2)
          .join('\n')
          .slice(0, 1500)}`,
      );
      // Space again: the same members can record.
      await sql.raw('pragma max_page_count = 1073741823').execute(h.db);
      h.tg.press(push, members.at(-1)!, push.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
      await h.deliver();
      assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Đã ghi nhận/);
    });
  },
);
