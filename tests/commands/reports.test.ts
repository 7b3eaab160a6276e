import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { createHarness, lastTextTo, people, textsTo, type Harness } from '../support/harness.ts';
import { postArticle } from '../../src/domain/articles.ts';
import { recordAction } from '../../src/domain/records.ts';
import { seeMember } from '../../src/domain/chats.ts';
import { runDailyLeaderboard, runWeeklySummary } from '../../src/jobs/reports.ts';
import type { TgUser } from '../support/fake-telegram.ts';

const { owner, leader, alice, bình, otherLeader } = people;
const G = -4001;
const OTHER = -4002;
// Monday 1 December 2026, 09:00 in Ho Chi Minh City: "last week" is 23–29 November.
const MONDAY = new Date('2026-11-30T02:00:00Z');

/** Twelve members with distinct scores last week, plus awkward names for the CSV. */
const members: TgUser[] = Array.from({ length: 12 }, (_, i) => ({ id: 6000 + i, first_name: `Người ${i + 1}` }));
const tricky: TgUser = { id: 6100, first_name: 'Nguyễn, "Văn"', last_name: 'A\nB', username: 'nva' };

async function seed(h: Harness): Promise<void> {
  const scoring = h.config;
  const article = await postArticle(
    h.db,
    {
      url: 'https://news.example/w',
      title: 'Bài tuần, "đặc biệt"',
      proposedBy: owner.id,
      proposedIn: owner.id,
      scopeChatId: undefined,
    },
    '2026-11-23',
    new Date('2026-11-22T20:00:00Z'),
  );
  const a2 = await postArticle(
    h.db,
    {
      url: 'https://news.example/w2',
      title: 'Bài hai',
      proposedBy: owner.id,
      proposedIn: owner.id,
      scopeChatId: undefined,
    },
    '2026-11-25',
    new Date('2026-11-22T20:00:00Z'),
  );
  assert.ok(article.ok && a2.ok);
  for (const m of [...members, tricky]) await seeMember(h.db, G, m, 'member', new Date('2026-11-20T00:00:00Z'));
  await seeMember(
    h.db,
    G,
    { id: 6200, first_name: 'Chưa', last_name: 'Làm' },
    'member',
    new Date('2026-11-20T00:00:00Z'),
  );
  // Member i shares on i+1 days' worth: points grow with i; the last three also rebut.
  for (const [i, m] of members.entries()) {
    const at = new Date(Date.parse('2026-11-23T02:00:00Z') + i * 3600_000);
    await recordAction(h.db, { userId: m.id, chatId: G, articleId: article.article.id, kind: 'shared' }, scoring, at);
    if (i >= 9)
      await recordAction(
        h.db,
        { userId: m.id, chatId: G, articleId: a2.article.id, kind: 'rebutted' },
        scoring,
        new Date(Date.parse('2026-11-27T02:00:00Z') + i * 60_000),
      );
    for (let k = 0; k < i; k++)
      await recordAction(
        h.db,
        { userId: m.id, chatId: G, articleId: undefined, kind: 'rebutted', link: `https://s.example/${m.id}/${k}` },
        scoring,
        new Date(Date.parse('2026-11-28T02:00:00Z') + k * 1000),
      );
  }
  await recordAction(
    h.db,
    { userId: tricky.id, chatId: G, articleId: article.article.id, kind: 'shared' },
    scoring,
    new Date('2026-11-29T16:59:00Z'),
  ); // Sunday 23:59 local
  await recordAction(
    h.db,
    {
      userId: tricky.id,
      chatId: G,
      articleId: undefined,
      kind: 'rebutted',
      link: 'https://s.example/x,y',
      note: 'Ghi chú, có "ngoặc"\nvà xuống dòng',
    },
    scoring,
    new Date('2026-11-29T10:00:00Z'),
  );
  // This week (after Monday 00:00 local) and another group: not in last week's figures for G.
  await recordAction(
    h.db,
    { userId: members[0]!.id, chatId: G, articleId: a2.article.id, kind: 'shared' },
    scoring,
    new Date('2026-11-29T17:00:00Z'),
  );
  await recordAction(
    h.db,
    { userId: members[1]!.id, chatId: OTHER, articleId: a2.article.id, kind: 'shared' },
    scoring,
    new Date('2026-11-25T02:00:00Z'),
  );
}

