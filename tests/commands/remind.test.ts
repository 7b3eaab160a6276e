import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, ownersArticle, lastTextTo, people, type Harness } from '../support/harness.ts';
import { submitArticle } from '../../src/domain/articles.ts';
import { runDailyPush } from '../../src/jobs/push.ts';
import { eveningJobOverdue, runEveCheck, runReminders } from '../../src/jobs/reminders.ts';
import type { SentMessage } from '../support/fake-telegram.ts';

// The evening: a member's private reminder and its buttons (which record in the member's group), /remind on|off,
// and the eve check for leaders and owners with its button to the proposals waiting.

const { owner, leader, otherLeader, alice, bình } = people;
const G = -5101;
const H = -5102;
const at = (iso: string) => new Date(iso);
const isReminder = (m: SentMessage) => /🔔/.test(m.text ?? '') && (m.reply_markup?.inline_keyboard.length ?? 0) > 0;
const remindersTo = (h: Harness, userId: number) => h.tg.messagesTo(userId).filter(isReminder);
const isEve = (m: SentMessage) => /🌙/.test(m.text ?? '');
const evesTo = (h: Harness, userId: number) => h.tg.messagesTo(userId).filter(isEve);
const recordsOf = (h: Harness, userId: number) =>
  h.db.selectFrom('records').selectAll().where('user_id', '=', userId).orderBy('id').execute();

