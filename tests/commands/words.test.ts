import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, lastTextTo, people, type Harness } from '../support/harness.ts';
import type { TgUser } from '../support/fake-telegram.ts';
import { messages, type Messages } from '../../src/i18n/index.ts';
import { ConfigError, parseConfig } from '../../src/config.ts';

// What people type and read: dates and period words in both languages, the form of address, and who
// decided on a proposal. The clock stands on Monday 30 Nov 2026, 09:00 in Ho Chi Minh City.

const { owner, leader, alice, bình } = people;
const G = -5001;
// A leader who reads English, to see the same things in the other language.
const eve: TgUser = { id: 5002, first_name: 'Eve', last_name: 'Admin', username: 'eve', language_code: 'en' };

async function setup(env: Record<string, string> = {}): Promise<Harness> {
  const h = await createHarness({ env });
  h.tg.addGroup(G, 'Chi đoàn Chữ', [leader, eve]);
  for (const u of [owner, leader, alice, bình, eve]) h.tg.send('private', u, '/start');
  h.tg.send(h.tg.chatOf(G), bình, 'chào');
  h.tg.send(h.tg.chatOf(G), alice, 'hi');
  h.tg.send(h.tg.chatOf(G), leader, 'chào cả nhóm');
  h.tg.send(h.tg.chatOf(G), eve, 'hello');
  await h.deliver();
  return h;
}

const lastArticle = async (h: Harness) =>
  await h.db
    .selectFrom('articles')
    .select(['id', 'state', 'publish_date'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();

describe('dates as typed, in both languages', () => {
  let h: Harness;
  before(async () => {
    h = await setup();
  });
  after(() => h.close());

  it('/post --date takes 2/12, 2/12/2026 and 2026-12-02 as the same day (day first)', async () => {
    for (const typed of ['2/12', '2/12/2026', '2026-12-02', '02.12.2026']) {
      h.tg.send(h.tg.chatOf(G), leader, `/post https://news.example/${encodeURIComponent(typed)} Bài --date ${typed}`);
      await h.deliver();
      assert.equal((await lastArticle(h)).publish_date, '2026-12-02', typed);
      assert.match(lastTextTo(h.tg, G), /Đã thêm bài #\d+ cho ngày 2\/12\/2026\./, typed);
    }
  });

  it('/approve takes a typed day; a day that does not exist is refused with the usage and an example', async () => {
    h.tg.send(h.tg.chatOf(G), alice, '/submit https://news.example/de-xuat Đề xuất');
    await h.deliver();
    const { id } = await lastArticle(h);
    for (const bad of ['31/4', '29/2', '0/12', 'mai']) {
      h.tg.send(h.tg.chatOf(G), leader, `/approve ${id} ${bad}`);
      await h.deliver();
      const said = lastTextTo(h.tg, leader.id); // mistakes are answered in private
      assert.match(said, new RegExp(`“${bad}” không phải ngày hợp lệ`), bad);
      assert.match(said, /2\/12 hoặc 2\/12\/2026/, bad);
      assert.match(said, /\nVí dụ: \/approve 12 5\/12$/, bad);
      assert.equal((await lastArticle(h)).state, 'pending', bad);
    }
    h.tg.send('private', eve, `/approve ${id} 29/2/2026`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, eve.id), /“29\/2\/2026” is not a valid date\. Write the day first/);
    assert.match(lastTextTo(h.tg, eve.id), /\nExample: \/approve 12 5\/12$/);
    h.tg.send(h.tg.chatOf(G), leader, `/approve ${id} 3/12`);
    await h.deliver();
    assert.equal((await lastArticle(h)).publish_date, '2026-12-03');
    assert.match(lastTextTo(h.tg, G), /Đã duyệt bài #\d+ cho ngày 3\/12\/2026/);
  });

  it('a day already over is refused, typed either way', async () => {
    h.tg.send(h.tg.chatOf(G), leader, '/post https://news.example/qua Bài --date 29/11');
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /Ngày này đã qua/);
  });

  it('/articles takes a typed day, in Vietnamese and in English', async () => {
    h.tg.send(h.tg.chatOf(G), bình, '/articles 2/12');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Bài ngày 2\/12\/2026/);
    h.tg.send('private', alice, '/articles 3/12/2026');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Articles for 3 Dec 2026/);
    h.tg.send('private', alice, '/articles 12/31');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /“12\/31” is not a valid date[\s\S]*Example: \/articles 2\/12/);
  });
});