describe('reports', () => {
  let h: Harness;
  before(async () => {
    // Some members here rebut more than the daily limit of rebuttals without an article: not what this file tests.
    h = await createHarness({ now: MONDAY, env: { REBUTTALS_PER_DAY: '100' } });
    h.tg.addGroup(G, 'Chi đoàn Báo cáo', [leader]);
    h.tg.addGroup(OTHER, 'Chi đoàn Khác', [otherLeader]);
    for (const u of [owner, leader, alice]) h.tg.send('private', u, '/start');
    await h.deliver();
    await seed(h);
  });
  after(() => h.close());

  it('/leaderboard for a period with no record says so in one line', async () => {
    h.tg.send(h.tg.chatOf(OTHER), bình, '/leaderboard day');
    await h.deliver();
    assert.match(lastTextTo(h.tg, OTHER), /Chưa có lượt nào hôm nay/);
  });

  it('/top all ranks by points, then rebuttals, then who got there first; shows the top ten and the caller below them', async () => {
    h.tg.send(h.tg.chatOf(G), members[0]!, '/top all');
    await h.deliver();
    const text = lastTextTo(h.tg, G);
    const lines = text.split('\n').filter((l) => /^(🥇|🥈|🥉|\d+\.)/.test(l));
    assert.equal(lines.length, 10);
    assert.match(lines[0]!, /^🥇 Người 12 — ✅ 1 · 🛡 12 · 25 điểm$/);
    assert.match(lines[1]!, /^🥈 Người 11/);
    assert.match(text, /Vị trí của bạn: 1[23]\. Người 1 —/);
    const html = h.tg.messagesTo(G).at(-1)!.html!;
    assert.match(html, /<a href="tg:\/\/user\?id=6011">Người 12<\/a>/);
  });

  it('members cannot ask for a summary; leaders get it privately with the members who did nothing', async () => {
    h.tg.send(h.tg.chatOf(G), bình, '/summary');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chỉ quản trị viên/);
    h.tg.send(h.tg.chatOf(G), leader, '/summary lastweek');
    await h.deliver();
    const text = lastTextTo(h.tg, leader.id);
    assert.match(text, /Tổng kết — Chi đoàn Báo cáo/);
    assert.match(text, /23\/11\/2026 – 29\/11\/2026/);
    const known = (await h.db.selectFrom('memberships').select('user_id').where('chat_id', '=', G).execute()).length;
    assert.match(text, new RegExp(`Tham gia: 13/${known} thành viên \\(${Math.round((13 / known) * 100)}\\s?%\\)`));
    // Bình and the leader wrote in the group but recorded nothing last week; "Chưa Làm" never did anything.
    assert.match(text, /Thành viên chưa có lượt nào \(3\):\nBình Nguyễn, Chưa Làm, Lan Trưởng/);
    assert.match(text, /▲ \d+ điểm phần trăm so với tuần trước/);
    assert.match(text, /#1 Bài tuần, "đặc biệt" — ✅ 13 · 🛡 0/);
  });

  it('a leader without a private chat gets the summary in the group, without anyone’s name as inactive', async () => {
    const quietLeader = { id: 2999, first_name: 'Im', last_name: 'Lặng' };
    h.tg.setAdmins(G, [leader, quietLeader]);
    h.deps.roles.invalidate(G);
    h.tg.send(h.tg.chatOf(G), quietLeader, '/summary 2026-11-23 2026-11-29');
    await h.deliver();
    const text = lastTextTo(h.tg, G);
    assert.match(text, /Tổng kết — Chi đoàn Báo cáo/);
    assert.doesNotMatch(text, /Chưa Làm/);
  });

  it('/summary refuses malformed periods with a one-line reason', async () => {
    for (const [arg, expected] of [
      ['2026-11-29 2026-11-01', /kết thúc sớm hơn/],
      ['2026-02-30 2026-03-01', /không phải ngày hợp lệ/],
      ['year', /Cách dùng: \/summary/],
      ['2025-01-01 2026-11-29', /quá dài/],
    ] as const) {
      h.tg.send('private', leader, `/summary ${arg}`);
      await h.deliver();
      assert.match(lastTextTo(h.tg, leader.id), expected, arg);
    }
  });

  it('in private, an owner ranks all groups; a leader only theirs', async () => {
    h.tg.send('private', owner, '/leaderboard lastweek');
    await h.deliver();
    assert.match(lastTextTo(h.tg, owner.id), /Cách dùng: \/leaderboard/);
    h.tg.send('private', owner, '/summary lastweek');
    await h.deliver();
    const owners = lastTextTo(h.tg, owner.id);
    assert.match(owners, /🥇 Chi đoàn Khác — 1\/1 \(100\s?%\)[\s\S]*🥈 Chi đoàn Báo cáo/, 'ranked by participation');
    h.tg.send('private', leader, '/leaderboard week');
    await h.deliver();
    const leaders = lastTextTo(h.tg, leader.id);
    assert.match(leaders, /Chi đoàn Báo cáo/);
    assert.doesNotMatch(leaders, /Chi đoàn Khác/, "a leader's view never shows another group");
  });

  it('in private, a leader of one group reads its full summary with names; of several, a roll-up with a button each', async () => {
    // Loa knows a leader of a group it has seen them in.
    h.tg.send({ id: G, type: 'supergroup', title: 'Chi đoàn Báo cáo' }, leader, 'Chào cả nhóm');
    h.tg.send({ id: OTHER, type: 'supergroup', title: 'Chi đoàn Khác' }, otherLeader, 'Chào cả nhóm');
    h.tg.send('private', otherLeader, '/start');
    h.tg.send('private', leader, '/summary lastweek');
    await h.deliver();
    const one = h.tg.messagesTo(leader.id).at(-1)!;
    assert.match(one.text!, /Tổng kết — Chi đoàn Báo cáo/, 'the one group’s own summary, not a roll-up');
    assert.match(one.text!, /Chưa Làm/, 'with who has no record');
    assert.equal(one.reply_markup, undefined);

    // The owner sees every group: the roll-up, and a button per group opens that group's summary here.
    h.tg.send('private', owner, '/summary lastweek');
    await h.deliver();
    const rollup = h.tg.messagesTo(owner.id).at(-1)!;
    assert.match(rollup.text!, /Các nhóm của bạn/);
    assert.doesNotMatch(rollup.text!, /Chưa Làm/, 'no names in the roll-up');
    const buttons = rollup.reply_markup!.inline_keyboard.flat();
    assert.deepEqual(buttons.map((b) => b.text).sort(), ['Chi đoàn Báo cáo', 'Chi đoàn Khác']);
    const mine = buttons.find((b) => b.text === 'Chi đoàn Báo cáo')!;
    h.tg.press(rollup, owner, mine.callback_data!);
    await h.deliver();
    const opened = lastTextTo(h.tg, owner.id);
    assert.match(opened, /Tổng kết — Chi đoàn Báo cáo\n23\/11\/2026 – 29\/11\/2026/);
    assert.match(opened, /Chưa Làm/);

    // The same button pressed by another group's leader (a forwarded message, forged data) opens nothing.
    const before = h.tg.messagesTo(otherLeader.id).length;
    h.tg.press(rollup, otherLeader, mine.callback_data!);
    await h.deliver();
    assert.equal(h.tg.messagesTo(otherLeader.id).length, before);
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Chỉ quản trị viên nhóm đó/);
  });

  it('the weekly summary goes to every group once, with a chart, and leaders get their roll-up; a restart sends nothing again', async () => {
    const before = h.tg.messages.length;
    await runWeeklySummary(h.deps);
    const sent = h.tg.messages.slice(before);
    const toG = sent.filter((m) => m.chat.id === G);
    assert.equal(toG.length, 2);
    assert.match(toG[0]!.text!, /Tổng kết tuần — Chi đoàn Báo cáo/);
    assert.match(toG[0]!.text!, /Năm người dẫn đầu/);
    assert.doesNotMatch(
      toG[0]!.text!,
      /Thành viên chưa có lượt nào/,
      'the group-wide summary names nobody as inactive',
    );
    const photo = toG[1]!;
    assert.equal(photo.method, 'sendPhoto');
    assert.match(photo.caption!, /số lượt mỗi ngày/);
    const png = photo.photo?.bytes ?? (photo as unknown as { document?: { bytes: Buffer } }).document?.bytes;
    assert.ok(png, 'the chart bytes reached Telegram');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.equal(png.readUInt32BE(16), 960);
    assert.equal(png.readUInt32BE(20), 540);
    assert.ok(png.length > 5_000 && png.length < 500_000);
    assert.ok(sent.some((m) => m.chat.id === leader.id && /Các nhóm của bạn — tổng kết tuần/.test(m.text ?? '')));
    assert.ok(sent.some((m) => m.chat.id === owner.id && /Chi đoàn Khác/.test(m.text ?? '')));
    const count = h.tg.messages.length;
    await runWeeklySummary(h.deps);
    assert.equal(h.tg.messages.length, count);
  });

  it('a stored weekly summary stays as it was made, even if records change later', async () => {
    const stored = await h.db
      .selectFrom('weekly_summaries')
      .selectAll()
      .where('chat_id', '=', G)
      .executeTakeFirstOrThrow();
    await recordAction(
      h.db,
      { userId: 6200, chatId: G, articleId: undefined, kind: 'rebutted', link: 'https://late.example/1' },
      h.config,
      new Date('2026-11-25T00:00:00Z'),
    );
    const { weeklySummaryFor } = await import('../../src/jobs/reports.ts');
    const { weekPeriod } = await import('../../src/domain/periods.ts');
    const again = await weeklySummaryFor(
      h.deps,
      G,
      weekPeriod(MONDAY, 'Asia/Ho_Chi_Minh', 1),
      weekPeriod(MONDAY, 'Asia/Ho_Chi_Minh', 2),
      MONDAY,
    );
    assert.deepEqual(again, JSON.parse(stored.data));
  });

  it('the evening leaderboard goes only to groups with activity that day, once', async () => {
    h.clock.now = new Date('2026-11-30T14:00:00Z'); // Monday 21:00
    await recordAction(
      h.db,
      { userId: members[3]!.id, chatId: G, articleId: undefined, kind: 'rebutted', link: 'https://today.example/1' },
      h.config,
      new Date('2026-11-30T10:00:00Z'),
    );
    const before = h.tg.messages.length;
    await runDailyLeaderboard(h.deps);
    await runDailyLeaderboard(h.deps);
    const sent = h.tg.messages.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.chat.id, G);
    assert.match(sent[0]!.text!, /Bảng xếp hạng hôm nay/);
    assert.match(sent[0]!.text!, /🥇 Người 4 — ✅ 0 · 🛡 1 · 2/);
    assert.match(sent[0]!.text!, /🥈 Người 1 — ✅ 1 · 🛡 0 · 1/);
  });

  it('/export is for leaders in private: a UTF-8 CSV with a BOM that round-trips names, commas, quotes and newlines', async () => {
    h.tg.send(h.tg.chatOf(G), leader, '/export lastweek');
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /nhắn riêng/);
    h.tg.send('private', bình, '/export');
    await h.deliver();
    assert.match(lastTextTo(h.tg, bình.id), /Chỉ quản trị viên/);
    h.tg.send('private', leader, '/export 2026-11-23 2026-11-29');
    await h.deliver();
    const doc = h.tg.messagesTo(leader.id).at(-1)!;
    assert.equal(doc.method, 'sendDocument');
    const bytes = doc.document!.bytes;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.toString('utf8').slice(1), { relax_column_count: false });
    assert.deepEqual(rows[0], [
      'thoi_gian',
      'nhom',
      'ma_thanh_vien',
      'ten_thanh_vien',
      'username',
      'loai',
      'ma_bai',
      'tieu_de_bai',
      'link',
      'ghi_chu',
    ]);
    const data = rows.slice(1);
    assert.ok(
      data.every((r) => r[1] === 'Chi đoàn Báo cáo'),
      'a leader exports only their own group',
    );
    const trickyRows = data.filter((r) => r[2] === String(tricky.id));
    assert.equal(trickyRows.length, 2);
    assert.equal(trickyRows[0]![3], 'Nguyễn, "Văn" A\nB');
    assert.equal(trickyRows[0]![8], 'https://s.example/x,y');
    assert.equal(trickyRows[0]![9], 'Ghi chú, có "ngoặc"\nvà xuống dòng');
    assert.equal(trickyRows[1]![0], '2026-11-29T23:59:00+07:00', 'times are ISO 8601 in the bot’s zone');
    assert.match(doc.caption!, /\d+ lượt/);
  });

  it('/lang switches a group’s language (leaders only) and a member’s own', async () => {
    h.tg.send(h.tg.chatOf(G), bình, '/lang en');
    await h.deliver();
    // Bình wrote to Loa in private (/export above), so the refusal goes there, not to the group.
    assert.match(lastTextTo(h.tg, bình.id), /Chỉ quản trị viên/);
    h.tg.send(h.tg.chatOf(G), leader, '/lang en');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /in English/);
    h.tg.send(h.tg.chatOf(G), bình, '/leaderboard');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Leaderboard — this week/);
    h.tg.send('private', alice, '/lang vi');
    h.tg.send('private', alice, '/help');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Các lệnh của Loa/);
    h.tg.send('private', alice, '/lang fr');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Cách dùng: \/lang vi\|en/);
    assert.equal(h.tg.parseErrors, 0);
    void textsTo;
  });
});
