import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '../../src/db/index.ts';
import { FakeTelegram, type TgUser } from '../support/fake-telegram.ts';
import { botEnv, databaseUrlFor, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { notToday } from '../support/schedules.ts';

// Crash safety: the bot killed with SIGKILL at random points, twenty times, during a push to 200 groups and
// a burst of 5,000 button presses. Every group gets the day's push at most once (a message on the wire when
// the process dies may be lost, and is reported); every press Telegram saw answered is recorded exactly once.

const { owner, leader } = people;
const KILLS = 20;
const NOT_TODAY = notToday();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety under SIGKILL', () => {
  const running: BotProcess[] = [];
  let tg: FakeTelegram | undefined;
  after(async () => {
    for (const b of running) await b.stop('SIGKILL');
    await tg?.stop();
  });

  it(`${KILLS} kills during a push to 200 groups and 5,000 presses: nothing twice, nothing answered and lost`, async () => {
    tg = new FakeTelegram(undefined, { limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 } });
    await tg.start();
    const dir = tempDir();
    const boot = async (cron: string) => {
      const bot = startBot(botEnv(tg!, dir, { ADMIN_IDS: String(owner.id), DAILY_PUSH_CRON: cron }));
      running.push(bot);
      await bot.waitForLog(/polling for updates/, 20_000);
      return bot;
    };
    let bot = await boot(NOT_TODAY);
    const groups = Array.from({ length: 200 }, (_, i) => tg!.addGroup(-20_000 - i, `Nhóm ${i}`, [leader]).id);
    tg.send('private', owner, '/start');
    tg.send('private', owner, '/post https://news.example/crash Bài chịu đựng');
    tg.send('private', owner, '/today');
    const today = await tg.waitFor(
      () => tg!.messagesTo(owner.id).find((m) => m.reply_markup),
      15_000,
      '/today with buttons',
    );
    await tg.drained(15_000);
    await bot.stop('SIGTERM');

    // The burst: 2,500 members press Shared and Rebutted under the owner's /today message.
    const [shared, rebutted] = today.reply_markup!.inline_keyboard[0]!.map((b) => b.callback_data!);
    const presses = new Map<string, { userId: number; kind: string }>();
    for (let i = 0; i < 2500; i++) {
      const m: TgUser = { id: 100_000 + i, first_name: `M${i}` };
      presses.set(tg.press(today, m, shared!), { userId: m.id, kind: 'shared' });
      presses.set(tg.press(today, m, rebutted!), { userId: m.id, kind: 'rebutted' });
    }

    // Every second is push time: each start resumes the push; each run is cut short by SIGKILL.
    for (let k = 0; k < KILLS; k++) {
      bot = await boot('* * * * * *');
      await sleep(200 + Math.floor(Math.random() * 1300));
      await bot.stop('SIGKILL');
    }
    bot = await boot('* * * * * *');
    const pushed = (id: number) => tg!.messagesTo(id).filter((m) => /📣/.test(m.text ?? '')).length;
    await tg.waitFor(
      () => tg!.pendingUpdates() === 0 && groups.filter((g) => pushed(g) === 0).length <= KILLS,
      90_000,
      'the push and the presses to finish',
    );
    await sleep(1500);
    await bot.stop('SIGTERM');

    // The push: never twice; a group without it has a claim left 'sending' by a kill (reported at start).
    const db = createDb(databaseUrlFor(dir));
    const counts = groups.map(pushed);
    assert.equal(Math.max(...counts), 1, 'no group got the push twice');
    const missed = groups.filter((g) => pushed(g) === 0);
    for (const g of missed) {
      const claim = await db.selectFrom('push_items').select('status').where('chat_id', '=', g).executeTakeFirst();
      assert.equal(claim?.status, 'sending', `group ${g} lost its message on the wire, and its claim says so`);
    }
    assert.ok(missed.length <= KILLS);

    // The presses: every one answered as recorded is in the database, exactly once.
    const answered = tg.callbackAnswers.filter((a) => /Đã ghi nhận|từ trước/.test(a.text ?? ''));
    const records = await db
      .selectFrom('records')
      .select(['user_id', 'kind'])
      .where('article_id', 'is not', null)
      .execute();
    const has = new Map<string, number>();
    for (const r of records) has.set(`${r.user_id}:${r.kind}`, (has.get(`${r.user_id}:${r.kind}`) ?? 0) + 1);
    let checked = 0;
    for (const a of answered) {
      const p = presses.get(a.id);
      if (!p) continue;
      assert.equal(has.get(`${p.userId}:${p.kind}`), 1, `press ${a.id} answered, so recorded once`);
      checked += 1;
    }
    const total = Number(
      (
        await db
          .selectFrom('records')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    await db.destroy();
    assert.ok(checked >= 4900, `most presses were answered (${checked})`);
    assert.ok(total <= 5000);
    console.log(
      `# crash loop: ${KILLS} kills; ${200 - missed.length}/200 groups pushed, ${missed.length} lost on the wire; ${checked} presses answered, ${total} records`,
    );
  });
});
