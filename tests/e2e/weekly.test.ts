import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '../../src/db/index.ts';
import { DateTime } from 'luxon';
import { FakeTelegram } from '../support/fake-telegram.ts';
import { botEnv, databaseUrlFor, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { cronIn, notToday } from '../support/schedules.ts';

const { owner, leader } = people;

const NOT_THIS_WEEK = notToday();

describe('the weekly summary, end to end', () => {
  const running: BotProcess[] = [];
  let tg: FakeTelegram | undefined;
  after(async () => {
    for (const b of running) await b.stop('SIGKILL');
    await tg?.stop();
  });

  it('goes to every group at its hour with its chart, and a crash and restart do not send it again', async () => {
    tg = new FakeTelegram();
    await tg.start();
    const dir = tempDir();
    const env = (extra: Record<string, string>) => botEnv(tg!, dir, { ADMIN_IDS: String(owner.id), ...extra });
    let bot = startBot(env({ WEEKLY_SUMMARY_CRON: NOT_THIS_WEEK }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);
    const groups = [-9301, -9302, -9303].map((id, i) => tg!.addGroup(id, `Nhóm tuần ${i + 1}`, [leader]).id);
    tg.send('private', owner, '/start');
    tg.send('private', leader, '/start');
    await tg.waitFor(() => tg!.messagesTo(leader.id).length > 0, 10_000, 'the leader /start');
    await bot.stop('SIGTERM');

    // Last week's records, written straight into the database as earlier weeks of use would have left them.
    const db = createDb(databaseUrlFor(dir));
    const lastWeek = DateTime.now()
      .setZone('Asia/Ho_Chi_Minh')
      .startOf('week')
      .minus({ days: 5 })
      .set({ hour: 10 })
      .toUTC()
      .toISO()!;
    await db
      .insertInto('users')
      .values({ id: 7777, first_name: 'Hoa', updated_at: lastWeek } as never)
      .execute();
    for (const [i, g] of groups.entries()) {
      await db
        .insertInto('memberships')
        .values({ chat_id: g, user_id: 7777, status: 'member', first_seen_at: lastWeek, last_seen_at: lastWeek })
        .execute();
      for (let k = 0; k <= i; k++) {
        await db
          .insertInto('records')
          .values({
            user_id: 7777,
            chat_id: g,
            kind: 'rebutted',
            link: `https://s.example/${g}/${k}`,
            points: 2,
            created_at: lastWeek,
          } as never)
          .execute();
      }
    }
    await db.destroy();

    bot = startBot(env({ WEEKLY_SUMMARY_CRON: cronIn(6) }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);
    const weeklyOf = (g: number) =>
      tg!.messagesTo(g).filter((m) => /Tổng kết tuần/.test(m.text ?? '') || m.method === 'sendPhoto');
    await tg.waitFor(() => groups.every((g) => weeklyOf(g).length === 2), 20_000, 'every group’s summary and chart');
    assert.match(weeklyOf(groups[2]!)[0]!.text!, /Phản bác: 3/);
    await tg.waitFor(
      () => tg!.messagesTo(leader.id).some((m) => /tổng kết tuần/.test(m.text ?? '')),
      10_000,
      'the leader’s roll-up',
    );
    await bot.stop('SIGKILL');

    // Restart after the hour: the job is caught up, finds it all delivered, and sends nothing.
    bot = startBot(env({ WEEKLY_SUMMARY_CRON: cronIn(-2) }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);
    await new Promise((r) => setTimeout(r, 2500));
    for (const g of groups) assert.equal(weeklyOf(g).length, 2);
    assert.equal(tg.messagesTo(leader.id).filter((m) => /tổng kết tuần/.test(m.text ?? '')).length, 1);
    await bot.stop('SIGTERM');
  });
});
