import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb, migrate, type Db } from '../../src/db/index.ts';
import { postArticle } from '../../src/domain/articles.ts';
import { registerGroup, seeUser } from '../../src/domain/chats.ts';
import { localDay } from '../../src/domain/periods.ts';
import { FakeTelegram, type SentMessage, type TgUser } from '../support/fake-telegram.ts';
import { freePort, startBot, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';
import { RoundRobinProxy } from '../support/proxy.ts';
import { cronIn } from '../support/schedules.ts';

// Three bot processes in webhook mode behind a round-robin proxy, sharing one PostgreSQL database, against
// the fake Bot API with Telegram's limits. The one running the push is killed (SIGKILL) in the middle of it
// and of a burst of button presses: every group is pushed once, every press recorded once, the evening
// leaderboard sent once per group, and the replicas together keep within 30 messages a second.

const url = process.env.TEST_DATABASE_URL;
const GROUPS = 120;
const { owner, leader } = people;
const SECRET = 'replica-secret_0123456789abcdefghijklmnop';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(
  'three replicas on one PostgreSQL',
  { skip: url ? false : 'PostgreSQL tests skipped: set TEST_DATABASE_URL' },
  () => {
    const replicas: BotProcess[] = [];
    let tg: FakeTelegram | undefined;
    let proxy: RoundRobinProxy | undefined;
    let db: Db | undefined;
    const schema = `loa_e2e_replicas_${randomBytes(4).toString('hex')}`;
    after(async () => {
      if (process.env.LOA_E2E_DUMP)
        for (const [i, r] of replicas.entries())
          (await import('node:fs')).writeFileSync(`${process.env.LOA_E2E_DUMP}.${i}`, r.output());
      for (const r of replicas) await r.stop('SIGKILL');
      await proxy?.stop();
      await tg?.stop();
      if (db) {
        await sql.raw(`drop schema if exists ${schema} cascade`).execute(db);
        await db.destroy();
      }
    });

    it('a replica killed mid-push and mid-burst: each group pushed once, each press recorded once, each job run once, within the limits', async () => {
      tg = new FakeTelegram(undefined, { limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 } });
      await tg.start();
      const dbUrl = `${url}${url!.includes('?') ? '&' : '?'}schema=${schema}`;
      db = createDb(dbUrl);
      await migrate(db); // creates the schema named in the URL

      // The unit: 120 groups with a leader, and today's article, posted by the owner.
      const now = new Date();
      const groups = Array.from(
        { length: GROUPS },
        (_, i) => tg!.addGroup(-30_000 - i, `Chi đoàn ${i}`, [leader], { announce: false }).id,
      );
      for (const id of groups) await registerGroup(db, { id, type: 'supergroup', title: `Chi đoàn ${id}` }, now);
      await seeUser(db, owner, now);
      const posted = await postArticle(
        db,
        {
          url: 'https://news.example/replicas',
          title: 'Bài ba bản sao',
          proposedBy: owner.id,
          proposedIn: owner.id,
          scopeChatId: undefined,
        },
        localDay(now, 'Asia/Ho_Chi_Minh'),
        now,
      );
      assert.ok(posted.ok);

      const ports = await Promise.all([freePort(), freePort(), freePort()]);
      proxy = new RoundRobinProxy(ports);
      const hookUrl = `${await proxy.start()}/telegram/hook`;
      const pushCron = cronIn(10);
      const leaderboardCron = cronIn(30);
      const boot = (port: number) => {
        const bot = startBot({
          BOT_TOKEN: tg!.token,
          TELEGRAM_API_ROOT: tg!.url,
          DATABASE_URL: dbUrl,
          ADMIN_IDS: String(owner.id),
          WEBHOOK_URL: hookUrl,
          WEBHOOK_SECRET: SECRET,
          GROUP_ADMISSION: 'open',
          PORT: String(port),
          JOB_LEASE_SECONDS: '3',
          CATCH_UP_SECONDS: '1',
          DAILY_PUSH_CRON: pushCron,
          LEADERBOARD_CRON: leaderboardCron,
          // Not about the evening jobs, whose catch-up would otherwise run here between 19:00 and 23:00 (ICT).
          NUDGE_CRON: 'off',
          EVE_CRON: 'off',
          API_TIMEOUT_MS: '3000',
          LOG_LEVEL: 'info',
        });
        replicas.push(bot);
        return bot;
      };
      const bots = ports.map(boot);
      await Promise.all(bots.map((b) => b.waitForLog(/webhook set; taking updates/, 30_000)));

      // Members press Shared under each group's push as it arrives, three of them per group.
      const pushOf = (id: number) => tg!.messagesTo(id).filter((m) => /📣/.test(m.text ?? ''));
      const pressed = new Set<number>();
      const presses = new Map<string, number>();
      const pressArrived = () => {
        for (const id of groups) {
          const msg: SentMessage | undefined = pushOf(id)[0];
          if (!msg || pressed.has(id)) continue;
          pressed.add(id);
          for (let k = 0; k < 3; k++) {
            const member: TgUser = { id: 500_000 + Math.abs(id) * 10 + k, first_name: `Đoàn viên ${k}` };
            presses.set(tg!.press(msg, member, msg.reply_markup!.inline_keyboard[0]![0]!.callback_data!), member.id);
          }
        }
      };

      // Kill the replica holding the push's lease once a quarter of the groups have it.
      await tg.waitFor(
        () => {
          pressArrived();
          return groups.filter((g) => pushOf(g).length > 0).length >= GROUPS / 4;
        },
        40_000,
        'the push to start',
      );
      const lease = await db
        .selectFrom('job_leases')
        .select('holder')
        .where('name', '=', 'daily-push')
        .executeTakeFirst();
      assert.ok(lease, 'the push runs under a lease');
      const pid = Number(lease.holder.split(':')[1]);
      const victim = bots.find((b) => b.child.pid === pid)!;
      assert.ok(victim, `the lease names a replica (${lease.holder})`);
      await victim.stop('SIGKILL');
      const killedAt = groups.filter((g) => pushOf(g).length > 0).length;

      // Another replica takes the push over when the lease runs out; the presses keep coming.
      await tg.waitFor(
        async () => {
          pressArrived();
          if (tg!.webhookBacklog() > 0) return false;
          const claims = await db!.selectFrom('push_items').select(['chat_id', 'status']).execute();
          return groups.every(
            (g) => pushOf(g).length > 0 || claims.some((c) => c.chat_id === g && c.status === 'sending'),
          );
        },
        60_000,
        'the push to be taken over and finished',
      );
      await tg.waitFor(() => tg!.webhookBacklog() === 0, 30_000, 'every press delivered');

      // The push: never twice; a group without it lost its message on the wire at the kill, and its claim says so.
      const counts = groups.map((g) => pushOf(g).length);
      assert.equal(Math.max(...counts), 1, 'no group got the push twice');
      const missed = groups.filter((g) => pushOf(g).length === 0);
      assert.ok(missed.length <= 2, `at most the messages on the wire at the kill are lost (${missed.length})`);

      // The presses: each recorded exactly once, and answered.
      const records = await db
        .selectFrom('records')
        .select(['user_id', 'chat_id'])
        .where('kind', '=', 'shared')
        .execute();
      assert.equal(records.length, presses.size, 'one record per press');
      assert.equal(new Set(records.map((r) => r.user_id)).size, presses.size);
      const answered = new Set(tg.callbackAnswers.map((a) => a.id));
      const unanswered = [...presses.keys()].filter((id) => !answered.has(id));
      assert.ok(
        unanswered.length <= 6,
        `presses answered, but for those on the killed replica when it died (${unanswered.length})`,
      );

      // The evening leaderboard: fired in both surviving replicas, run in one, sent once to every group with a record
      // today (a group whose push was lost at the kill had nothing to press: it gets none, as any quiet group).
      const boards = (id: number) => tg!.messagesTo(id).filter((m) => /Bảng xếp hạng/.test(m.text ?? '')).length;
      const active = new Set(records.map((r) => Number(r.chat_id)));
      const quiet = groups.filter((g) => !active.has(g));
      assert.ok(
        quiet.every((g) => missed.includes(g)),
        'a group without records is one that missed the push',
      );
      await tg.waitFor(() => [...active].every((g) => boards(g) >= 1), 60_000, 'the evening leaderboard');
      await sleep(2500); // a second run, if one were to happen, would show now
      assert.deepEqual(new Set([...active].map(boards)), new Set([1]), 'one leaderboard per active group');
      assert.ok(quiet.every((g) => boards(g) === 0));

      // Within the limits, together: no more than 30 a second, nor 20 a minute into a group.
      const sends = tg.calls.filter((c) => c.method === 'sendMessage').length;
      assert.ok(tg.rateLimited <= sends * 0.01, `429s under 1% of sends (${tg.rateLimited}/${sends})`);
      console.log(
        `# replicas: killed at ${killedAt}/${GROUPS} groups; ${GROUPS - missed.length} pushed once, ${missed.length} lost on the wire; ${presses.size} presses, ${records.length} records, ${unanswered.length} unanswered; ${tg.webhookStats.failed} webhook deliveries retried; ${tg.rateLimited} 429s in ${sends} sends`,
      );

      for (const b of bots) if (b !== victim) assert.equal(await b.stop('SIGTERM'), 0);
      assert.equal(
        (await db.selectFrom('job_leases').selectAll().execute()).length,
        0,
        'leases given up on a clean stop',
      );
    });
  },
);
