import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, ownersArticle, people, type Harness } from '../support/harness.ts';
import { runDailyPush } from '../../src/jobs/push.ts';
import type { SentMessage, TgUser } from '../support/fake-telegram.ts';

// A table of hostile and broken updates. For each: what the bot answers (a pattern over everything it sent
// in reply), or deliberate silence; then an ordinary /help must still be answered. No "can't parse
// entities" may ever come back from the fake API.

const { owner, leader, bình } = people;
const G = -9901;
const nasty: TgUser = {
  id: 3500,
  first_name: '<b>Bad</b> & "Co" \u202eevil\u200b',
  last_name: '</a><script>',
  username: 'x_y',
};

type Expect = RegExp | 'silence';
interface Case {
  name: string;
  update: (h: Harness, push: SentMessage) => void;
  expect: Expect;
}

const text =
  (t: string): Case['update'] =>
  (h) =>
    void h.tg.send(h.tg.chatOf(G), bình, t);
const priv =
  (t: string, who: TgUser = bình): Case['update'] =>
  (h) =>
    void h.tg.send('private', who, t);
const raw =
  (u: Record<string, unknown>): Case['update'] =>
  (h) =>
    void h.tg.enqueue(u);
const press =
  (data: string, who: TgUser = bình): Case['update'] =>
  (h, push) =>
    void h.tg.press(push, who, data);

const huge = 'x'.repeat(100_000);
const binary = '\u0000\u0001\u0002\uFFFD\uD800';
const USAGE_SHARED = /Cách dùng: \/shared/;
const USAGE_REBUTTED = /Cách dùng: \/rebutted/;
const BAD_ID = /không phải mã bài/;
const NOT_HTTP = /Chỉ chấp nhận link/;
const BAD_LINK = /Link chưa đúng/;

