import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, lastTextTo, ownersArticle, people, textsTo, type Harness } from '../support/harness.ts';
import { runWeeklySummary } from '../../src/jobs/reports.ts';
import { recordAction } from '../../src/domain/records.ts';

const { owner, leader, alice, bình } = people;
const G = -7001;
const OTHER = -7002;
const DAY = 24 * 3600_000;

/** What the bot said to a chat since a mark. */
function saidSince(h: Harness, chatId: number, mark: number): string {
  return textsTo(h.tg, chatId).slice(mark).join('\n---\n');
}

describe('campaigns, closing articles, coverage and targets', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness(); // Monday 30 November 2026, 09:00 in Ho Chi Minh City
    h.tg.addGroup(G, 'Chi đoàn 7', [leader]);
    h.tg.addGroup(OTHER, 'Chi đoàn 8', []);
    for (const u of [leader, owner, alice]) h.tg.send('private', u, '/start');
    for (const u of [leader, alice, bình]) h.tg.send(h.tg.chatOf(G), u, 'chào cả nhà');
    await h.deliver();
  });
  after(() => h.close());

  it('a leader sets up a campaign, posts into it, and its leaderboard counts only its articles', async () => {
    h.tg.send(h.tg.chatOf(G), leader, '/campaign new Tet2027 30/11 14/12');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Đã tạo chiến dịch #Tet2027 cho nhóm «Chi đoàn 7», 30\/11\/2026 – 14\/12\/2026/);

    h.tg.send(h.tg.chatOf(G), leader, '/post https://news.example/tet Mừng xuân #tet2027');
    await h.deliver();
    const said = textsTo(h.tg, G).slice(-3).join('\n');
    assert.match(said, /Đã thêm bài #\d+ vào chiến dịch #Tet2027/);
    const inCampaign = Number(/Đã thêm bài #(\d+) cho ngày/.exec(said)![1]);
    const outside = await ownersArticle(h, 'https://news.example/other', 'Bài khác');

    const now = h.clock.now;
    await recordAction(h.db, { userId: alice.id, chatId: G, articleId: inCampaign, kind: 'shared' }, h.config, now);
    await recordAction(h.db, { userId: bình.id, chatId: G, articleId: outside.id, kind: 'shared' }, h.config, now);
    await recordAction(h.db, { userId: bình.id, chatId: G, articleId: outside.id, kind: 'rebutted' }, h.config, now);

    h.tg.send(h.tg.chatOf(G), alice, '/leaderboard #TET2027');
    await h.deliver();
    const board = lastTextTo(h.tg, G);
    assert.match(board, /Bảng xếp hạng #Tet2027/);
    assert.match(board, /Alice/);
    assert.doesNotMatch(board, /Bình/, 'Bình acted only on an article outside the campaign');

    h.tg.send(h.tg.chatOf(G), alice, '/leaderboard week');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Bình/);

    const mark = textsTo(h.tg, leader.id).length;
    h.tg.send('private', leader, '/summary #tet2027');
    await h.deliver();
    const summary = saidSince(h, leader.id, mark);
    assert.match(summary, /Tổng kết — Chi đoàn 7\n#Tet2027 · 30\/11\/2026/);
    assert.match(summary, /Tham gia: 1\/3 thành viên/);
    assert.doesNotMatch(summary, /so với tuần trước/, 'a campaign is not compared with a week');

    h.tg.send('private', leader, '/export #tet2027');
    await h.deliver();
    const doc = h.tg.messages.filter((m) => m.method === 'sendDocument').at(-1);
    const csv = doc!.document!.bytes.toString('utf8');
    assert.match(csv, /Alice/);
    assert.doesNotMatch(csv, /Bình/);
  });

  it('a campaign’s name is checked, unknown names are said so, and members cannot change campaigns', async () => {
    const mark = textsTo(h.tg, alice.id).length;
    h.tg.send(h.tg.chatOf(G), alice, '/campaign new lau');
    h.tg.send(h.tg.chatOf(G), leader, '/summary #khongco');
    h.tg.send(h.tg.chatOf(G), leader, '/post https://news.example/x Tiêu đề #khongco');
    await h.deliver();
    assert.match(saidSince(h, alice.id, mark), /Only this group’s admins/, 'in her own language');
    const toLeader = textsTo(h.tg, leader.id).slice(-2).join('\n');
    assert.match(toLeader, /Không tìm thấy chiến dịch #khongco/);
    const posted = await h.db.selectFrom('articles').select('id').where('url', '=', 'https://news.example/x').execute();
    assert.equal(posted.length, 0, 'nothing is posted when its campaign does not exist');

    h.tg.send(h.tg.chatOf(G), leader, '/campaign new tet2027');
    h.tg.send(h.tg.chatOf(G), leader, '/campaign new tết/2027');
    await h.deliver();
    const answers = textsTo(h.tg, leader.id).slice(-2).join('\n');
    assert.match(answers, /Đã có chiến dịch mang tên #Tet2027/);
    assert.match(answers, /Tên chiến dịch viết liền/);

    h.tg.send(h.tg.chatOf(G), alice, '/campaign');
    await h.deliver();
    assert.match(
      lastTextTo(h.tg, G),
      /🚩 #Tet2027 — 30\/11\/2026 – 14\/12\/2026 · đang diễn ra · 1 bài · nhóm «Chi đoàn 7»/,
    );
  });

  it('a press on an article past its window answers “closed” and records nothing', async () => {
    const old = await ownersArticle(h, 'https://news.example/old', 'Bài cũ', '2026-11-20');
    // A message of Loa's still carrying the old article's buttons, as the push of 20 November did.
    const message = {
      ...h.tg.messagesTo(G).at(-1)!,
      reply_markup: { inline_keyboard: [[{ text: '✅', callback_data: `rec:s:${old.id}` }]] },
    };
    h.tg.press(message, bình, `rec:s:${old.id}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Bài #\d+ chỉ được ghi nhận đến hết ngày 27\/11\/2026/);
    h.tg.send(h.tg.chatOf(G), bình, `/shared ${old.id}`);
    await h.deliver();
    const rows = await h.db.selectFrom('records').select('id').where('article_id', '=', old.id).execute();
    assert.equal(rows.length, 0);
  });

  it('ending a campaign closes its articles after its last day', async () => {
    h.tg.send(h.tg.chatOf(G), leader, '/campaign end tet2027');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Đã kết thúc chiến dịch #Tet2027, ngày cuối là 30\/11\/2026/);
    const campaignArticle = await h.db
      .selectFrom('articles')
      .select('id')
      .where('url', '=', 'https://news.example/tet')
      .executeTakeFirstOrThrow();
    const saved = h.clock.now;
    h.clock.now = new Date(saved.getTime() + DAY);
    h.tg.send(h.tg.chatOf(G), bình, `/shared ${campaignArticle.id}`);
    await h.deliver();
    h.clock.now = saved;
    const rows = await h.db
      .selectFrom('records')
      .select('id')
      .where('article_id', '=', campaignArticle.id)
      .where('user_id', '=', bình.id)
      .execute();
    assert.equal(rows.length, 0, 'the day after the campaign ended, its article records nothing');
  });

  it('/coverage: counts in the group, names for the leader in private', async () => {
    const groupMark = textsTo(h.tg, G).length;
    const leaderMark = textsTo(h.tg, leader.id).length;
    h.tg.send(h.tg.chatOf(G), leader, '/coverage');
    await h.deliver();
    const inGroup = saidSince(h, G, groupMark);
    assert.match(inGroup, /Tình hình hưởng ứng — Chi đoàn 7/);
    assert.match(
      inGroup,
      /#\d+ Mừng xuân — 1\/3 thành viên · ✅ 1 · 🛡 0\n#\d+ Bài khác — 1\/3 thành viên · ✅ 1 · 🛡 1/,
    );
    assert.match(inGroup, /2\/3 thành viên đã có lượt ghi nhận/);
    assert.doesNotMatch(inGroup, /Alice|Bình|Lan/, 'no names in the group');
    const privately = saidSince(h, leader.id, leaderMark);
    assert.match(privately, /Thành viên chưa có lượt nào \(1\):\nLan Trưởng/);
    assert.match(privately, /• Alice — #\d+ ✅\n• Bình Nguyễn — #\d+ ✅🛡/);

    h.tg.send(h.tg.chatOf(G), alice, '/coverage');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Only this group’s admins/);
  });

  it('/coverage for an owner: the groups ranked, each with a button that opens its names', async () => {
    const mark = textsTo(h.tg, owner.id).length;
    h.tg.send('private', owner, '/coverage 30/11');
    await h.deliver();
    const rollup = h.tg.messagesTo(owner.id).at(-1)!;
    assert.match(saidSince(h, owner.id, mark), /Chi đoàn 8 — 0\/0 \(0\s?%\)\n• Chi đoàn 7 — 2\/3 \(67\s?%\)/);
    const button = rollup.reply_markup!.inline_keyboard.flat().find((b) => b.text === 'Chi đoàn 7')!;
    h.tg.press(rollup, alice, button.callback_data!);
    await h.deliver();
    assert.equal(h.tg.callbackAnswers.at(-1)!.show_alert, true, 'a member pressing it gets an alert and no names');
    h.tg.press(rollup, owner, button.callback_data!);
    await h.deliver();
    assert.match(lastTextTo(h.tg, owner.id), /Thành viên chưa có lượt nào \(1\):\nLan Trưởng/);
  });

  it('/target sets the weekly target; the weekly summary measures against it and names the campaigns', async () => {
    h.tg.send(h.tg.chatOf(G), alice, '/target 80');
    h.tg.send(h.tg.chatOf(G), leader, '/target 80%');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Đã đặt chỉ tiêu tham gia hằng tuần: 80% thành viên/);
    h.tg.send(h.tg.chatOf(G), leader, '/target 120');
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /Cách dùng: \/target/);

    // The next Monday: last week's summary.
    h.clock.now = new Date('2026-12-07T02:00:00Z');
    const mark = textsTo(h.tg, G).length;
    await runWeeklySummary(h.deps);
    await h.deps.sender.idle();
    const weekly = saidSince(h, G, mark);
    assert.match(weekly, /Tham gia: 2\/3 thành viên/);
    assert.match(weekly, /Chỉ tiêu: 80\s?% — còn thiếu 1 thành viên/);
    assert.match(weekly, /Các chiến dịch:\n🚩 #Tet2027 — 1 bài · 1\/3 thành viên đã tham gia/);

    h.tg.send(h.tg.chatOf(G), leader, '/target off');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Đã bỏ chỉ tiêu/);
  });
});
