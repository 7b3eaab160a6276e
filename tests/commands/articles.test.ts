import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, lastTextTo, people, textsTo, type Harness } from '../support/harness.ts';
import { runDailyPush } from '../../src/jobs/push.ts';
import { postArticle } from '../../src/domain/articles.ts';

const { owner, leader, alice, bình, otherLeader } = people;
const G = -2001;
const OTHER = -2002;

async function setup(): Promise<Harness> {
  const h = await createHarness();
  h.tg.addGroup(G, 'Chi đoàn 1', [leader]);
  h.tg.addGroup(OTHER, 'Chi đoàn 2', [otherLeader]);
  for (const u of [owner, leader, alice]) h.tg.send('private', u, '/start');
  h.tg.send(h.tg.chatOf(G), alice, 'hi');
  h.tg.send(h.tg.chatOf(G), bình, 'chào');
  await h.deliver();
  return h;
}

const articleIds = async (h: Harness) =>
  await h.db.selectFrom('articles').select(['id', 'state', 'publish_date', 'scope_chat_id']).orderBy('id').execute();

describe('proposals and decisions', () => {
  let h: Harness;
  before(async () => {
    h = await setup();
  });
  after(() => h.close());

  it('a member proposes in the group; the leader is told privately with Approve and Reject buttons', async () => {
    h.tg.send(h.tg.chatOf(G), alice, '/submit https://news.example/a Bài <b>một</b>');
    await h.deliver();
    const [a] = await articleIds(h);
    assert.equal(a?.state, 'pending');
    assert.equal(a?.scope_chat_id, G);
    assert.match(lastTextTo(h.tg, alice.id), new RegExp(`#${a!.id}`));
    const toLeader = h.tg.messagesTo(leader.id).at(-1)!;
    assert.match(toLeader.text!, /Đề xuất mới/);
    assert.match(toLeader.text!, /Bài <b>một<\/b>/, 'the title is shown literally, not as markup');
    assert.deepEqual(
      toLeader.reply_markup?.inline_keyboard[0]?.map((b) => b.callback_data),
      [`dec:a:${a!.id}`, `dec:r:${a!.id}`],
    );
  });

  it('refuses a link that is not http(s), too long, or malformed, with a one-line reason', async () => {
    for (const [link, expected] of [
      ['javascript:alert(1)', /Only links starting with http/],
      ['ftp://x.example/a', /Only links starting with http/],
      [`https://x.example/${'a'.repeat(2100)}`, /too long/],
      ['not-a-link', /not a valid link/],
    ] as const) {
      h.tg.send('private', alice, `/submit ${link}`);
      await h.deliver();
      assert.match(lastTextTo(h.tg, alice.id), expected, link.slice(0, 30));
    }
    h.tg.send('private', alice, '/submit');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Usage: \/submit/);
  });

  it('a member cannot approve; the leader can, and the proposer is told', async () => {
    const [a] = await articleIds(h);
    h.tg.send(h.tg.chatOf(G), bình, `/approve ${a!.id}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chỉ quản trị viên/);
    assert.equal((await articleIds(h))[0]?.state, 'pending');
    h.tg.send(h.tg.chatOf(G), leader, `/approve #${a!.id}`);
    await h.deliver();
    assert.equal((await articleIds(h))[0]?.state, 'approved');
    assert.equal((await articleIds(h))[0]?.publish_date, '2026-11-30');
    assert.match(lastTextTo(h.tg, G), /Đã duyệt/);
    assert.match(lastTextTo(h.tg, alice.id), /was approved for 30 Nov 2026/);
  });

  it("a leader of another group cannot decide on this group's article", async () => {
    h.tg.send('private', otherLeader, '/start');
    h.tg.send(h.tg.chatOf(G), alice, '/submit https://news.example/b');
    await h.deliver();
    const b = (await articleIds(h)).at(-1)!;
    h.tg.send('private', otherLeader, `/reject ${b.id}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, otherLeader.id), /thuộc nhóm khác|belongs to another group/);
    assert.equal((await articleIds(h)).at(-1)?.state, 'pending');
  });

  it('/reject with a reason tells the proposer the reason', async () => {
    const b = (await articleIds(h)).at(-1)!;
    h.tg.send('private', leader, `/reject ${b.id} Nguồn <không> rõ`);
    await h.deliver();
    assert.equal((await articleIds(h)).at(-1)?.state, 'rejected');
    const told = lastTextTo(h.tg, alice.id);
    assert.match(told, /was not approved/);
    assert.match(told, /Reason: Nguồn <không> rõ/);
  });

  it('approving a link already approved for the day is refused with the existing #id', async () => {
    const first = (await articleIds(h))[0]!;
    h.tg.send(h.tg.chatOf(G), alice, '/submit https://news.example/a again');
    await h.deliver();
    const dup = (await articleIds(h)).at(-1)!;
    h.tg.send(h.tg.chatOf(G), leader, `/approve ${dup.id}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), new RegExp(`#${first.id}`));
    assert.equal((await articleIds(h)).at(-1)?.state, 'pending');
  });

  it('/approve with a past or malformed date is refused', async () => {
    const dup = (await articleIds(h)).at(-1)!;
    h.tg.send(h.tg.chatOf(G), leader, `/approve ${dup.id} 2026-11-01`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /đã qua/);
    h.tg.send(h.tg.chatOf(G), leader, `/approve ${dup.id} 2026-13-45`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /không phải ngày hợp lệ/);
    h.tg.send(h.tg.chatOf(G), leader, `/approve abc`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /không phải mã bài/);
  });

  it('/queue shows pending proposals oldest first, with buttons; the Approve button works for a leader only', async () => {
    h.tg.send(h.tg.chatOf(G), leader, '/queue');
    await h.deliver();
    const queue = h.tg.messagesTo(G).at(-1)!;
    assert.match(queue.text!, /Đang chờ duyệt/);
    const pending = (await articleIds(h)).filter((a) => a.state === 'pending' && a.scope_chat_id === G);
    assert.equal(queue.reply_markup?.inline_keyboard.length, pending.length);
    const data = queue.reply_markup!.inline_keyboard[0]![0]!.callback_data!;
    h.tg.press(queue, bình, data);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Chỉ quản trị viên/);
    h.tg.press(queue, leader, data);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Đã duyệt|duplicate|đã được duyệt/);
  });

  it('/post adds an approved article; --date schedules it; a member is refused', async () => {
    h.tg.send(h.tg.chatOf(G), bình, '/post https://news.example/c');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chỉ quản trị viên/);
    h.tg.send(h.tg.chatOf(G), leader, '/post https://news.example/c Tin C --date 2026-12-02');
    await h.deliver();
    const c = (await articleIds(h)).at(-1)!;
    assert.equal(c.state, 'approved');
    assert.equal(c.publish_date, '2026-12-02');
    assert.equal(c.scope_chat_id, G);
    h.tg.send('private', owner, '/post https://news.example/all Cho mọi nhóm');
    await h.deliver();
    const all = (await articleIds(h)).at(-1)!;
    assert.equal(all.scope_chat_id, null, "an owner's article goes to every group");
  });

  it('/articles lists a day; /archive withdraws an article from lists', async () => {
    h.tg.send(h.tg.chatOf(G), bình, '/articles 2026-12-02');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Tin C/);
    const c = (await articleIds(h)).find((a) => a.publish_date === '2026-12-02')!;
    h.tg.send(h.tg.chatOf(G), bình, `/archive ${c.id}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chỉ quản trị viên/);
    h.tg.send(h.tg.chatOf(G), leader, `/archive ${c.id}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Đã rút/);
    h.tg.send(h.tg.chatOf(G), bình, '/articles 2026-12-02');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chưa có bài nào/);
  });

  it('the other group does not see this group’s articles', async () => {
    h.tg.send(h.tg.chatOf(OTHER), otherLeader, '/today');
    await h.deliver();
    const text = lastTextTo(h.tg, OTHER);
    assert.doesNotMatch(text, /news\.example\/a/);
    assert.match(text, /Cho mọi nhóm/);
  });
});

