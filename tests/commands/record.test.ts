import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, ownersArticle, lastTextTo, people, type Harness } from '../support/harness.ts';
import { runDailyPush } from '../../src/jobs/push.ts';
import type { SentMessage, TgUser } from '../support/fake-telegram.ts';
import type { Update } from 'telegraf/types';
import { ownRecordOf } from '../../commands/record.ts';

const { owner, leader, alice, bình } = people;
const G = -3001;

async function records(h: Harness) {
  return h.db.selectFrom('records').selectAll().orderBy('id').execute();
}

describe('recording shares and rebuttals', () => {
  let h: Harness;
  let push: SentMessage;
  let ids: number[];
  before(async () => {
    h = await createHarness();
    h.tg.addGroup(G, 'Chi đoàn 3', [leader]);
    h.tg.send('private', alice, '/start');
    h.tg.send('private', owner, '/start');
    await h.deliver();
    ids = [];
    for (const n of [1, 2]) {
      const article = await ownersArticle(h, `https://news.example/${n}`, `Bài ${n}`);
      ids.push(article.id);
    }
    await runDailyPush(h.deps);
    push = h.tg.messagesTo(G).at(-1)!;
  });
  after(() => h.close());

  it('Shared pressed twice records once, answered by toast only', async () => {
    const groupMessagesBefore = h.tg.messagesTo(G).length;
    const data = push.reply_markup!.inline_keyboard[0]![0]!.callback_data!;
    h.tg.press(push, bình, data);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Đã ghi nhận/);
    h.tg.press(push, bình, data);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /đã được ghi nhận từ trước/);
    const rows = await records(h);
    assert.equal(rows.length, 1);
    assert.deepEqual(
      [Number(rows[0]!.user_id), Number(rows[0]!.chat_id), Number(rows[0]!.article_id), rows[0]!.kind, rows[0]!.points],
      [bình.id, G, ids[0], 'shared', 1],
    );
    assert.equal(h.tg.messagesTo(G).length, groupMessagesBefore, 'no group message for a press');
  });

  it('a newcomer’s presses of different buttons at once: each recorded and answered, Telegram asked about them once', async () => {
    const newcomer: TgUser = { id: 3077, first_name: 'Cường', last_name: 'Lê', language_code: 'vi' };
    const asked = () => h.tg.callsOf('getChatMember').filter((c) => c.payload.user_id === newcomer.id).length;
    const answersBefore = h.tg.callbackAnswers.length;
    const buttons = push.reply_markup!.inline_keyboard.flatMap((row) => row.map((b) => b.callback_data!));
    assert.equal(buttons.length, 4, 'two articles, Shared and Rebutted each');
    for (const data of buttons) h.tg.press(push, newcomer, data);
    await h.deliverTogether();
    const answers = h.tg.callbackAnswers.slice(answersBefore).map((a) => a.text ?? '');
    assert.equal(answers.length, 4);
    assert.ok(
      answers.every((t) => /Đã ghi nhận/.test(t)),
      JSON.stringify(answers),
    );
    assert.equal(asked(), 1, 'one question to Telegram for four presses');
    const mine = (await records(h)).filter((r) => Number(r.user_id) === newcomer.id);
    assert.deepEqual(mine.map((r) => `${r.kind}:${r.article_id}`).sort(), [
      `rebutted:${ids[0]}`,
      `rebutted:${ids[1]}`,
      `shared:${ids[0]}`,
      `shared:${ids[1]}`,
    ]);
    const member = await h.db
      .selectFrom('memberships')
      .select('status')
      .where('chat_id', '=', G)
      .where('user_id', '=', newcomer.id)
      .executeTakeFirst();
    assert.equal(member?.status, 'member');
    await h.db.deleteFrom('records').where('user_id', '=', newcomer.id).execute();
  });

  it('a button answer goes out through the sender: one 502 from Telegram is retried, the toast arrives', async () => {
    const data = push.reply_markup!.inline_keyboard[1]![0]!.callback_data!;
    const answersBefore = h.tg.callbackAnswers.length;
    h.tg.fail('answerCallbackQuery', 1, { kind: 'error', code: 502 });
    h.tg.press(push, leader, data);
    await h.deliver();
    assert.equal(h.tg.callsOf('answerCallbackQuery').filter((c) => c.status === 502).length, 1, 'the fault was hit');
    assert.equal(h.tg.callbackAnswers.length, answersBefore + 1);
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Đã ghi nhận/);
    assert.equal(h.logs.filter((l) => /error while handling an update/.test(l)).length, 0);
  });

  it('Rebutted records with 2 points and invites the link with /rebutted', async () => {
    const data = push.reply_markup!.inline_keyboard[0]![1]!.callback_data!;
    h.tg.press(push, alice, data);
    await h.deliver();
    const answer = h.tg.callbackAnswers.at(-1)!;
    assert.match(answer.text!, /Đã ghi nhận bạn phản bác thông tin sai lệch|misinformation/);
    assert.match(answer.text!, new RegExp(`/rebutted ${ids[0]} <link>`));
    const rows = await records(h);
    assert.equal(rows.at(-1)!.kind, 'rebutted');
    assert.equal(rows.at(-1)!.points, 2);
  });

  it('a forged, malformed or foreign button is refused and records nothing', async () => {
    const before = (await records(h)).length;
    h.tg.press(push, bình, 'rec:s:999999');
    h.tg.press(push, bình, 'rec:x:1');
    h.tg.press(push, bình, 'a'.repeat(64));
    h.tg.press(
      { ...push, from: { id: 42, first_name: 'OtherBot', is_bot: true } } as SentMessage,
      bình,
      `rec:s:${ids[1]}`,
    );
    await h.deliver();
    const last4 = h.tg.callbackAnswers.slice(-4).map((a) => a.text);
    assert.match(last4[0]!, /Không có bài #999999/);
    assert.ok(
      last4.slice(1).every((t) => /không còn hiệu lực/.test(t ?? '')),
      JSON.stringify(last4),
    );
    assert.equal((await records(h)).length, before);
  });

  it('/shared <id> in the group records quietly: a reaction, no group message', async () => {
    const groupMessagesBefore = h.tg.messagesTo(G).length;
    h.tg.send(h.tg.chatOf(G), bình, `/shared ${ids[1]}`);
    await h.deliver();
    assert.equal(h.tg.reactions.at(-1)?.emoji, '👍');
    assert.equal(h.tg.messagesTo(G).length, groupMessagesBefore);
    assert.equal((await records(h)).filter((r) => Number(r.user_id) === bình.id).length, 2);
  });

  it('/shared as a reply to the push asks which article when it carries several', async () => {
    h.tg.replyTo(push, alice, '/shared');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), new RegExp(`/shared ${ids[0]} · /shared ${ids[1]}`));
  });

  it('/shared as a reply to a one-article message records that article', async () => {
    const article = await ownersArticle(h, 'https://news.example/3', 'Bài 3');
    await runDailyPush(h.deps); // delivers the follow-up with one article
    const followUp = h.tg.messagesTo(G).at(-1)!;
    assert.match(followUp.text!, /Bài bổ sung hôm nay/);
    h.tg.replyTo(followUp, alice, '/shared');
    await h.deliver();
    const mine = (await records(h)).filter((x) => Number(x.user_id) === alice.id);
    assert.equal(Number(mine.at(-1)!.article_id), article.id);
    assert.match(
      lastTextTo(h.tg, alice.id),
      /Recorded: you shared/,
      'a member who started the bot gets the words in private',
    );
  });

  it('/rebutted with and without an id; the same link twice records once', async () => {
    h.tg.send(h.tg.chatOf(G), bình, `/rebutted ${ids[1]} https://social.example/post/1 Đã trả lời <ngay>`);
    h.tg.send(h.tg.chatOf(G), bình, '/rebutted https://social.example/post/2');
    h.tg.send(h.tg.chatOf(G), bình, '/rebutted https://social.example/post/2');
    await h.deliver();
    const mine = (await records(h)).filter((x) => Number(x.user_id) === bình.id && x.kind === 'rebutted');
    assert.equal(mine.length, 2);
    assert.equal(mine[0]!.note, 'Đã trả lời <ngay>');
    assert.equal(mine[1]!.article_id, null);
    assert.equal(h.tg.reactions.at(-1)?.emoji, '👌', 'the duplicate is acknowledged as already recorded');
  });

  it('bad input gets a one-line reason, and the next command is still served', async () => {
    const cases: [string, RegExp][] = [
      ['/shared abc', /không phải mã bài/],
      ['/shared -5', /không phải mã bài/],
      ['/shared 0', /không phải mã bài/],
      ['/shared 99999999999999999999', /không phải mã bài/],
      ['/shared 424242', /Không có bài #424242/],
      ['/rebutted', /Cách dùng: \/rebutted/],
      ['/rebutted javascript:alert(1)', /Chỉ chấp nhận link/],
      ['/rebutted data:text/html,hi', /Chỉ chấp nhận link/],
      ['/rebutted file:///etc/passwd', /Chỉ chấp nhận link/],
      [`/rebutted https://x.example/${'a'.repeat(2050)}`, /quá dài/],
      [`/rebutted https://x.example/ok ${'n'.repeat(501)}`, /Ghi chú quá dài/],
      ['/shared', /Cách dùng: \/shared/],
    ];
    for (const [text, expected] of cases) {
      h.tg.send(h.tg.chatOf(G), bình, text);
      await h.deliver();
      assert.match(lastTextTo(h.tg, G), expected, text.slice(0, 40));
    }
    assert.equal(h.tg.parseErrors, 0);
  });

  it('a pending (unapproved) article is "no such article"; an archived one it could see is "withdrawn"', async () => {
    h.tg.send(h.tg.chatOf(G), bình, '/submit https://news.example/pending');
    await h.deliver();
    const pending = await h.db
      .selectFrom('articles')
      .select('id')
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    h.tg.send(h.tg.chatOf(G), bình, `/shared ${pending.id}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), new RegExp(`Không có bài #${pending.id}\\.`));
    h.tg.send(h.tg.chatOf(G), leader, `/archive ${ids[0]}`);
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Chỉ người vận hành Loa/, 'a leader cannot withdraw an every-group article');
    h.tg.send('private', owner, `/archive ${ids[0]}`);
    await h.deliver();
    h.tg.press(push, alice, push.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /đã bị rút/);
  });

  it('a channel post or an anonymous admin has nobody to credit', async () => {
    const group = h.tg.chatOf(G);
    h.tg.send(
      group,
      { id: 1087968824, first_name: 'Group', username: 'GroupAnonymousBot', is_bot: true },
      `/shared ${ids[1]}`,
      { sender_chat: group },
    );
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /không xác định được người gửi/);
  });

  it('/undo removes the last record from the last 24 hours and says which', async () => {
    const before = (await records(h)).filter((x) => Number(x.user_id) === bình.id);
    h.tg.send(h.tg.chatOf(G), bình, '/undo');
    await h.deliver();
    const afterUndo = (await records(h)).filter((x) => Number(x.user_id) === bình.id);
    assert.equal(afterUndo.length, before.length - 1);
    assert.equal(h.tg.reactions.at(-1)?.emoji, '👌');
    // A day later, nothing is undoable.
    h.clock.now = new Date(h.clock.now.getTime() + 25 * 3600_000);
    h.tg.send(h.tg.chatOf(G), bình, '/undo');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /không có lượt nào trong 24 giờ/);
    h.clock.now = new Date(h.clock.now.getTime() - 25 * 3600_000);
  });

  it('/undo handled again by the next process after a crash removes nothing more', async () => {
    for (const row of push.reply_markup!.inline_keyboard) h.tg.press(push, bình, row[0]!.callback_data!);
    await h.deliver();
    const mine = async () => (await records(h)).filter((x) => Number(x.user_id) === bình.id).length;
    const before = await mine();
    assert.ok(before >= 2, 'two records to undo, should /undo run twice');
    h.tg.send(h.tg.chatOf(G), bình, '/undo');
    const [update] = h.tg.takeUpdates();
    // A process handles the /undo and dies before anything else happens; the next one is handed it again.
    const first = await h.restarted();
    await first.handleUpdate(update!);
    await first.idle();
    assert.equal(await mine(), before - 1);
    const next = await h.restarted();
    await next.handleUpdate(update!);
    await next.idle();
    assert.equal(await mine(), before - 1, 'the second handling found it handled and removed nothing');
  });

  it('/me shows figures equal to what was recorded, rank and streak', async () => {
    const mine = (await records(h)).filter((x) => Number(x.user_id) === alice.id);
    const shared = mine.filter((r) => r.kind === 'shared').length;
    const rebutted = mine.filter((r) => r.kind === 'rebutted').length;
    const points = mine.reduce((n, r) => n + r.points, 0);
    h.tg.send(h.tg.chatOf(G), alice, '/me');
    await h.deliver();
    const text = lastTextTo(h.tg, alice.id);
    assert.match(text, new RegExp(`This week: ${shared} shared, ${rebutted} rebutted, ${points} point`));
    assert.match(text, new RegExp(`All time: ${shared} shared, ${rebutted} rebutted, ${points} point`));
    assert.match(text, /Rank in Chi đoàn 3 this week: \d/);
    assert.match(text, /Streak: 1 day/);
  });

  it('a member flooding commands is ignored for a minute, told once', async () => {
    const flooder = { id: 3999, first_name: 'Flood' };
    h.tickMs = 50;
    for (let i = 0; i < 25; i++) h.tg.send(h.tg.chatOf(G), flooder, '/help');
    await h.deliver();
    const texts = h.tg.messagesTo(G).map((m) => m.text ?? '');
    assert.equal(texts.filter((t) => /quá nhanh/.test(t)).length, 1);
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    h.tickMs = 600;
    h.tg.send(h.tg.chatOf(G), flooder, '/help');
    await h.deliver();
    assert.match(lastTextTo(h.tg, G), /Các lệnh của Loa/);
  });
});