const cases: Case[] = [
  // Missing, extra, huge and binary arguments
  { name: '/shared with nothing and no reply', update: text('/shared'), expect: USAGE_SHARED },
  {
    name: '/shared with too many arguments',
    update: text('/shared 1 https://a.example/x extra'),
    expect: USAGE_SHARED,
  },
  { name: '/shared with a 100 KB argument', update: text(`/shared ${huge}`), expect: BAD_ID },
  { name: '/shared with binary bytes', update: text(`/shared ${binary}`), expect: BAD_ID },
  { name: '/rebutted with nothing', update: text('/rebutted'), expect: USAGE_REBUTTED },
  { name: '/rebutted with only an id', update: text('/rebutted 1'), expect: USAGE_REBUTTED },
  { name: '/rebutted with a 100 KB link', update: text(`/rebutted https://a.example/${huge}`), expect: /quá dài/ },
  {
    name: '/rebutted with a 100 KB note',
    update: text(`/rebutted https://a.example/n ${huge}`),
    expect: /Ghi chú quá dài/,
  },
  { name: '/submit with nothing', update: text('/submit'), expect: /Cách dùng: \/submit/ },
  {
    name: '/submit with a 100 KB title',
    update: text(`/submit https://a.example/t ${huge}`),
    expect: /Tiêu đề quá dài/,
  },
  { name: '/submit with binary', update: text(`/submit ${binary}`), expect: BAD_LINK },
  {
    name: '/approve with nothing (leader)',
    update: (h) => void h.tg.send(h.tg.chatOf(G), leader, '/approve'),
    expect: /Cách dùng: \/approve/,
  },
  {
    name: '/approve with extra words (leader)',
    update: (h) => void h.tg.send(h.tg.chatOf(G), leader, '/approve 1 2026-12-01 now please'),
    expect: /Cách dùng: \/approve/,
  },
  {
    name: '/articles with two dates',
    update: text('/articles 2026-12-01 2026-12-02'),
    expect: /Cách dùng: \/articles/,
  },
  { name: '/articles with a broken date', update: text('/articles 2026-02-31'), expect: /không phải ngày hợp lệ/ },
  {
    name: '/leaderboard with an unknown period',
    update: text('/leaderboard year'),
    expect: /Cách dùng: \/leaderboard/,
  },
  { name: '/lang with an unknown language', update: text('/lang fr'), expect: /Cách dùng: \/lang/ },
  { name: '/summary by a member with garbage', update: text(`/summary ${huge}`), expect: /Chỉ quản trị viên/ },
  // Metacharacters, zero-width and right-to-left characters, emoji
  {
    name: 'HTML in a title',
    update: text('/submit https://a.example/h <b>bold</b><i>'),
    expect: /Cảm ơn bạn! Đề xuất của bạn có mã bài #\d+/,
  },
  {
    name: 'an unterminated tag in a title',
    update: text('/submit https://a.example/h2 <a href="x'),
    expect: /Đề xuất của bạn có mã bài #\d+/,
  },
  {
    name: 'Markdown in a note',
    update: text('/rebutted https://a.example/md *bold* _it_ `code` [x](y)'),
    expect: /🔥|Đã ghi nhận/,
  },
  {
    name: 'ampersands and quotes in a note',
    update: text('/rebutted https://a.example/amp Tom & Jerry "quote" &amp; &lt;'),
    expect: /🔥|Đã ghi nhận/,
  },
  { name: 'zero-width characters around an id', update: text('/shared \u200b1\u200b'), expect: BAD_ID },
  {
    name: 'right-to-left override in a note',
    update: text('/rebutted https://a.example/rtl \u202eesrever\u202c'),
    expect: /🔥|Đã ghi nhận/,
  },
  {
    name: 'emoji everywhere',
    update: text('/submit https://a.example/e 🇻🇳🔥👍🏽 Tin 🎉'),
    expect: /Đề xuất của bạn có mã bài #\d+/,
  },
  {
    name: 'a member whose name is HTML and RTL',
    update: (h) => void h.tg.send(h.tg.chatOf(G), nasty, '/me'),
    expect: /&lt;b&gt;Bad|<b>Bad<\/b> & "Co"/,
  },
  { name: 'a nasty name on the leaderboard', update: text('/leaderboard all'), expect: /Bảng xếp hạng/ },
  // Dangerous and malformed links
  { name: 'javascript: link', update: text('/rebutted javascript:alert(document.cookie)'), expect: NOT_HTTP },
  { name: 'JaVaScRiPt: link', update: text('/rebutted JaVaScRiPt:alert(1)'), expect: NOT_HTTP },
  { name: 'data: link', update: text('/rebutted data:text/html;base64,PHNjcmlwdD4='), expect: NOT_HTTP },
  { name: 'file: link', update: text('/rebutted file:///etc/passwd'), expect: NOT_HTTP },
  { name: 'ftp: link', update: text('/submit ftp://a.example/x'), expect: NOT_HTTP },
  { name: 'vbscript: link', update: text('/submit vbscript:msgbox'), expect: NOT_HTTP },
  { name: 'link without scheme', update: text('/rebutted www.a.example/x'), expect: BAD_LINK },
  { name: 'scheme without host', update: text('/rebutted https://'), expect: BAD_LINK },
  {
    name: 'link with spaces encoded oddly',
    update: text('/rebutted http://a b'),
    expect: /Ghi nhận|🔥|Link chưa đúng|Đã ghi nhận/,
  },
  { name: 'protocol-relative link', update: text('/submit //a.example/x'), expect: BAD_LINK },
  // Ids
  { name: 'negative id', update: text('/shared -1'), expect: BAD_ID },
  { name: 'zero id', update: text('/shared 0'), expect: BAD_ID },
  { name: 'huge id', update: text('/shared 123456789012345678901234567890'), expect: BAD_ID },
  { name: 'id beyond any article', update: text('/shared 999999'), expect: /Không có bài #999999/ },
  { name: 'fractional id', update: text('/shared 1.5'), expect: /link|số/ },
  { name: 'hex id', update: text('/shared 0x10'), expect: BAD_ID },
  { name: 'id with a hash only', update: text('/shared #'), expect: BAD_ID },
  {
    name: '/archive of a huge id by a leader',
    update: (h) => void h.tg.send(h.tg.chatOf(G), leader, '/archive 99999999999'),
    expect: /Không có bài/,
  },
  // Edited messages and messages without a person
  {
    name: 'an edited command',
    update: raw({
      edited_message: {
        message_id: 1,
        date: 0,
        edit_date: 1,
        chat: { id: G, type: 'supergroup', title: 'G' },
        from: bình,
        text: '/push',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    }),
    expect: 'silence',
  },
  {
    name: 'a message without from',
    update: raw({
      message: {
        message_id: 2,
        date: 0,
        chat: { id: G, type: 'supergroup', title: 'G' },
        text: '/shared 1',
        entities: [{ type: 'bot_command', offset: 0, length: 7 }],
      },
    }),
    expect: /không xác định được người gửi/,
  },
  {
    name: 'a channel post in the group',
    update: raw({
      message: {
        message_id: 3,
        date: 0,
        chat: { id: G, type: 'supergroup', title: 'G' },
        sender_chat: { id: -100777, type: 'channel', title: 'Kênh' },
        from: { id: 136817688, is_bot: true, first_name: 'Channel' },
        text: '/rebutted https://a.example/c',
        entities: [{ type: 'bot_command', offset: 0, length: 9 }],
      },
    }),
    expect: /không xác định được người gửi/,
  },
  {
    name: 'an anonymous admin',
    update: raw({
      message: {
        message_id: 4,
        date: 0,
        chat: { id: G, type: 'supergroup', title: 'G' },
        sender_chat: { id: G, type: 'supergroup', title: 'G' },
        from: { id: 1087968824, is_bot: true, first_name: 'Group' },
        text: '/post https://a.example/anon',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    }),
    expect: /không xác định được người gửi/,
  },
  {
    name: 'a channel_post update',
    update: raw({
      channel_post: { message_id: 5, date: 0, chat: { id: -100777, type: 'channel', title: 'Kênh' }, text: '/push' },
    }),
    expect: 'silence',
  },
  {
    name: 'a message from another bot',
    update: raw({
      message: {
        message_id: 6,
        date: 0,
        chat: { id: G, type: 'supergroup', title: 'G' },
        from: { id: 999, is_bot: true, first_name: 'Bot' },
        text: '/shared 1',
        entities: [{ type: 'bot_command', offset: 0, length: 7 }],
      },
    }),
    expect: /không xác định được người gửi/,
  },
  // Callback data: forged, stale, oversized
  { name: 'forged callback for an unknown article', update: press('rec:s:424242'), expect: /Không có bài #424242/ },
  { name: 'callback with an unknown prefix', update: press('evil:1'), expect: /không còn hiệu lực/ },
  { name: 'oversized callback data', update: press('rec:s:' + '9'.repeat(200)), expect: /không còn hiệu lực/ },
  { name: 'callback with a negative id', update: press('rec:s:-1'), expect: /không còn hiệu lực/ },
  { name: 'callback with HTML in it', update: press('<b>rec</b>'), expect: /không còn hiệu lực/ },
  { name: 'a member pressing Approve', update: press('dec:a:1'), expect: /Chỉ/ },
  {
    name: 'callback without a message (inline)',
    update: raw({
      callback_query: { id: 'cbx1', from: bình, chat_instance: '1', data: 'rec:s:1', inline_message_id: 'abc' },
    }),
    expect: 'silence',
  },
  // Updates the bot does not handle
  {
    name: 'an inline query',
    update: raw({ inline_query: { id: 'iq1', from: bình, query: 'x', offset: '' } }),
    expect: 'silence',
  },
  {
    name: 'a poll',
    update: raw({
      poll: {
        id: 'p1',
        question: 'q',
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    }),
    expect: 'silence',
  },
  { name: 'an unknown future update kind', update: raw({ business_message_deleted: { x: 1 } }), expect: 'silence' },
  {
    name: 'a sticker in the group',
    update: raw({
      message: {
        message_id: 7,
        date: 0,
        chat: { id: G, type: 'supergroup', title: 'G' },
        from: bình,
        sticker: { file_id: 'x' },
      },
    }),
    expect: 'silence',
  },
  {
    name: 'a command from a group Loa has no record of (added while its database was elsewhere)',
    update: (h) => void h.tg.send(h.tg.addGroup(-424242, 'Chưa biết', [], { announce: false }), bình, '/help'),
    expect: /Các lệnh của Loa/,
  },
  { name: 'a command to another bot', update: text('/shared@other_bot 1'), expect: 'silence' },
  { name: 'an unknown command', update: text('/rm -rf /'), expect: 'silence' },
  { name: 'a private /push by a member', update: priv('/push'), expect: /Chỉ người vận hành Loa/ },
];

describe(`hostile and broken updates (${cases.length})`, () => {
  let h: Harness;
  let push: SentMessage;
  before(async () => {
    h = await createHarness();
    h.tg.addGroup(G, 'Nhóm thử thách', [leader]);
    h.tg.send('private', owner, '/start');
    h.tg.send(h.tg.chatOf(G), bình, 'chào');
    await h.deliver();
    await ownersArticle(h, 'https://news.example/1', 'Một');
    await runDailyPush(h.deps);
    push = h.tg.messagesTo(G).at(-1)!;
    assert.ok(cases.length >= 60);
  });
  after(() => h.close());

  for (const c of cases) {
    it(c.name, async () => {
      h.tickMs = 2000; // one member sends all of these; keep them under the flood limit
      const messages = h.tg.messages.length;
      const answers = h.tg.callbackAnswers.length;
      const reactions = h.tg.reactions.length;
      c.update(h, push);
      await h.deliver();
      const said = [
        ...h.tg.messages.slice(messages).map((m) => m.text ?? ''),
        ...h.tg.callbackAnswers.slice(answers).map((a) => a.text ?? ''),
        ...h.tg.reactions.slice(reactions).map((r) => r.emoji),
      ];
      if (c.expect === 'silence') assert.deepEqual(said, [], 'the bot stays silent');
      else
        assert.ok(
          said.some((s) => (c.expect as RegExp).test(s)),
          `expected ${c.expect} in ${JSON.stringify(said).slice(0, 400)}`,
        );
      assert.ok(
        said.every((s) => !/\.ts:\d+|at .+\(|TypeError|SQLITE/.test(s)),
        'no stack trace or internal error reaches a user',
      );
      // …and the next ordinary update is served.
      h.tg.send('private', owner, '/help');
      await h.deliver();
      assert.match(h.tg.messagesTo(owner.id).at(-1)?.text ?? '', /Các lệnh của Loa/);
      assert.equal(h.tg.parseErrors, 0, "no can't-parse-entities error from Telegram");
    });
  }

  it('a flood from one user: ignored for a minute after 20 commands in 10 seconds, told once', async () => {
    h.tickMs = 100;
    const flooder: TgUser = { id: 3600, first_name: 'Lũ' };
    for (let i = 0; i < 40; i++) h.tg.send(h.tg.chatOf(G), flooder, '/leaderboard');
    await h.deliver();
    const toGroup = h.tg.messagesTo(G).map((m) => m.text ?? '');
    assert.equal(toGroup.filter((t) => /quá nhanh/.test(t)).length, 1);
    assert.equal(h.tg.parseErrors, 0);
  });
});
