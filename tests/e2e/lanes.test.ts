import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTelegram, type TgUser } from '../support/fake-telegram.ts';
import { botEnv, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { notToday } from '../support/schedules.ts';

// No chat waits for another: a group over Telegram's budget (20 messages a minute) while a private command and
// another group's command are answered at once; the busy group gets its answers as its budget allows, the same
// answer once, and a 👀 on every message whose answer must wait.

const { owner, leader, alice, bình } = people;

describe('a busy group holds up no other chat', () => {
  let tg: FakeTelegram | undefined;
  let bot: BotProcess | undefined;
  after(async () => {
    await bot?.stop('SIGKILL');
    await tg?.stop();
  });

  it('45 members at once in one group: a private /help and another group’s /today are answered before it drains', async () => {
    tg = new FakeTelegram(undefined, { limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 } });
    await tg.start();
    bot = startBot(botEnv(tg, tempDir(), { ADMIN_IDS: String(owner.id), DAILY_PUSH_CRON: notToday() }));
    await bot.waitForLog(/polling for updates/, 20_000);
    const busy = tg.addGroup(-5_000, 'Chi đoàn đông', [leader]);
    const other = tg.addGroup(-6_000, 'Chi đoàn khác', [leader]);
    tg.send('private', owner, '/start');
    tg.send('private', owner, '/post https://news.example/sang Bài sáng nay');
    await tg.waitFor(() => tg!.messagesTo(owner.id).length >= 2, 10_000, 'the owner’s /post');
    await tg.drained(10_000);

    // 25 members mistype a command (each gets their own answer, in the group: none started the bot) and 20 ask
    // for /today (the same answer for all), within the same second.
    const members: TgUser[] = Array.from({ length: 45 }, (_, i) => ({ id: 50_000 + i, first_name: `Đoàn viên ${i}` }));
    const asked = members.map((m, i) => tg!.send(busy, m, i < 25 ? '/shared abc' : '/today'));
    // Then, once the busy group's updates are in hand, someone else asks.
    await tg.waitFor(() => tg!.messagesTo(busy.id).length > 0, 5_000, 'the busy group’s first answers');
    const t0 = Date.now();
    tg.markStarted(alice.id);
    tg.send('private', alice, '/help');
    tg.send(other, bình, '/today');
    await tg.waitFor(() => tg!.messagesTo(alice.id).length > 0, 5_000, 'the private /help');
    const privateMs = Date.now() - t0;
    await tg.waitFor(() => tg!.messagesTo(other.id).some((m) => m.reply_markup), 5_000, 'the other group’s /today');
    const otherMs = Date.now() - t0;

    // The busy group is still over its budget: its answers are far from all out.
    const inBusy = () => tg!.messagesTo(busy.id);
    assert.ok(inBusy().length <= 20, `the busy group got at most its minute’s 20 messages so far (${inBusy().length})`);
    assert.ok(
      privateMs < 5_000 && otherMs < 5_000,
      `answered while the busy group waits (${privateMs}, ${otherMs} ms)`,
    );

    // Nobody is ignored: every member's message gets its answer, or a 👀 at once when the answer must wait or
    // was just given.
    const theirs = asked.map((u) => tg!.memberMessages.get(u)!);
    const acknowledged = () => {
      const seen = new Set(
        tg!.reactions.filter((r) => r.chat_id === busy.id && r.emoji === '👀').map((r) => r.message_id),
      );
      const replied = new Set(inBusy().map((m) => m.reply_to_message_id));
      return theirs.filter((id) => seen.has(id) || replied.has(id)).length;
    };
    await tg.waitFor(() => acknowledged() === 45, 10_000, 'an answer or a 👀 for each of the 45');
    // /today asked twenty times went out once.
    const todays = () => inBusy().filter((m) => m.reply_markup).length;
    assert.ok(todays() <= 1, 'the same answer is not sent twice');
    assert.match(bot.output(), /same answer asked for again in a group; not sent twice/);
  });

  it('a press whose answer hangs, with 150 updates of its group behind it: a private /me is answered meanwhile', async () => {
    await bot?.stop('SIGKILL');
    await tg?.stop();
    tg = new FakeTelegram();
    await tg.start();
    // Telegram may hold a call up to 20 s before the bot gives up on it.
    bot = startBot(botEnv(tg, tempDir(), { ADMIN_IDS: String(owner.id), API_TIMEOUT_MS: '20000' }));
    await bot.waitForLog(/polling for updates/, 20_000);
    const group = tg.addGroup(-7_000, 'Chi đoàn chờ', [leader]);
    tg.send('private', owner, '/start');
    tg.send('private', owner, '/post https://news.example/treo Bài hôm nay');
    await tg.waitFor(() => tg!.messagesTo(owner.id).length >= 2, 10_000, 'the owner’s /post');
    tg.send(group, leader, '/today');
    const today = await tg.waitFor(
      () => tg!.messagesTo(group.id).find((m) => m.reply_markup),
      10_000,
      'the group’s /today with its buttons',
    );
    tg.fail('answerCallbackQuery', 1, { kind: 'hang' });
    tg.press(today, leader, today.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
    await tg.waitFor(() => tg!.callsOf('answerCallbackQuery').length > 0, 5_000, 'the press’s answer, hanging');
    for (let i = 0; i < 150; i += 1) tg.send(group, bình, `chào ${i}`);
    tg.markStarted(alice.id);
    const t0 = Date.now();
    tg.send('private', alice, '/me');
    await tg.waitFor(() => tg!.messagesTo(alice.id).length > 0, 5_000, 'the private /me behind 150 held updates');
    assert.ok(Date.now() - t0 < 5_000);
  });
});
