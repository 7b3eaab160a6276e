import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { createDb, migrate } from '../../src/db/index.ts';
import { postArticle } from '../../src/domain/articles.ts';
import { markStarted, registerGroup, seeMember, seeUser } from '../../src/domain/chats.ts';
import { localDay } from '../../src/domain/periods.ts';
import { claim, confirmSent } from '../../src/domain/pushes.ts';
import { recordAction } from '../../src/domain/records.ts';
import { FakeTelegram, type SentMessage, type TgUser } from '../support/fake-telegram.ts';
import { botEnv, databaseUrlFor, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { cronIn, notToday } from '../support/schedules.ts';

// The evening, end to end: the real process against the fake Bot API. Reminders reach the right members only,
// once, through restarts and SIGKILLs; /remind off is honoured; the eve check speaks when tomorrow has nothing
// approved, and is silent when it has.

const { owner, leader, alice, bình } = people;
const chi: TgUser = { id: 3003, first_name: 'Chi', language_code: 'vi' };
const dũng: TgUser = { id: 3004, first_name: 'Dũng', language_code: 'vi' };
const ZONE = 'Asia/Ho_Chi_Minh';
const LIMITS = { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 };
const NEVER = notToday();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isReminder = (m: SentMessage) =>
  /🔔/.test(m.text ?? '') &&
  (m.reply_markup?.inline_keyboard ?? []).some((row) =>
    row.some((b) => /^rec:[sr]:\d+:-\d+$/.test(b.callback_data ?? '')),
  );
const isEve = (m: SentMessage) => /🌙/.test(m.text ?? '');

describe('reminders and the eve check, end to end', () => {
  const running: BotProcess[] = [];
  const fakes: FakeTelegram[] = [];
  after(async () => {
    for (const b of running) await b.stop('SIGKILL');
    for (const f of fakes) await f.stop();
  });
  const boot = async (tg: FakeTelegram, dir: string, extra: Record<string, string>) => {
    const bot = startBot(
      botEnv(tg, dir, {
        ADMIN_IDS: String(owner.id),
        DAILY_PUSH_CRON: NEVER,
        NUDGE_CRON: NEVER,
        EVE_CRON: NEVER,
        ...extra,
      }),
    );
    running.push(bot);
    await bot.waitForLog(/polling for updates/, 20_000);
    return bot;
  };

  it('the right members only, once across a restart; /remind off honoured; a press records in the group; the eve check speaks', async () => {
    const tg = new FakeTelegram();
    fakes.push(tg);
    await tg.start();
    const dir = tempDir();
    let bot = await boot(tg, dir, {});
    const group = tg.addGroup(-6101, 'Chi đoàn Nhắc', [leader]);
    for (const u of [leader, alice, bình, chi, dũng]) tg.send(group, u, 'chào');
    for (const u of [owner, leader, alice, bình, chi]) tg.send('private', u, '/start');
    await tg.waitFor(
      () => [owner, leader, alice, bình, chi].every((u) => tg.messagesTo(u.id).length > 0),
      15_000,
      'the /start answers',
    );
    tg.send('private', chi, '/remind off');
    await tg.waitFor(
      () => tg.messagesTo(chi.id).some((m) => /Đã tắt nhắc việc/.test(m.text ?? '')),
      10_000,
      '/remind off',
    );
    tg.send('private', owner, '/post https://news.example/nhac Bài cần chia sẻ');
    await tg.waitFor(() => tg.messagesTo(owner.id).some((m) => /Đã thêm/.test(m.text ?? '')), 10_000, 'the post');
    tg.send('private', owner, '/push');
    const push = await tg.waitFor(
      () => tg.messagesTo(group.id).find((m) => /📣/.test(m.text ?? '')),
      15_000,
      'the push to the group',
    );
    const articleId = Number(/rec:s:(\d+)/.exec(push.reply_markup!.inline_keyboard[0]![0]!.callback_data!)![1]);
    const pressed = tg.press(push, bình, `rec:s:${articleId}`);
    await tg.waitFor(() => tg.callbackAnswers.find((a) => a.id === pressed), 10_000, "bình's press");
    await bot.stop('SIGTERM');

    // 19:00 has just passed while the bot was down: it catches up at start, as does the eve check.
    bot = await boot(tg, dir, { NUDGE_CRON: cronIn(-5), EVE_CRON: cronIn(-5) });
    await bot.waitForLog(/reminders run/, 20_000);
    await bot.waitForLog(/eve check run/, 20_000);
    await tg.drained(10_000);
    const reminders = (u: TgUser) => tg.messagesTo(u.id).filter(isReminder);
    assert.equal(reminders(alice).length, 1, 'alice recorded nothing');
    assert.equal(reminders(leader).length, 1, 'nor did the leader, a member too');
    assert.equal(reminders(bình).length, 0, 'bình recorded');
    assert.equal(reminders(chi).length, 0, 'chi sent /remind off');
    assert.equal(reminders(dũng).length, 0, 'dũng never started the bot');
    assert.equal(reminders(owner).length, 0, 'the owner is in no group');
    assert.match(
      reminders(alice)[0]!.text!,
      /Today’s reminder[\s\S]*Chi đoàn Nhắc[\s\S]*Bài cần chia sẻ[\s\S]*\/remind off/,
    );
    for (const u of [owner, leader]) {
      const eve = tg.messagesTo(u.id).filter(isEve);
      assert.equal(eve.length, 1, `${u.first_name} hears that tomorrow has nothing`);
      assert.match(eve[0]!.text!, /Chuẩn bị bài cho ngày mai[\s\S]*chưa có bài nào được duyệt/);
    }
    for (const u of [alice, bình, chi]) assert.equal(tg.messagesTo(u.id).filter(isEve).length, 0);

    // alice records from her reminder: in the group.
    const reminder = reminders(alice)[0]!;
    const answer = tg.press(reminder, alice, reminder.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
    const answered = await tg.waitFor(() => tg.callbackAnswers.find((a) => a.id === answer), 10_000, "alice's press");
    assert.match(answered.text ?? '', /Recorded: you shared/);

    // A restart the same evening sends nothing again.
    await bot.stop('SIGTERM');
    bot = await boot(tg, dir, { NUDGE_CRON: cronIn(-10), EVE_CRON: cronIn(-10) });
    await sleep(3000);
    for (const u of [alice, leader]) assert.equal(reminders(u).length, 1, `${u.first_name}: one reminder a day`);
    for (const u of [owner, leader]) assert.equal(tg.messagesTo(u.id).filter(isEve).length, 1);
    await bot.stop('SIGTERM');

    const db = createDb(databaseUrlFor(dir));
    const rows = await db
      .selectFrom('records')
      .select(['chat_id', 'article_id'])
      .where('user_id', '=', alice.id)
      .execute();
    await db.destroy();
    assert.deepEqual(
      rows.map((r) => [Number(r.chat_id), Number(r.article_id)]),
      [[group.id, articleId]],
    );
  });

  it('the eve check is silent when tomorrow has an approved article', async () => {
    const tg = new FakeTelegram();
    fakes.push(tg);
    await tg.start();
    const dir = tempDir();
    let bot = await boot(tg, dir, {});
    tg.addGroup(-6201, 'Chi đoàn Sẵn sàng', [leader]);
    for (const u of [owner, leader]) tg.send('private', u, '/start');
    await tg.waitFor(() => [owner, leader].every((u) => tg.messagesTo(u.id).length > 0), 15_000, '/start');
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 });
    tg.send('private', owner, `/post https://news.example/mai Bài ngày mai --date ${tomorrow.day}/${tomorrow.month}`);
    await tg.waitFor(() => tg.messagesTo(owner.id).some((m) => /Đã thêm/.test(m.text ?? '')), 10_000, 'the post');
    await bot.stop('SIGTERM');
    bot = await boot(tg, dir, { EVE_CRON: cronIn(-5) });
    await bot.waitForLog(/eve check run/, 20_000);
    await sleep(1000);
    assert.match(bot.output(), /"told":0/);
    for (const u of [owner, leader]) assert.equal(tg.messagesTo(u.id).filter(isEve).length, 0);
    await bot.stop('SIGTERM');
  });

  it('a reminder run for 300 members killed with SIGKILL three times: nobody twice, nobody who recorded, all but those on the wire', async () => {
    const tg = new FakeTelegram(undefined, { limits: LIMITS });
    fakes.push(tg);
    await tg.start();
    const dir = tempDir();
    // Seeded straight into the database: three groups that got today's article, 300 members who started the bot.
    const db = createDb(databaseUrlFor(dir));
    await migrate(db);
    const now = new Date();
    const day = localDay(now, ZONE);
    await seeUser(db, owner, now);
    const groups = [-6301, -6302, -6303];
    for (const id of groups) await registerGroup(db, { id, type: 'supergroup', title: `Nhóm ${id}` }, now);
    const posted = await postArticle(
      db,
      {
        url: 'https://news.example/dem',
        title: 'Bài tối',
        proposedBy: owner.id,
        proposedIn: owner.id,
        scopeChatId: undefined,
      },
      day,
      now,
    );
    assert.ok(posted.ok);
    for (const id of groups) {
      const batch = await claim(db, id, [posted.article.id], day, now);
      await confirmSent(db, id, batch!, 1, now);
    }
    const members: TgUser[] = Array.from({ length: 300 }, (_, i) => ({
      id: 900_000 + i,
      first_name: `Đoàn viên ${i}`,
    }));
    const recorded = new Set<number>();
    for (const [i, m] of members.entries()) {
      await seeMember(db, groups[i % 3]!, m, 'member', now);
      await markStarted(db, m.id);
      tg.markStarted(m.id);
      if (i % 10 === 0) {
        const r = await recordAction(
          db,
          { userId: m.id, chatId: groups[i % 3], articleId: posted.article.id, kind: 'shared' },
          { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: ZONE },
          now,
        );
        assert.ok(r.ok);
        recorded.add(m.id);
      }
    }
    await db.destroy();

    // Every second is reminder time: each start resumes the run; each run is cut short by SIGKILL.
    const kills = 3;
    let bot: BotProcess;
    for (let k = 0; k < kills; k++) {
      bot = await boot(tg, dir, { NUDGE_CRON: '* * * * * *' });
      await sleep(1000 + Math.floor(Math.random() * 2500));
      await bot.stop('SIGKILL');
    }
    bot = await boot(tg, dir, { NUDGE_CRON: '* * * * * *' });
    const due = members.filter((m) => !recorded.has(m.id));
    const count = (m: TgUser) => tg.messagesTo(m.id).filter(isReminder).length;
    await tg.waitFor(() => due.filter((m) => count(m) === 0).length <= kills, 60_000, 'the reminders to finish');
    await sleep(2000);
    await bot.stop('SIGTERM');

    const counts = members.map(count);
    assert.equal(Math.max(...counts), 1, 'nobody reminded twice');
    assert.equal(
      members.filter((m) => recorded.has(m.id) && count(m) > 0).length,
      0,
      'nobody who recorded is reminded',
    );
    const missed = due.filter((m) => count(m) === 0);
    assert.ok(missed.length <= kills, `at most one message per kill lost on the wire (missed ${missed.length})`);
    const check = createDb(databaseUrlFor(dir));
    for (const m of missed) {
      const row = await check
        .selectFrom('reminder_deliveries')
        .select('status')
        .where('user_id', '=', m.id)
        .where('kind', '=', 'nudge')
        .executeTakeFirst();
      assert.equal(row?.status, 'sending', `${m.id}: its claim says it was cut short`);
    }
    const sent = await check
      .selectFrom('reminder_deliveries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    await check.destroy();
    assert.equal(Number(sent.n), due.length - missed.length, 'every reminder Telegram accepted is confirmed');
  });
});
