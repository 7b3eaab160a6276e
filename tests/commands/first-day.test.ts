import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDailyPush } from '../../src/jobs/push.ts';
import { runDailyLeaderboard } from '../../src/jobs/reports.ts';
import { createHarness, lastTextTo, people, type Harness } from '../support/harness.ts';
import type { TgUser } from '../support/fake-telegram.ts';

// A unit's first day, as the README tells it, with the default settings (GROUP_ADMISSION=owner): the owner adds
// Loa to a group and is greeted there, a leader posts an article, the morning push, a member's press, the evening
// leaderboard. FIRST_DAY_TRANSCRIPT=1 prints what everyone saw (the README's walk-through is made from it).

const { owner, leader } = people;
const member: TgUser = { id: 7101, first_name: 'Lan', last_name: 'Nguyễn', language_code: 'vi' };
const G = -7100;
// Monday 30 November 2026, 06:30 in Ho Chi Minh City.
const MORNING = new Date('2026-11-29T23:30:00Z');

describe('the first day, with the default settings', () => {
  let h: Harness;
  const transcript: string[] = [];
  const show = (who: string, text: string) => transcript.push(`── ${who}\n${text}`);
  before(async () => {
    h = await createHarness({ env: { GROUP_ADMISSION: 'owner', DAILY_PUSH_CRON: '0 7 * * *' }, now: MORNING });
  });
  after(async () => {
    if (process.env.FIRST_DAY_TRANSCRIPT) console.log(transcript.join('\n\n'));
    await h.close();
  });

  it('the owner adds Loa to the group: greeted in the group’s language, with when the push comes and how to record', async () => {
    h.tg.send('private', owner, '/start');
    await h.deliver();
    h.tg.addGroup(G, 'Chi đoàn Phường 1', [leader], { addedBy: owner, members: [member] });
    await h.deliver();
    const greeting = lastTextTo(h.tg, G);
    show('Chi đoàn Phường 1 (Loa vừa được thêm vào)', greeting);
    assert.match(greeting, /Xin chào các bạn! Đây là Loa/);
    assert.match(greeting, /Hằng ngày vào lúc 7:00/, 'when the push comes, from DAILY_PUSH_CRON');
    assert.match(greeting, /✅ Đã chia sẻ[\s\S]*🛡 Đã phản bác/);
    assert.match(greeting, new RegExp(`@${h.tg.bot.username}`), 'where to press Start');
    assert.match(greeting, /\/post[\s\S]*\/queue[\s\S]*\/summary/, 'the three commands a leader begins with');
    assert.equal(h.tg.messagesTo(G).length, 1, 'greeted once');
  });

  it('a leader posts an article in the group; the push brings it at 7:00 with its buttons', async () => {
    h.tg.send(h.tg.chatOf(G), leader, '/post https://baochinhphu.example/bai-1 Nghị quyết mới về chuyển đổi số');
    await h.deliver();
    show('Chi đoàn Phường 1 — trả lời /post của lãnh đạo', lastTextTo(h.tg, G));
    h.clock.now = new Date('2026-11-30T00:00:00Z'); // 07:00
    await runDailyPush(h.deps);
    await h.deliver();
    const push = h.tg.messagesTo(G).at(-1)!;
    show('Chi đoàn Phường 1 — 7:00', push.text!);
    assert.match(push.text!, /Nghị quyết mới về chuyển đổi số/);
    const buttons = push.reply_markup!.inline_keyboard.flat().map((b) => b.text);
    assert.deepEqual(buttons, ['✅ Đã chia sẻ #1', '🛡 Đã phản bác #1']);
  });

  it('a member presses ✅ and sees the points at once; the evening leaderboard names them', async () => {
    const push = h.tg.messagesTo(G).at(-1)!;
    h.tg.send(h.tg.chatOf(G), member, 'Em chia sẻ rồi ạ');
    h.tg.press(push, member, push.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
    await h.deliver();
    const toast = h.tg.callbackAnswers.at(-1)!.text!;
    show('Lan (thông báo nhỏ sau khi bấm)', toast);
    assert.match(toast, /\+1 điểm/);
    h.clock.now = new Date('2026-11-30T14:00:00Z'); // 21:00
    await runDailyLeaderboard(h.deps);
    await h.deliver();
    const board = lastTextTo(h.tg, G);
    show('Chi đoàn Phường 1 — 21:00', board);
    assert.match(board, /Lan Nguyễn/);
  });
});
