import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDailyPush } from '../../src/jobs/push.ts';
import { createHarness, ownersArticle, lastTextTo, people, textsTo, type Harness } from '../support/harness.ts';
import type { SentMessage, TgUser } from '../support/fake-telegram.ts';

// What a member can count, and where: records cross no group, a press makes nobody a member, and the things that
// cost the bot (rebuttals with a fresh link, presses, proposals) have a limit.

const { owner, leader, otherLeader, alice, bình } = people;
const A = -8001;
const B = -8002;
const outsider: TgUser = { id: 6101, first_name: 'Người', last_name: 'Ngoài', language_code: 'vi' };
const silent: TgUser = { id: 6102, first_name: 'Im', last_name: 'Lặng', language_code: 'vi' };
const chi: TgUser = { id: 6103, first_name: 'Chi', language_code: 'vi' };
const dung: TgUser = { id: 6104, first_name: 'Dũng', language_code: 'en' };

const rows = (h: Harness, userId: number) =>
  h.db.selectFrom('records').selectAll().where('user_id', '=', userId).orderBy('id').execute();
const membership = (h: Harness, chatId: number, userId: number) =>
  h.db
    .selectFrom('memberships')
    .select('status')
    .where('chat_id', '=', chatId)
    .where('user_id', '=', userId)
    .executeTakeFirst();

