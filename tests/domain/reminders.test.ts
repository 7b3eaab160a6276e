import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb } from '../support/database.ts';
import { ConfigError, parseConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { scheduledJobs } from '../../src/jobs/schedule.ts';
import { postArticle, submitArticle } from '../../src/domain/articles.ts';
import { inServedGroup, markStarted, registerGroup, seeMember, seeUser } from '../../src/domain/chats.ts';
import { coverageFor } from '../../src/domain/coverage.ts';
import { claim, confirmSent } from '../../src/domain/pushes.ts';
import { recordAction } from '../../src/domain/records.ts';
import {
  claimEvening,
  confirmEvening,
  dueReminders,
  eveCheck,
  releaseEvening,
  setReminders,
} from '../../src/domain/reminders.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const scoring = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: ZONE };
const DAY = '2026-11-30';
const morning = new Date('2026-11-30T01:00:00Z'); // 08:00 in Ho Chi Minh City
const evening = new Date('2026-11-30T12:00:00Z'); // 19:00
const A = -10;
const B = -20;
const C = -30; // served, but got no push today

/**
 * Three groups; A and B got today's push (an every-group article, and one of their own each), C did not. The
 * members, by id: who they are is in `people`.
 */
async function unit() {
  const db = await freshDb();
  for (const [id, title] of [
    [A, 'Chi đoàn A'],
    [B, 'Chi đoàn B'],
    [C, 'Chi đoàn C'],
  ] as const)
    await registerGroup(db, { id, type: 'supergroup', title }, morning);
  await seeUser(db, { id: 99, first_name: 'Owner' }, morning);
  const post = async (title: string, day: string, scope?: number) => {
    const r = await postArticle(
      db,
      { url: `https://x.org/${title}`, title, proposedBy: 99, proposedIn: 99, scopeChatId: scope },
      day,
      morning,
    );
    assert.ok(r.ok);
    return r.article.id;
  };
  const everyone = await post('everyone', DAY);
  const ofA = await post('ofA', DAY, A);
  const ofB = await post('ofB', DAY, B);
  const yesterday = await post('yesterday', '2026-11-29', A);
  const pushTo = async (chat: number, ids: number[]) => {
    const batch = await claim(db, chat, ids, DAY, morning);
    assert.ok(batch);
    await confirmSent(db, chat, batch, 1, morning);
  };
  await pushTo(A, [everyone, ofA]);
  await pushTo(B, [everyone, ofB]);
  const member = async (id: number, chats: number[], opts: { started?: boolean; status?: string } = {}) => {
    await seeUser(db, { id, first_name: `M${id}` }, morning);
    for (const chat of chats) await seeMember(db, chat, { id, first_name: `M${id}` }, opts.status ?? 'member', morning);
    if (opts.started !== false) await markStarted(db, id);
  };
  const people = {
    idle: 1, // in A, started, nothing recorded: due
    recorded: 2, // in A, shared A's article in A
    notStarted: 3, // in A, never started the bot
    both: 4, // in A and B, nothing recorded: one reminder for both
    left: 5, // left A
    optedOut: 6, // /remind off
    onlyC: 7, // in C only, which got no push
    inPrivate: 8, // recorded the every-group article in private
    oldOnly: 9, // recorded only yesterday's article
    halfBoth: 10, // in A and B, recorded B's own article only: due for A alone
  };
  await member(people.idle, [A]);
  await member(people.recorded, [A]);
  await member(people.notStarted, [A], { started: false });
  await member(people.both, [A, B]);
  await member(people.left, [A], { status: 'left' });
  await member(people.optedOut, [A]);
  await setReminders(db, people.optedOut, false);
  await member(people.onlyC, [C]);
  await member(people.inPrivate, [A]);
  await member(people.oldOnly, [A]);
  await member(people.halfBoth, [A, B]);
  const rec = async (userId: number, chatId: number | undefined, articleId: number, now = evening) =>
    assert.ok((await recordAction(db, { userId, chatId, articleId, kind: 'shared' }, scoring, now)).ok);
  await rec(people.recorded, A, ofA);
  await rec(people.inPrivate, undefined, everyone);
  await rec(people.oldOnly, A, yesterday, new Date('2026-11-29T05:00:00Z'));
  await rec(people.halfBoth, B, ofB);
  return { db, people, everyone, ofA, ofB };
}

describe('who is due a reminder', () => {
  it('members who started the bot, are still in a pushed group and recorded nothing for its articles; no one else', async () => {
    const { db, people, everyone, ofA, ofB } = await unit();
    const due = await dueReminders(db, DAY, ZONE);
    const byUser = new Map(due.members.map((m) => [m.userId, m]));
    assert.deepEqual(
      [...byUser.keys()].sort((a, b) => a - b),
      [people.idle, people.both, people.oldOnly, people.halfBoth],
      'not: recorded, not started, left, opted out, only in an unpushed group, recorded in private',
    );
    assert.deepEqual(byUser.get(people.idle)!.groups, [{ chatId: A, title: 'Chi đoàn A' }]);
    assert.deepEqual(
      byUser.get(people.idle)!.articles,
      [
        { articleId: everyone, chatId: A },
        { articleId: ofA, chatId: A },
      ],
      "the group's articles of the day, each recorded in the group: not yesterday's, not another group's",
    );
    const both = byUser.get(people.both)!;
    assert.deepEqual(
      both.groups.map((g) => g.chatId),
      [B, A].sort((x, y) => x - y),
    );
    assert.deepEqual(
      both.articles.map((a) => a.articleId).sort((x, y) => x - y),
      [everyone, ofA, ofB].sort((x, y) => x - y),
      'one reminder covers both groups, the every-group article once',
    );
    assert.equal(both.articles.find((a) => a.articleId === ofB)!.chatId, B, "B's article records in B");
    assert.equal(both.articles.find((a) => a.articleId === ofA)!.chatId, A, "A's article records in A");
    assert.deepEqual(
      byUser.get(people.halfBoth)!.groups.map((g) => g.chatId),
      [A],
      'acted in B, so due for A alone',
    );
    assert.ok(byUser.get(people.idle)!.firstReminder);
    assert.deepEqual([...due.articles.keys()].sort(), [everyone, ofA, ofB].sort());
  });

  it('a record counts wherever it was made: on the group’s sheet (coverage) as for the reminders', async () => {
    const { db, people } = await unit();
    const sheet = await coverageFor(db, A, DAY, DAY);
    assert.equal(sheet.members.find((m) => m.userId === people.inPrivate)!.covered, 1);
    const due = await dueReminders(db, DAY, ZONE);
    assert.ok(!due.members.some((m) => m.userId === people.inPrivate));
  });

  it('at most one a day: a claimed or sent reminder takes the member off the list; a released one puts them back', async () => {
    const { db, people } = await unit();
    assert.ok(await claimEvening(db, 'nudge', people.idle, DAY, evening));
    assert.ok(!(await claimEvening(db, 'nudge', people.idle, DAY, evening)), 'claimed once');
    assert.ok(await claimEvening(db, 'eve', people.idle, DAY, evening), 'the eve check is another message');
    let due = await dueReminders(db, DAY, ZONE);
    assert.ok(!due.members.some((m) => m.userId === people.idle));
    await releaseEvening(db, 'nudge', people.idle, DAY);
    due = await dueReminders(db, DAY, ZONE);
    assert.ok(due.members.some((m) => m.userId === people.idle));
    assert.ok(await claimEvening(db, 'nudge', people.idle, DAY, evening));
    await confirmEvening(db, 'nudge', people.idle, DAY, evening);
    const next = await dueReminders(db, DAY, ZONE);
    assert.ok(!next.members.some((m) => m.userId === people.idle));
    // The next day: not the first reminder any more (it said how to stop them).
    assert.ok(await claimEvening(db, 'nudge', people.both, '2026-11-29', evening));
    const again = await dueReminders(db, DAY, ZONE);
    assert.equal(again.members.find((m) => m.userId === people.both)!.firstReminder, false);
  });

  it('/remind on puts a member back; an archived or closed article is not shown; an inactive group sends no one', async () => {
    const { db, people, ofA, ofB } = await unit();
    await db.updateTable('articles').set({ closes_on: '2026-11-29' }).where('id', '=', ofB).execute();
    assert.ok(
      !(await dueReminders(db, DAY, ZONE)).members.some((m) => m.articles.some((a) => a.articleId === ofB)),
      'a campaign that ended yesterday closed it',
    );
    await setReminders(db, people.optedOut, true);
    await db.updateTable('articles').set({ state: 'archived' }).where('id', '=', ofA).execute();
    let due = await dueReminders(db, DAY, ZONE);
    assert.ok(due.members.some((m) => m.userId === people.optedOut));
    assert.ok(!due.members.some((m) => m.articles.some((a) => a.articleId === ofA)));
    await db.updateTable('chats').set({ active: 0 }).where('id', 'in', [A, B]).execute();
    due = await dueReminders(db, DAY, ZONE);
    assert.equal(due.members.length, 0);
  });

  it('a press in a reminder counts for a member still in a served group', async () => {
    const { db, people } = await unit();
    assert.ok(await inServedGroup(db, A, people.idle));
    assert.ok(!(await inServedGroup(db, B, people.idle)), 'not a member there');
    assert.ok(!(await inServedGroup(db, A, people.left)), 'left');
    await db.updateTable('chats').set({ admission: 'refused' }).where('id', '=', A).execute();
    assert.ok(!(await inServedGroup(db, A, people.idle)), 'a group Loa no longer serves');
  });
});

describe('the eve check', () => {
  const TOMORROW = '2026-12-01';
  it('finds the groups nothing approved reaches tomorrow, and counts the proposals waiting by group', async () => {
    const { db } = await unit();
    let check = await eveCheck(db, TOMORROW);
    assert.deepEqual(
      check.unready.map((g) => g.chatId),
      [C, B, A].sort((x, y) => x - y),
    );
    await postArticle(
      db,
      { url: 'https://x.org/t-a', title: 'A tomorrow', proposedBy: 99, proposedIn: 99, scopeChatId: A },
      TOMORROW,
      evening,
    );
    for (const scope of [B, B, undefined])
      await submitArticle(
        db,
        { url: `https://x.org/p${Math.random()}`, title: 'p', proposedBy: 99, proposedIn: 99, scopeChatId: scope },
        evening,
      );
    check = await eveCheck(db, TOMORROW);
    assert.deepEqual(
      check.unready.map((g) => g.chatId),
      [C, B].sort((x, y) => x - y),
      "A's own article readies A only",
    );
    assert.equal(check.pending.get(B), 2);
    assert.equal(check.pending.get(null), 1);
    await postArticle(
      db,
      { url: 'https://x.org/t-all', title: 'all tomorrow', proposedBy: 99, proposedIn: 99, scopeChatId: undefined },
      TOMORROW,
      evening,
    );
    check = await eveCheck(db, TOMORROW);
    assert.deepEqual(check.unready, [], 'an every-group article readies every group');
    // Not today's: an article for today readies nothing for tomorrow.
    assert.equal((await eveCheck(db, '2026-12-02')).unready.length, 3);
  });
});

describe('settings: NUDGE_CRON and EVE_CRON', () => {
  const token = '123456:abcdefghijklmnopqrstuvwxyz';
  it('19:00 and 20:00 by default, validated like the other schedules, and off turns the job off', () => {
    const c = parseConfig({ BOT_TOKEN: token });
    assert.deepEqual([c.nudgeCron, c.eveCron], ['0 19 * * *', '0 20 * * *']);
    assert.deepEqual(
      Object.values(scheduledJobs({ config: c } as Deps)).map((j) => j.name),
      ['daily-push', 'daily-leaderboard', 'weekly-summary', 'reminders', 'eve-check'],
    );
    const off = parseConfig({ BOT_TOKEN: token, NUDGE_CRON: 'off', EVE_CRON: ' OFF ' });
    assert.deepEqual([off.nudgeCron, off.eveCron], [undefined, undefined]);
    assert.deepEqual(
      Object.keys(scheduledJobs({ config: off } as Deps)),
      ['push', 'leaderboard', 'weekly'],
      'no reminder job is scheduled',
    );
    assert.equal(parseConfig({ BOT_TOKEN: token, NUDGE_CRON: '30 18 * * 1-5' }).nudgeCron, '30 18 * * 1-5');
    assert.throws(
      () => parseConfig({ BOT_TOKEN: token, EVE_CRON: 'at eight' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'EVE_CRON' && /cron expression/.test(e.message),
    );
  });
});