describe('period words in both languages', () => {
  let h: Harness;
  before(async () => {
    h = await setup();
  });
  after(() => h.close());

  /** The answer, wherever it went: in the chat, or in private (where mistakes made in a group are answered). */
  const answer = async (from: TgUser, text: string, chat: number = from.id) => {
    h.tg.send(chat === from.id ? 'private' : h.tg.chatOf(chat), from, text);
    await h.deliver();
    const sent = h.tg.messages.filter((m) => m.chat.id === chat || m.chat.id === from.id);
    return sent.at(-1)?.text ?? '';
  };

  it('/summary: "tuần trước", "tuan truoc" and "last week" mean lastweek; a range of typed days works', async () => {
    const english = await answer(leader, '/summary lastweek');
    assert.match(english, /23\/11\/2026 – 29\/11\/2026/);
    for (const words of ['tuần trước', 'tuan truoc', 'Tuần Trước', 'last week'])
      assert.equal(await answer(leader, `/summary ${words}`), english, words);
    assert.match(await answer(leader, '/summary tháng'), /1\/11\/2026 – 30\/11\/2026/);
    assert.match(await answer(leader, '/summary 1/11 đến 7/11'), /1\/11\/2026 – 7\/11\/2026/);
    assert.match(await answer(eve, '/summary 1/11 7/11'), /1 Nov 2026 – 7 Nov 2026/);
  });

  it('/leaderboard: "tất cả", "tat ca", "hôm nay" and "tháng" beside all, day and month', async () => {
    const all = await answer(bình, '/leaderboard all', G);
    assert.match(all, /Bảng xếp hạng từ trước tới nay/);
    assert.equal(await answer(bình, '/leaderboard tất cả', G), all);
    assert.equal(await answer(bình, '/top tat ca', G), all);
    assert.match(await answer(bình, '/leaderboard hôm nay', G), /Chưa có lượt nào hôm nay/);
    assert.match(await answer(bình, '/leaderboard tháng', G), /tháng này/);
  });

  it('a word the command does not take is answered with its usage and an example, in the reader’s language', async () => {
    const vi = await answer(bình, '/leaderboard tuần sau', G);
    assert.match(vi, /^Cách dùng: \/leaderboard \[hôm nay\|tuần\|tháng\|tất cả\|#tên chiến dịch\]/);
    assert.match(vi, /\nVí dụ: \/leaderboard tháng$/);
    assert.match(await answer(eve, '/summary next week'), /^Usage: \/summary[\s\S]*\nExample: \/summary 1\/12 7\/12$/);
    assert.match(await answer(leader, '/summary 31/11 5/12'), /“31\/11” không phải ngày hợp lệ[\s\S]*Ví dụ:/);
  });

  it('/export takes Vietnamese words too', async () => {
    const answered = await answer(leader, '/export tuần trước');
    assert.match(answered, /Chưa có lượt nào \(23\/11\/2026 – 29\/11\/2026\)/);
  });
});

describe('the form of address', () => {
  let h: Harness;
  before(async () => {
    h = await setup({ ADDRESS_FORM: 'dong_chi' });
  });
  after(() => h.close());

  it('ADDRESS_FORM=dong_chi: Loa says "đồng chí", never "bạn", to members and groups', async () => {
    h.tg.send('private', bình, '/start');
    h.tg.send('private', bình, '/undo');
    h.tg.send(h.tg.chatOf(G), bình, '/me');
    await h.deliver();
    const said = h.tg.messagesTo(bình.id).map((m) => m.text ?? '');
    assert.match(said.at(-3)!, /^Chào đồng chí Bình Nguyễn!/);
    assert.match(said.at(-2)!, /^Đồng chí không có lượt nào trong 24 giờ qua/);
    assert.match(said.at(-1)!, /Tuần này đồng chí chưa được xếp hạng trong Chi đoàn Chữ/);
    for (const text of said) assert.doesNotMatch(text, /\bbạn\b/i);
  });

  it('English ignores it', async () => {
    h.tg.send('private', alice, '/undo');
    await h.deliver();
    assert.equal(lastTextTo(h.tg, alice.id), 'You have no record from the last 24 hours to remove.');
  });
});

/** Every text of a catalogue, with each function called on arguments that reach each of its branches. */
function everyText(t: Messages): string[] {
  const argSets: unknown[][] = [
    [12, 'Lan', 'https://x.example', 'Bình', 'Chi đoàn'],
    ['approved', 'Lan', 12, 'x', 'y'],
    ['rejected', 'Lan', 12, 'x', 'y'],
    ['shared', 12, 'https://x.example', 2],
    ['rebutted', null, null, 2],
    ['owner'],
    ['leader'],
    ['not_http'],
    ['too_long'],
    [12, 'Tiêu đề', null],
    [[1, 2]],
    [
      {
        name: 'Lan',
        week: { shared: 1, rebutted: 2, points: 5 },
        month: { shared: 1, rebutted: 2, points: 5 },
        all: { shared: 1, rebutted: 2, points: 5 },
        rank: null,
        groupTitle: 'Chi đoàn',
        streak: 4,
      },
    ],
  ];
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'function') {
      for (const args of argSets) {
        try {
          walk((v as (...a: unknown[]) => unknown)(...args));
        } catch {
          // Arguments of another shape than this function takes.
        }
      }
    } else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(t);
  return out;
}

describe('the catalogues', () => {
  it('ADDRESS_FORM is ban by default, dong_chi when set, and anything else stops Loa naming the variable', () => {
    const token = '123456:abcdefghijklmnopqrstuvwxyz';
    assert.equal(parseConfig({ BOT_TOKEN: token }).addressForm, 'ban');
    assert.equal(parseConfig({ BOT_TOKEN: token, ADDRESS_FORM: 'dong_chi' }).addressForm, 'dong_chi');
    assert.throws(
      () => parseConfig({ BOT_TOKEN: token, ADDRESS_FORM: 'đồng chí' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'ADDRESS_FORM' && /ban or dong_chi/.test(e.message),
    );
  });

  it('"đồng chí" replaces "bạn" everywhere in Vietnamese, and "bạn" is the default', () => {
    const dongChi = everyText(messages('vi', 'dong_chi'));
    const ban = everyText(messages('vi'));
    assert.ok(dongChi.length > 150, `walked ${dongChi.length} texts`);
    assert.deepEqual(
      dongChi.filter((s) => /\bbạn\b/i.test(s)),
      [],
    );
    assert.deepEqual(
      ban.filter((s) => /đồng chí/i.test(s)),
      [],
    );
    assert.ok(ban.some((s) => /\bbạn\b/.test(s)));
    assert.deepEqual(everyText(messages('en', 'dong_chi')), everyText(messages('en')));
  });

  it('Vietnamese never shows untranslated placeholders, never says "phản bác #12", and labels points', () => {
    for (const form of ['ban', 'dong_chi'] as const) {
      for (const text of everyText(messages('vi', form))) {
        assert.doesNotMatch(text, /YYYY|MM-DD|\bweek\b|lastweek|lastmonth|&lt;url&gt;|&lt;số&gt;|\bid\b/, text);
        assert.doesNotMatch(text, /phản bác (bài )?#\d/, text);
        assert.doesNotMatch(text, /\+\d+(?!\d| điểm)/, text);
      }
    }
  });

  it('every usage text gives one example line, in both languages', () => {
    for (const t of [messages('vi'), messages('en')]) {
      const usages = [...Object.values(t.usage), t.usageLeaderboard, t.usageSummary, t.usageExport, t.usageLang];
      for (const u of usages) {
        const lines = u.split('\n');
        assert.equal(lines.length, 2, u);
        assert.match(lines[1]!, /^(Ví dụ|Example): \/\w+/, u);
      }
    }
  });
});

describe('who decided on a proposal', () => {
  let h: Harness;
  before(async () => {
    h = await setup();
  });
  after(() => h.close());

  it('the proposal message loses its buttons and says who approved it, in the reader’s language', async () => {
    h.tg.send(h.tg.chatOf(G), alice, '/submit https://news.example/p1 Bài một');
    await h.deliver();
    const { id } = await lastArticle(h);
    const proposal = h.tg
      .messagesTo(leader.id)
      .filter((m) => /Đề xuất mới/.test(m.text ?? ''))
      .at(-1)!;
    h.tg.press(proposal, leader, `dec:a:${id}`);
    await h.deliver();
    assert.equal((await lastArticle(h)).state, 'approved');
    assert.match(
      proposal.text!,
      new RegExp(`^📝 Đề xuất mới #${id}[\\s\\S]*Bài một\\n\\n✅ Lan Trưởng đã duyệt bài #${id}$`),
    );
    assert.deepEqual(proposal.reply_markup?.inline_keyboard, []);

    h.tg.send(h.tg.chatOf(G), alice, '/submit https://news.example/p2 Bài hai');
    await h.deliver();
    const second = await lastArticle(h);
    const toEve = h.tg
      .messagesTo(eve.id)
      .filter((m) => /New proposal/.test(m.text ?? ''))
      .at(-1)!;
    h.tg.press(toEve, eve, `dec:r:${second.id}`);
    await h.deliver();
    assert.equal((await lastArticle(h)).state, 'rejected');
    assert.match(toEve.text!, new RegExp(`\\n\\n❌ #${second.id} rejected by Eve Admin$`));
  });

  it('in a /queue message only the decided proposal’s buttons go; the others stay', async () => {
    for (const n of [3, 4]) h.tg.send(h.tg.chatOf(G), alice, `/submit https://news.example/q${n} Bài ${n}`);
    await h.deliver();
    h.tg.send('private', leader, '/queue');
    await h.deliver();
    const queue = h.tg.messagesTo(leader.id).at(-1)!;
    const rows = queue.reply_markup!.inline_keyboard;
    assert.equal(rows.length, 2);
    const [first, second] = rows.map((r) => Number(r[0]!.callback_data!.split(':')[2]));
    h.tg.press(queue, leader, `dec:a:${first}`);
    await h.deliver();
    assert.deepEqual(
      queue.reply_markup!.inline_keyboard.map((r) => r.map((b) => b.callback_data)),
      [[`dec:a:${second}`, `dec:r:${second}`]],
    );
    assert.match(queue.text!, new RegExp(`\\n\\n✅ Lan Trưởng đã duyệt bài #${first}$`));
    assert.match(queue.text!, new RegExp(`#${second}\\b`), 'the other proposal is still listed');
  });
});