describe('reminders and the eve check', () => {
  let h: Harness;
  let shared: number;
  let ofH: number;
  before(async () => {
    h = await createHarness({ now: at('2026-11-30T00:30:00Z') }); // Monday 07:30 in Ho Chi Minh City
    h.tg.addGroup(G, 'Chi đoàn Một', [leader]);
    h.tg.addGroup(H, 'Chi đoàn Hai', [otherLeader]);
    for (const u of [leader, alice, bình]) h.tg.send(h.tg.chatOf(G), u, 'chào');
    h.tg.send(h.tg.chatOf(H), otherLeader, 'chào');
    for (const u of [owner, leader, otherLeader, alice, bình]) h.tg.send('private', u, '/start');
    await h.deliver();
    shared = (await ownersArticle(h, 'https://news.example/chung', 'Bài chung')).id;
    ofH = (await ownersArticle(h, 'https://news.example/hai', 'Bài nhóm Hai', '2026-11-30', H)).id;
    await runDailyPush(h.deps);
    await h.deliver();
    h.clock.now = at('2026-11-30T12:00:00Z'); // 19:00
  });
  after(() => h.close());

  it('whoever recorded nothing gets one private reminder: the day’s articles of their group, buttons that name it', async () => {
    await runReminders(h.deps);
    await h.deliver();
    const [reminder, ...more] = remindersTo(h, bình.id);
    assert.ok(reminder, 'bình is reminded');
    assert.equal(more.length, 0);
    assert.match(reminder.text!, /Nhắc việc hôm nay[\s\S]*«Chi đoàn Một»[\s\S]*Bài chung/);
    assert.doesNotMatch(reminder.text!, /Bài nhóm Hai/, 'another group’s article is not shown');
    assert.match(reminder.text!, /\/remind off/, 'the first reminder says how to stop them');
    assert.deepEqual(
      reminder.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data),
      [`rec:s:${shared}:${G}`, `rec:r:${shared}:${G}`],
    );
    assert.match(remindersTo(h, alice.id)[0]!.text!, /Today’s reminder/, 'in the member’s language');
    assert.match(remindersTo(h, otherLeader.id)[0]!.text!, /Bài nhóm Hai/);
    assert.equal(remindersTo(h, owner.id).length, 0, 'the owner is in no group');
    await runReminders(h.deps);
    await h.deliver();
    assert.equal(remindersTo(h, bình.id).length, 1, 'a second run the same day sends nothing again');
  });

  it('a press in the private reminder records for the member in their group', async () => {
    const reminder = remindersTo(h, bình.id)[0]!;
    h.tg.press(reminder, bình, `rec:s:${shared}:${G}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Đã ghi nhận/);
    const mine = await recordsOf(h, bình.id);
    assert.deepEqual(
      mine.map((r) => [Number(r.chat_id), Number(r.article_id), r.kind]),
      [[G, shared, 'shared']],
    );
  });

  it('a forged press is refused: a group the presser is not in, an article not meant for the group, a member who left', async () => {
    const reminder = remindersTo(h, alice.id)[0]!;
    const before = (await recordsOf(h, alice.id)).length;
    h.tg.press(reminder, alice, `rec:s:${shared}:${H}`); // alice is not in H
    h.tg.press(reminder, alice, `rec:s:${ofH}:${G}`); // H's article, recorded in G
    h.tg.press(reminder, alice, `rec:s:${shared}:-999`); // a group Loa does not know
    await h.deliver();
    const answers = h.tg.callbackAnswers.slice(-3).map((a) => a.text ?? '');
    assert.match(answers[0]!, /Only members of this group/);
    assert.match(answers[1]!, new RegExp(`no article #${ofH}`));
    assert.match(answers[2]!, /Only members of this group/);
    // The group's own push does not take a reminder's data.
    const push = h.tg.messagesTo(G).find((m) => /📣/.test(m.text ?? ''))!;
    h.tg.press(push, alice, `rec:s:${shared}:${G}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /không còn hiệu lực/, 'in the group’s language');
    await h.db
      .updateTable('memberships')
      .set({ status: 'left' })
      .where('chat_id', '=', G)
      .where('user_id', '=', alice.id)
      .execute();
    h.tg.press(reminder, alice, `rec:s:${shared}:${G}`);
    await h.deliver();
    assert.match(h.tg.callbackAnswers.at(-1)!.text!, /Only members of this group/);
    assert.equal((await recordsOf(h, alice.id)).length, before, 'nothing recorded');
    await h.db
      .updateTable('memberships')
      .set({ status: 'member' })
      .where('chat_id', '=', G)
      .where('user_id', '=', alice.id)
      .execute();
  });

  it('/remind off is honoured the next evening, /remind on brings them back; in a group it answers in private', async () => {
    h.tg.send('private', bình, '/remind off');
    await h.deliver();
    assert.match(lastTextTo(h.tg, bình.id), /Đã tắt nhắc việc/);
    h.tg.send(h.tg.chatOf(G), alice, '/remind off');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /in a private chat/);
    h.tg.send('private', alice, '/remind');
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /reminders are on/);

    // Tuesday: a new article, pushed; bình off, alice still on.
    h.clock.now = at('2026-12-01T00:30:00Z');
    await ownersArticle(h, 'https://news.example/ba', 'Bài thứ Ba', '2026-12-01');
    await runDailyPush(h.deps);
    h.clock.now = at('2026-12-01T12:00:00Z');
    await runReminders(h.deps);
    await h.deliver();
    assert.equal(remindersTo(h, bình.id).length, 1, 'no reminder after /remind off');
    const second = remindersTo(h, alice.id);
    assert.equal(second.length, 2);
    assert.doesNotMatch(second[1]!.text!, /\/remind off/, 'only the first reminder explains how to stop');
    h.tg.send('private', bình, '/remind on');
    await h.deliver();
    assert.match(lastTextTo(h.tg, bình.id), /Đã bật nhắc việc/);
    const row = await h.db.selectFrom('users').select('reminders').where('id', '=', bình.id).executeTakeFirstOrThrow();
    assert.equal(Number(row.reminders), 1);
  });

  it('the eve check tells leaders and owners when nothing is approved for tomorrow, once, with a button to the queue', async () => {
    h.clock.now = at('2026-12-01T13:00:00Z'); // Tuesday 20:00; nothing for Wednesday
    const proposal = await submitArticle(
      h.db,
      { url: 'https://news.example/de-xuat', title: 'Đề xuất', proposedBy: bình.id, proposedIn: G, scopeChatId: G },
      h.clock.now,
    );
    await runEveCheck(h.deps);
    await h.deliver();
    const [toOwner] = evesTo(h, owner.id);
    assert.match(
      toOwner!.text!,
      /Chuẩn bị bài cho ngày mai — 2\/12\/2026[\s\S]*chưa có bài nào được duyệt cho nhóm nào/,
    );
    assert.match(toOwner!.text!, /<b>1<\/b> đề xuất chờ duyệt|1 đề xuất chờ duyệt/);
    const [toLeader] = evesTo(h, leader.id);
    assert.match(toLeader!.text!, /Ngày mai nhóm «Chi đoàn Một» chưa có bài nào được duyệt/);
    assert.match(toLeader!.text!, /1 đề xuất chờ duyệt/);
    assert.doesNotMatch(toLeader!.text!, /Chi đoàn Hai/, 'a leader hears of their own groups');
    const [toOther] = evesTo(h, otherLeader.id);
    assert.match(toOther!.text!, /không có đề xuất nào chờ duyệt[\s\S]*\/post trong nhóm/);
    assert.equal(toOther!.reply_markup, undefined, 'no queue to open');
    for (const member of [alice, bình]) assert.equal(evesTo(h, member.id).length, 0, 'members are not told');

    h.tg.press(toLeader!, leader, toLeader!.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
    await h.deliver();
    const queue = h.tg.messagesTo(leader.id).at(-1)!;
    assert.match(queue.text!, /Đang chờ duyệt/);
    assert.ok(
      queue.reply_markup!.inline_keyboard.flat().some((b) => b.callback_data === `dec:a:${proposal.id}`),
      'the queue opens with its buttons',
    );
    h.tg.press(remindersTo(h, alice.id)[0]!, alice, 'que'); // forged, on a message in alice's own chat
    await h.deliver();
    assert.match(lastTextTo(h.tg, alice.id), /Only Loa’s operators/, 'the button opens only what the presser may see');

    await runEveCheck(h.deps);
    await h.deliver();
    assert.equal(evesTo(h, leader.id).length, 1, 'once per person and day');
    assert.equal(evesTo(h, owner.id).length, 1);
  });

  it('the eve check is silent when tomorrow is ready', async () => {
    h.clock.now = at('2026-12-02T01:00:00Z');
    await ownersArticle(h, 'https://news.example/nam', 'Bài thứ Năm', '2026-12-03');
    h.clock.now = at('2026-12-02T13:00:00Z'); // Wednesday 20:00; Thursday has an every-group article
    const before = h.tg.messages.length;
    const run = await runEveCheck(h.deps);
    await h.deliver();
    assert.equal(run.due, 0);
    assert.equal(h.tg.messages.slice(before).filter(isEve).length, 0);
  });

  it('a missed evening job runs late only the same evening and only within three hours', async () => {
    const cron = h.config.nudgeCron!;
    assert.equal(cron, '0 19 * * *');
    const overdue = (iso: string) => eveningJobOverdue(h.deps, 'nudge', cron, at(iso));
    assert.equal(await overdue('2026-12-03T10:00:00Z'), false, '17:00: not yet');
    assert.equal(await overdue('2026-12-03T12:30:00Z'), true, '19:30: missed, run now');
    assert.equal(await overdue('2026-12-03T15:30:00Z'), false, '22:30: too late, wait for tomorrow');
    assert.equal(await overdue('2026-12-01T12:30:00Z'), false, 'Tuesday’s run finished');
  });
});