describe('which updates touch only their member’s own record (they go on beside other members’: see ChatLanes)', () => {
  const command = (text: string, from = 7) =>
    ({
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: G, type: 'supergroup' },
        from: { id: from, is_bot: false, first_name: 'A' },
        text,
        entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
      },
    }) as unknown as Update;
  const press = (data: string) =>
    ({
      update_id: 2,
      callback_query: { id: 'q', from: { id: 8 }, chat_instance: 'i', data, message: { chat: { id: G } } },
    }) as unknown as Update;

  it('a press of Shared or Rebutted, /shared, /rebutted and /undo: their member (a press, its record); anything else: the whole chat', () => {
    assert.deepEqual(ownRecordOf(press('rec:s:12')), { member: 8, record: 'shared:12' });
    assert.deepEqual(ownRecordOf(press('rec:r:12:-3001')), { member: 8, record: 'rebutted:12' });
    assert.equal(ownRecordOf(press('que')), undefined, 'a leader’s queue button');
    assert.equal(ownRecordOf(press('rec:x:12')), undefined, 'not a button of ours');
    assert.deepEqual(ownRecordOf(command('/shared 12')), { member: 7 });
    assert.deepEqual(ownRecordOf(command('/rebutted@LoaBot https://x.example/1')), { member: 7 });
    assert.deepEqual(ownRecordOf(command('/undo')), { member: 7 });
    assert.equal(ownRecordOf(command('/today')), undefined);
    assert.equal(ownRecordOf(command('/archive 12')), undefined);
    assert.equal(ownRecordOf(command('/sharedfoo 12')), undefined);
    const text = { ...command('/shared 12') } as { message: { entities?: unknown[] } };
    text.message = { ...text.message, entities: [] };
    assert.equal(ownRecordOf(text as unknown as Update), undefined, 'not a command');
  });
});