describe('the daily push', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setup();
  });
  afterEach(() => h.close());

  it('pushes each active group one message with two buttons per article, once a day', async () => {
    h.tg.send('private', owner, '/post https://news.example/1 Một');
    h.tg.send('private', owner, '/post https://news.example/2 Hai');
    h.tg.send(h.tg.chatOf(G), leader, '/post https://news.example/g Riêng nhóm 1');
    await h.deliver();
    const before = h.tg.messages.length;
    await runDailyPush(h.deps);
    const pushedG = h.tg.messages.slice(before).filter((m) => m.chat.id === G);
    const pushedOther = h.tg.messages.slice(before).filter((m) => m.chat.id === OTHER);
    assert.equal(pushedG.length, 1);
    assert.equal(pushedOther.length, 1);
    assert.equal(pushedG[0]!.reply_markup!.inline_keyboard.length, 3);
    assert.equal(
      pushedOther[0]!.reply_markup!.inline_keyboard.length,
      2,
      "the other group does not get group 1's own article",
    );
    assert.match(pushedG[0]!.reply_markup!.inline_keyboard[0]![0]!.text, /Đã chia sẻ/);
    assert.match(pushedG[0]!.reply_markup!.inline_keyboard[0]![1]!.text, /Đã phản bác/);
    await runDailyPush(h.deps);
    await runDailyPush(h.deps);
    assert.equal(h.tg.messages.length, before + 2, 'running again sends nothing more');
  });

  it('an English group gets English buttons', async () => {
    await h.db.updateTable('chats').set({ locale: 'en' }).where('id', '=', G).execute();
    h.tg.send('private', owner, '/post https://news.example/1 One');
    await h.deliver();
    await runDailyPush(h.deps);
    const pushed = h.tg.messagesTo(G).at(-1)!;
    assert.match(pushed.text!, /Today’s articles/);
    const labels = pushed.reply_markup!.inline_keyboard[0]!.map((b) => b.text);
    assert.match(labels[0]!, /Shared/);
    assert.match(labels[1]!, /Rebutted/);
  });

  it('an article approved after the push follows at once, to the groups that had the push', async () => {
    h.tg.send('private', owner, '/post https://news.example/1 Một');
    await h.deliver();
    await runDailyPush(h.deps);
    const NEW = -2003;
    h.tg.addGroup(NEW, 'Mới', [leader]);
    await h.deliver();
    h.tg.send('private', owner, '/post https://news.example/late Muộn');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Bài bổ sung hôm nay/);
    assert.match(lastTextTo(h.tg, G), /Muộn/);
    assert.deepEqual(
      h.tg.messagesTo(NEW).map((m) => m.text!.split('\n')[0]),
      ['👋 Xin chào các bạn! Đây là Loa, bot đưa tin của đơn vị.'],
      'a group added after the push is greeted, not surprised by a push',
    );
    h.tg.send(h.tg.chatOf(NEW), alice, '/today');
    await h.deliver();
    assert.match(lastTextTo(h.tg, NEW), /Một[\s\S]*Muộn/);
  });

  it('splits a long list under 4,096 characters, each message with its own articles’ buttons', async () => {
    for (let i = 1; i <= 23; i++) {
      const p = {
        url: `https://news.example/long/${i}?${'q'.repeat(100)}`,
        title: `${'Tiêu đề rất dài '.repeat(15)}${i}`,
        note: 'Ghi chú & <chú ý>',
        proposedBy: owner.id,
        proposedIn: owner.id,
        scopeChatId: undefined,
      };
      await postArticle(h.db, p, '2026-11-30', h.clock.now);
    }
    await runDailyPush(h.deps);
    const pushed = h.tg.messagesTo(G).filter((m) => m.reply_markup && /#\d+/.test(m.text ?? ''));
    assert.ok(pushed.length >= 3);
    let total = 0;
    for (const m of pushed) {
      assert.ok(m.text!.length <= 4096);
      const idsInText = [...m.text!.matchAll(/#(\d+) /g)].map((x) => x[1]);
      const idsInButtons = m.reply_markup!.inline_keyboard.map((row) => row[0]!.callback_data!.split(':')[2]);
      assert.deepEqual(idsInButtons, idsInText);
      total += idsInButtons.length;
    }
    assert.equal(total, 23);
    assert.equal(h.tg.parseErrors, 0);
  });

  it('/push by a leader pushes their group now, once; a member is refused', async () => {
    h.tg.send('private', owner, '/post https://news.example/1 Một');
    await h.deliver();
    h.tg.send(h.tg.chatOf(G), bình, '/push');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chỉ quản trị viên/);
    h.tg.send(h.tg.chatOf(G), leader, '/push');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Bài viết hôm nay/);
    h.tg.send(h.tg.chatOf(G), leader, '/push');
    await h.deliver();
    assert.match(lastTextTo(h.tg, leader.id), /đã được gửi vào nhóm này rồi/);
    assert.equal(textsTo(h.tg, OTHER).filter((t) => /Bài viết hôm nay/.test(t)).length, 0);
  });

  it('skips a group that kicked the bot and marks it inactive; follows a group that became a supergroup', async () => {
    h.tg.send('private', owner, '/post https://news.example/1 Một');
    await h.deliver();
    h.tg.kick(OTHER, false);
    h.tg.migrate(G, -1009001);
    await runDailyPush(h.deps);
    const other = await h.db.selectFrom('chats').select('active').where('id', '=', OTHER).executeTakeFirstOrThrow();
    assert.equal(other.active, 0);
    assert.equal(h.tg.messagesTo(-1009001).length, 1);
    const moved = await h.db.selectFrom('push_items').select(['chat_id', 'status']).execute();
    assert.deepEqual(
      moved.map((m) => [Number(m.chat_id), m.status]),
      [[-1009001, 'sent']],
    );
    const oldRow = await h.db.selectFrom('chats').selectAll().where('id', '=', G).executeTakeFirstOrThrow();
    assert.equal(oldRow.migrated_to, -1009001);
  });
});
