import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '../../src/db/index.ts';
import { FakeTelegram, type TgUser } from '../support/fake-telegram.ts';
import { botEnv, databaseUrlFor, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { notToday } from '../support/schedules.ts';

// SIGKILL during a flood that spans several chats, each handled in its own lane: after the restart every press
// is recorded once, in its own group, none lost and none twice (Telegram is told an update is done only once it
// is handled). A file of its own: each file has its own time limit, and crash.test.ts uses most of one.

const { owner, leader } = people;
const NOT_TODAY = notToday();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIGKILL during a flood across chats', () => {
  const running: BotProcess[] = [];
  after(async () => {
    for (const b of running) await b.stop('SIGKILL');
  });

  it('SIGKILL during a flood across several chats: every press recorded once after the restart, none lost', async () => {
    const fake = new FakeTelegram(undefined, {
      limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 },
    });
    await fake.start();
    try {
      const dir = tempDir();
      const boot = async () => {
        const bot = startBot(botEnv(fake, dir, { ADMIN_IDS: String(owner.id), DAILY_PUSH_CRON: NOT_TODAY }));
        running.push(bot);
        await bot.waitForLog(/polling for updates/, 20_000);
        return bot;
      };
      let bot = await boot();
      const groups = Array.from({ length: 5 }, (_, i) => fake.addGroup(-30_000 - i, `Chi đoàn ${i}`, [leader]));
      fake.send('private', owner, '/start');
      fake.send('private', owner, '/post https://news.example/lanes Bài cho mọi chi đoàn');
      await fake.waitFor(() => fake.messagesTo(owner.id).length >= 2, 10_000, 'the /post');
      for (const g of groups) fake.send(g, leader, '/today');
      const todays = await fake.waitFor(
        () => {
          const found = groups.map((g) => fake.messagesTo(g.id).find((m) => m.reply_markup));
          return found.every(Boolean) ? found : undefined;
        },
        15_000,
        'each group’s /today',
      );
      await fake.drained(10_000);
      await bot.stop('SIGTERM');

      // 120 members in each of the five groups press Shared, and each of them also asks for /me.
      const expected = new Set<string>();
      for (const [g, today] of todays.entries()) {
        const shared = today!.reply_markup!.inline_keyboard[0]![0]!.callback_data!;
        for (let i = 0; i < 120; i++) {
          const m: TgUser = { id: 200_000 + g * 1000 + i, first_name: `M${g}.${i}` };
          fake.press(today!, m, shared);
          fake.send(groups[g]!, m, '/me');
          expected.add(`${m.id}:${groups[g]!.id}`);
        }
      }
      for (let k = 0; k < 5; k++) {
        bot = await boot();
        await sleep(300 + Math.floor(Math.random() * 700));
        await bot.stop('SIGKILL');
      }
      bot = await boot();
      await fake.waitFor(() => fake.pendingUpdates() === 0, 60_000, 'every update to be handled and confirmed');
      await bot.stop('SIGTERM');

      const db = createDb(databaseUrlFor(dir));
      const records = await db
        .selectFrom('records')
        .select(['user_id', 'chat_id'])
        .where('kind', '=', 'shared')
        .where('user_id', '>=', 200_000)
        .execute();
      await db.destroy();
      const got = new Map<string, number>();
      for (const r of records) got.set(`${r.user_id}:${r.chat_id}`, (got.get(`${r.user_id}:${r.chat_id}`) ?? 0) + 1);
      assert.equal(records.length, expected.size, 'one record per press: none lost, none twice');
      for (const key of expected) assert.equal(got.get(key), 1, `press ${key} recorded once, in its own group`);
    } finally {
      await fake.stop();
    }
  });
});
