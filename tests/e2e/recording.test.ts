import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '../../src/db/index.ts';
import { weekPeriod } from '../../src/domain/periods.ts';
import { groupRanking } from '../../src/domain/scores.ts';
import { FakeTelegram, type TgUser } from '../support/fake-telegram.ts';
import { botEnv, databaseUrlFor, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';

const { owner, leader } = people;

describe('a group of a hundred members recording, end to end', () => {
  let bot: BotProcess | undefined;
  let tg: FakeTelegram | undefined;
  after(async () => {
    await bot?.stop('SIGKILL');
    await tg?.stop();
  });

  it('a hundred members pressing in the same minute: no 429, no lost record, no group message; /me agrees', async () => {
    tg = new FakeTelegram(undefined, { limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 } });
    await tg.start();
    const dir = tempDir();
    bot = startBot(botEnv(tg, dir, { ADMIN_IDS: String(owner.id) }));
    await bot.waitForLog(/polling for updates/);
    const group = tg.addGroup(-9101, 'Chi đoàn Trăm', [leader]);
    tg.send('private', owner, '/start');
    tg.send('private', owner, '/post https://news.example/tram Bài cho cả trăm người');
    tg.send('private', owner, '/push');
    const push = await tg.waitFor(
      () => tg!.messagesTo(group.id).find((m) => /📣/.test(m.text ?? '')),
      15_000,
      'the push',
    );
    const groupMessages = tg.messagesTo(group.id).length;
    const members: TgUser[] = Array.from({ length: 100 }, (_, i) => ({
      id: 50_000 + i,
      first_name: `Thành viên ${i}`,
      language_code: 'vi',
    }));
    const [shared, rebutted] = push.reply_markup!.inline_keyboard[0]!.map((b) => b.callback_data!);
    const rateLimitedBefore = tg.rateLimited;
    for (const m of members) {
      tg.press(push, m, shared!);
      if (m.id % 3 === 0) tg.press(push, m, rebutted!);
      if (m.id % 10 === 0) tg.press(push, m, shared!); // a second press of the same button
    }
    for (const m of members.slice(0, 30)) tg.send(group, m, `/rebutted https://social.example/${m.id}`);
    const rebutters = members.filter((m) => m.id % 3 === 0).length;
    const expectedAnswers = 100 + rebutters + 10;
    await tg.waitFor(
      () => tg!.callbackAnswers.length >= expectedAnswers && tg!.reactions.length >= 30,
      30_000,
      'every press answered',
    );
    assert.equal(tg.rateLimited - rateLimitedBefore, 0, 'no 429');
    assert.equal(tg.messagesTo(group.id).length, groupMessages, 'presses and recording commands add no group message');
    assert.equal(tg.callbackAnswers.filter((a) => /từ trước/.test(a.text ?? '')).length, 10);

    const db = createDb(databaseUrlFor(dir));
    const count = async (kind: 'shared' | 'rebutted') =>
      Number(
        (
          await db
            .selectFrom('records')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('kind', '=', kind)
            .where('chat_id', '=', group.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await count('shared'), 100);
    assert.equal(await count('rebutted'), rebutters + 30);

    const m0 = members[10]!; // id 50010: pressed Shared twice, Rebutted once, typed one /rebutted: 1 + 2 + 2
    tg.send('private', m0, '/start');
    tg.send('private', m0, '/me');
    const me = await tg.waitFor(() => tg!.messagesTo(m0.id).find((m) => /Tuần này/.test(m.text ?? '')), 10_000, '/me');
    assert.match(me.text!, /Tuần này: 1 lượt chia sẻ, 2 lượt phản bác, 5 điểm/);
    // Ten members reached 5 points (50001, 50004 … 50028), side by side (each member's own record is in a lane of
    // its own: see ChatLanes): ties go to who got there first, which the leaderboard and /me agree on.
    const ranking = await groupRanking(db, group.id, weekPeriod(new Date(), 'Asia/Ho_Chi_Minh'));
    await db.destroy();
    const tied = ranking.filter((r) => r.points === 5);
    assert.equal(tied.length, 10);
    const rank = ranking.find((r) => r.userId === m0.id)!.rank;
    assert.ok(rank >= 1 && rank <= 10, `rank ${rank}`);
    assert.match(me.text!, new RegExp(`Hạng trong Chi đoàn Trăm tuần này: ${rank}\\b`));
    assert.equal(tg.parseErrors, 0);
  });
});
