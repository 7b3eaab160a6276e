import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { createDb } from '../../src/db/index.ts';
import { FakeTelegram, type SentMessage } from '../support/fake-telegram.ts';
import { botEnv, databaseUrlFor, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { notToday } from '../support/schedules.ts';

const { owner, leader, alice, bình } = people;
const G = -9701;
const ZONE = 'Asia/Ho_Chi_Minh';

describe('campaigns, closed articles and targets, end to end', () => {
  const running: BotProcess[] = [];
  let tg: FakeTelegram | undefined;
  after(async () => {
    for (const b of running) await b.stop('SIGKILL');
    await tg?.stop();
  });

  it('a campaign’s leaderboard, an article closing under its buttons, and the target in the summary', async () => {
    tg = new FakeTelegram();
    await tg.start();
    const dir = tempDir();
    const env = (extra: Record<string, string>) =>
      botEnv(tg!, dir, { ADMIN_IDS: String(owner.id), DAILY_PUSH_CRON: notToday(), ...extra });
    let bot = startBot(env({ ARTICLE_OPEN_DAYS: '1' }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);
    const group = tg.addGroup(G, 'Chi đoàn chiến dịch', [leader]);
    tg.send('private', leader, '/start');
    for (const u of [leader, alice, bình]) tg.send(group, u, 'chào');
    await tg.waitFor(() => tg!.messagesTo(leader.id).length > 0, 10_000, 'the leader /start');

    // Yesterday's article, as a day of use would have left it.
    await bot.stop('SIGTERM');
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()!;
    const db = createDb(databaseUrlFor(dir));
    const old = await db
      .insertInto('articles')
      .values({
        url: 'https://news.example/hom-qua',
        title: 'Bài hôm qua',
        scope_chat_id: G,
        state: 'approved',
        publish_date: yesterday,
        created_at: new Date().toISOString(),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.destroy();
    bot = startBot(env({ ARTICLE_OPEN_DAYS: '1' }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);

    const said = (chatId: number) => tg!.messagesTo(chatId).map((m) => m.text ?? '');
    const next = async (chatId: number, pattern: RegExp, what: string): Promise<SentMessage> =>
      tg!.waitFor(() => tg!.messagesTo(chatId).find((m) => pattern.test(m.text ?? '')), 15_000, what);

    tg.send(group, leader, '/campaign new dot1');
    await next(G, /Đã tạo chiến dịch #dot1/, 'the campaign set up');
    tg.send(group, leader, '/post https://news.example/chien-dich Bài chiến dịch #dot1');
    await next(G, /Đã thêm bài #\d+ vào chiến dịch #dot1/, 'the article in the campaign');
    tg.send(group, leader, '/post https://news.example/thuong Bài thường');
    await tg.waitFor(
      () => said(G).filter((t) => /Đã thêm bài #\d+ cho ngày/.test(t)).length === 2,
      15_000,
      'both posted',
    );
    const [campaignId, plainId] = said(G)
      .filter((t) => /Đã thêm bài #\d+ cho ngày/.test(t))
      .map((t) => Number(/Đã thêm bài #(\d+)/.exec(t)![1]));

    // The leader pushes today's articles to the group; members press their buttons.
    tg.send(group, leader, '/push');
    const pushOf = (title: string) =>
      tg!.waitFor(
        () => tg!.messagesTo(G).find((m) => (m.text ?? '').includes(title) && m.reply_markup),
        15_000,
        `the push of ${title}`,
      );
    tg.press(await pushOf('Bài chiến dịch'), alice, `rec:s:${campaignId}`);
    const plainPush = await pushOf('Bài thường');
    tg.press(plainPush, bình, `rec:s:${plainId}`);
    tg.press(plainPush, bình, `rec:r:${plainId}`);
    await tg.waitFor(() => tg!.callbackAnswers.length >= 3, 15_000, 'three toasts');
    assert.ok(
      tg.callbackAnswers.every((a) => /Đã ghi nhận|Ghi nhận/i.test(a.text ?? '')),
      JSON.stringify(tg.callbackAnswers),
    );

    tg.send(group, alice, '/leaderboard #dot1');
    const board = await next(G, /Bảng xếp hạng #dot1/, 'the campaign leaderboard');
    assert.match(board.text!, /Alice/);
    assert.doesNotMatch(board.text!, /Bình/, 'Bình acted only outside the campaign');

    // Yesterday's article still counts (ARTICLE_OPEN_DAYS=1): /articles shows its buttons.
    const shown = DateTime.fromISO(yesterday).toFormat('d/M');
    tg.send(group, bình, `/articles ${shown}`);
    const list = await next(G, /Bài hôm qua/, 'yesterday’s list');
    assert.ok(list.reply_markup, 'its buttons are there while it counts');

    // The operators shorten the window to the day itself: the same buttons now answer "closed".
    await bot.stop('SIGTERM');
    bot = startBot(env({ ARTICLE_OPEN_DAYS: '0' }));
    running.push(bot);
    await bot.waitForLog(/polling for updates/);
    const before = tg.callbackAnswers.length;
    tg.press(list, bình, `rec:s:${old.id}`);
    const answer = await tg.waitFor(() => tg!.callbackAnswers[before], 15_000, 'the toast');
    assert.match(answer.text!, new RegExp(`Bài #${old.id} chỉ được ghi nhận đến hết ngày`));

    // A weekly target, measured in the summary.
    tg.send(group, leader, '/target 50');
    await next(G, /Đã đặt chỉ tiêu tham gia hằng tuần: 50%/, 'the target set');
    tg.send('private', leader, '/summary');
    const summary = await next(leader.id, /Tổng kết — Chi đoàn chiến dịch/, 'the summary');
    assert.match(summary.text!, /Tham gia: 2\/3 thành viên/);
    assert.match(summary.text!, /Chỉ tiêu: 50\s?% — đã đạt ✅/);
    assert.match(summary.text!, /🚩 #dot1 — 1 bài · 1\/3 thành viên đã tham gia/);
  });
});