describe('records, membership and limits', () => {
  let h: Harness;
  let pushA: SentMessage;
  let forAll: number;
  let forB: number;
  let tomorrow: number;
  before(async () => {
    h = await createHarness();
    h.tg.addGroup(A, 'Chi đoàn A', [leader]);
    h.tg.addGroup(B, 'Chi đoàn B bí mật', [otherLeader]);
    for (const u of [owner, leader, alice, bình, outsider, chi, dung]) h.tg.send('private', u, '/start');
    h.tg.send(h.tg.chatOf(A), bình, 'chào cả nhà');
    h.tg.send(h.tg.chatOf(A), chi, 'chào');
    await h.deliver();
    const post = async (n: string, scope: number | undefined, day: string) =>
      (await ownersArticle(h, `https://news.example/${n}`, `Bài ${n}`, day, scope)).id;
    forAll = await post('chung', undefined, '2026-11-30');
    forB = await post('riêng-B', B, '2026-11-30');
    tomorrow = await post('ngày-mai', undefined, '2026-12-01');
    await runDailyPush(h.deps);
    await h.deliver();
    pushA = h.tg.messagesTo(A).at(-1)!;
  });
  after(() => h.close());

  it("another group's article, tomorrow's, a missing one: the same 'no such article', and nothing recorded", async () => {
    const group = h.tg.chatOf(A);
    const answers: string[] = [];
    for (const id of [forB, tomorrow, 987654]) {
      h.tg.send(group, bình, `/shared ${id}`);
      await h.deliver();
      answers.push(lastTextTo(h.tg, bình.id).replace(String(id), 'N'));
    }
    assert.equal(new Set(answers).size, 1, answers.join(' | '));
    assert.match(answers[0]!, /^Không có bài #N\./);
    // A forged press under A's push, for B's article: the same toast as for a missing id.
    h.tg.press(pushA, bình, `rec:s:${forB}`);
    h.tg.press(pushA, bình, 'rec:s:987654');
    await h.deliver();
    const [forged, missing] = h.tg.callbackAnswers.slice(-2).map((a) => a.text!.replace(/#\d+/, '#N'));
    assert.equal(forged, missing);
    assert.deepEqual(await rows(h, bình.id), []);
    // A's summary knows nothing of B's article.
    h.tg.send(h.tg.chatOf(A), leader, '/summary');
    await h.deliver();
    assert.doesNotMatch(lastTextTo(h.tg, leader.id), /bí mật|riêng-B/);
    assert.match(lastTextTo(h.tg, leader.id), /Chi đoàn A/);
  });

  it('/rebutted <id> <link> after 🛡 adds the link to that rebuttal, with no extra points', async () => {
    h.tg.press(pushA, alice, `rec:r:${forAll}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, new RegExp(`/rebutted ${forAll} <link>`));
    h.tg.send(h.tg.chatOf(A), alice, `/rebutted ${forAll} https://fb.example/alice/1`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /link is added to your rebuttal .*article #\d+.*no extra points/);
    const mine = await rows(h, alice.id);
    assert.deepEqual(
      mine.map((r) => [r.kind, Number(r.article_id), r.link, r.points]),
      [['rebutted', forAll, 'https://fb.example/alice/1', 2]],
    );
  });

  it('rebuttals without an article: points for the first 10 of the day, the rest kept and the member told', async () => {
    for (let n = 1; n <= 11; n++) h.tg.send(h.tg.chatOf(A), chi, `/rebutted https://fb.example/chi/${n}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, chi.id), /không được tính điểm: mỗi ngày chỉ 10 lượt/);
    const mine = await rows(h, chi.id);
    assert.equal(mine.length, 11);
    assert.deepEqual(
      mine.map((r) => r.points),
      [...Array(10).fill(2), 0],
    );
    h.tg.send('private', chi, '/me');
    await h.deliver();
    assert.match(lastTextTo(h.tg, chi.id), /Tuần này: 0 lượt chia sẻ, 10 lượt phản bác, <?b?>?20<?\/?b?>? điểm/);
  });

  it('a press by someone not in the group records nothing and makes no member; a member who left stays left', async () => {
    h.tg.setMemberStatus(A, outsider.id, 'left');
    h.tg.press(pushA, outsider, `rec:s:${forAll}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Chỉ thành viên của nhóm mới dùng được các nút này/);
    assert.deepEqual(await rows(h, outsider.id), []);
    assert.equal(await membership(h, A, outsider.id), undefined);
    // Without a membership, the group's leaderboard stays closed to them in private.
    h.tg.send('private', outsider, '/top');
    await h.deliver();
    assert.match(lastTextTo(h.tg, outsider.id), /Vui lòng gửi lệnh này trong nhóm/);
    // Bình leaves A; Telegram says so; a press does not bring them back.
    h.tg.enqueue({
      message: { message_id: 9000, from: bình, chat: h.tg.chatOf(A), date: 0, left_chat_member: bình },
    });
    h.tg.setMemberStatus(A, bình.id, 'left');
    await h.deliver();
    h.tg.press(pushA, bình, `rec:s:${forAll}`);
    await h.deliver();
    assert.equal((await membership(h, A, bình.id))?.status, 'left');
    assert.deepEqual(await rows(h, bình.id), []);
  });

  it('a member who never wrote is asked about of Telegram once, then recorded as Telegram says', async () => {
    h.tg.press(pushA, silent, `rec:s:${forAll}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Đã ghi nhận/);
    assert.equal((await membership(h, A, silent.id))?.status, 'member');
    const asked = h.tg.callsOf('getChatMember').filter((c) => Number(c.payload.user_id) === silent.id).length;
    h.tg.press(pushA, silent, `rec:r:${forAll}`);
    await h.deliver();
    assert.equal(h.tg.callsOf('getChatMember').filter((c) => Number(c.payload.user_id) === silent.id).length, asked);
  });

  it('presses are limited per member like commands: past 20 in 10 s, a short toast and nothing recorded', async () => {
    h.tickMs = 10;
    try {
      const before = h.tg.callbackAnswers.length;
      for (let n = 0; n < 25; n++) h.tg.press(pushA, chi, 'rec:s:987654');
      h.tg.press(pushA, chi, `rec:s:${forAll}`);
      await h.deliver();
      const answers = h.tg.callbackAnswers.slice(before).map((a) => a.text);
      assert.equal(answers.length, 26, 'every press answered');
      assert.equal(answers.filter((t) => /bấm quá nhanh/.test(t ?? '')).length, 6);
      assert.equal((await rows(h, chi.id)).filter((r) => r.kind === 'shared').length, 0);
      assert.ok(h.logs.some((l) => /flooding buttons/.test(l)));
    } finally {
      h.tickMs = 600;
    }
  });

  it('/submit: members of a served group only, SUBMISSIONS_PER_DAY a day; owners unlimited', async () => {
    h.tg.send('private', outsider, '/submit https://spam.example/1');
    await h.deliver();
    assert.match(lastTextTo(h.tg, outsider.id), /Chỉ thành viên các nhóm Loa đang phục vụ/);
    for (let n = 1; n <= 6; n++) h.tg.send('private', dung, `/submit https://dung.example/${n}`);
    await h.deliver();
    const said = textsTo(h.tg, dung.id).slice(-6);
    assert.equal(
      said.filter((t) => /Thank you! Your proposal is article/.test(t)).length,
      0,
      'Dũng is in no group yet',
    );
    h.tg.send(h.tg.chatOf(A), dung, 'hello');
    await h.deliver();
    for (let n = 1; n <= 6; n++) h.tg.send('private', dung, `/submit https://dung.example/${n}`);
    await h.deliver();
    const answers = textsTo(h.tg, dung.id).filter((t) => /proposal/.test(t));
    assert.equal(answers.filter((t) => /Your proposal is article/.test(t)).length, 5);
    assert.match(answers.at(-1)!, /You have sent 5 proposals today, the most allowed in a day/);
    const proposed = await h.db.selectFrom('articles').select('id').where('proposed_by', '=', dung.id).execute();
    assert.equal(proposed.length, 5);
    // The next local day (07:00 in Ho Chi Minh City), again.
    h.clock.now = new Date('2026-12-01T00:00:00Z');
    h.tg.send('private', dung, '/submit https://dung.example/7');
    await h.deliver();
    assert.match(lastTextTo(h.tg, dung.id), /Your proposal is article/);
    for (let n = 1; n <= 7; n++) h.tg.send('private', owner, `/submit https://owner.example/${n}`);
    await h.deliver();
    assert.equal(
      (
        await h.db
          .selectFrom('articles')
          .select('id')
          .where('proposed_by', '=', owner.id)
          .where('state', '=', 'pending')
          .execute()
      ).length,
      7,
    );
  });
});
