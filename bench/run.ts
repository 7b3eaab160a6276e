import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import SQLite from 'better-sqlite3';
import { DateTime } from 'luxon';
import { parseConfig } from '../src/config.ts';
import { createDb, migrate, type Db } from '../src/db/index.ts';
import { exportRecords } from '../src/domain/exports.ts';
import { localDay, monthPeriod, weekPeriod } from '../src/domain/periods.ts';
import { streak, tally } from '../src/domain/records.ts';
import { dueReminders } from '../src/domain/reminders.ts';
import { groupsRanking } from '../src/domain/reports.ts';
import { groupRanking } from '../src/domain/scores.ts';
import { messages } from '../src/i18n/index.ts';
import { weeklySummaryFor } from '../src/jobs/reports.ts';
import { createLogger } from '../src/logger.ts';
import { chartPng } from '../src/render/chart.ts';
import { leaderboardText } from '../src/render/reports.ts';
import { FakeTelegram, type SentMessage, type TgUser } from '../tests/support/fake-telegram.ts';
import { botEnv, startBot, tempDir } from '../tests/support/bot-process.ts';
import { notToday } from '../tests/support/schedules.ts';
import { measureDashboard } from './dashboard.ts';
import { broadcastWithReplicas, pgReachable, seedReportsOnPostgres, withPgBench, type PgBench } from './postgres.ts';
import { askPrivatelyDuring, PRIVATE_ASK_GAP_MS, PRIVATE_ASKS } from './private-asks.ts';
import { OWNER, seedArticles, seedGroups, type Row } from './seed.ts';

// npm run bench: every benchmark against the fake Bot API over real HTTP on 127.0.0.1 and a real SQLite
// file; prints one table and rewrites the table in docs/benchmarks.md. Figures, never assertions.

const ZONE = 'Asia/Ho_Chi_Minh';
// Measure the bot as `npm start` runs it: the compiled build (npm run bench builds it first).
process.env.LOA_BOT_ENTRY = 'dist';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

const rows: Row[] = [];
const add = (r: Row) => {
  rows.push(r);
  const ratio = r.target === undefined ? '' : ` (${(r.figure / r.target).toFixed(2)} of target ${r.target} ${r.unit})`;
  console.log(`  ${r.what}: ${fmt(r.figure)} ${r.unit}${ratio}${r.note ? ` — ${r.note}` : ''}`);
};
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hwmMb = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
/** CPU time (user + system) a process has used so far, in ms: steadier than wall time on a shared machine. */
const cpuMs = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};
const LIMITS = { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 };

/** A fresh database file with the schema. */
async function freshDatabase(dir: string): Promise<{ file: string; db: Db }> {
  const file = path.join(dir, 'loa.sqlite');
  const db = createDb(file);
  await migrate(db);
  return { file, db };
}

/** The file opened raw, for seeding millions of rows fast. */
function openRaw(file: string): SQLite.Database {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF'); // seeding only; the bot opens it with its own setting
  return raw;
}

// ---------------------------------------------------------------------------------------------------
async function broadcast(): Promise<void> {
  console.log(
    '1. Broadcast: 3 articles to 1,000 groups, with Telegram’s limits enforced by the fake API, and private answers on the way',
  );
  const tg = new FakeTelegram(undefined, { limits: LIMITS });
  await tg.start();
  const dir = tempDir('loa-bench-');
  const { db } = await freshDatabase(dir);
  const now = new Date().toISOString();
  const groups = await seedGroups(db, 1000, -100_000, now);
  for (const g of groups) tg.addGroup(g, `Chi đoàn ${g}`, [], { announce: false });
  await seedArticles(db, localDay(new Date(), ZONE), 3, now);
  await db.destroy();
  // Only the push runs.
  const bot = startBot(
    botEnv(tg, dir, {
      ADMIN_IDS: String(OWNER),
      DAILY_PUSH_CRON: '* * * * * *',
      LEADERBOARD_CRON: notToday(),
      WEEKLY_SUMMARY_CRON: notToday(),
      LOG_LEVEL: 'warn',
    }),
  );
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, hwmMb(bot.child.pid!));
    } catch {
      /* exited */
    }
  }, 250);
  const pushes = () => tg.messages.filter((m) => m.chat.id < 0 && /📣/.test(m.text ?? ''));
  await tg.waitFor(() => pushes().length >= 50, 60_000, 'the push to start');
  const replyMs = await askPrivatelyDuring(tg, PRIVATE_ASKS, PRIVATE_ASK_GAP_MS, 700_000);
  await tg.waitFor(() => pushes().length >= 1000, 120_000, 'the broadcast');
  await sleep(1000);
  clearInterval(sampler);
  peak = Math.max(peak, hwmMb(bot.child.pid!));
  const sent = pushes();
  const first = sent[0]!.at;
  const last = sent.at(-1)!.at;
  const wall = (last - first) / 1000 + 1 / 30; // first to last send, plus the last send's own slot
  // The floor counts every message sent meanwhile: the pushes and the private answers.
  const floor = tg.messages.filter((m) => m.at >= first && m.at <= last).length / 30;
  const perGroup = new Map<number, number>();
  for (const m of sent) perGroup.set(m.chat.id, (perGroup.get(m.chat.id) ?? 0) + 1);
  const attempts = tg.calls.filter((c) => c.method === 'sendMessage').length;
  add({
    what: `push to 1,000 groups with ${PRIVATE_ASKS} private answers on the way: wall time / floor (all at 30/s)`,
    figure: wall / floor,
    unit: '× floor',
    target: 1.06,
    sense: 'max',
    note: `${wall.toFixed(1)} s, floor ${floor.toFixed(1)} s`,
  });
  add({
    what: `a private /me answered during the push, ${PRIVATE_ASKS} asked 5 a second (update handed out → reply): p95`,
    figure: quantile(replyMs, 0.95),
    unit: 'ms',
    target: 300,
    sense: 'max',
    note: `p50 ${quantile(replyMs, 0.5)} ms`,
  });
  add({
    what: 'push: 429 answers per send',
    figure: (100 * tg.rateLimited) / attempts,
    unit: '%',
    target: 1,
    sense: 'max',
    note: `${tg.rateLimited} of ${attempts}`,
  });
  add({
    what: 'push: groups missed or pushed twice',
    figure: groups.filter((g) => perGroup.get(g) !== 1).length,
    unit: 'groups',
    target: 0,
    sense: 'max',
  });
  add({
    what: 'push: peak memory of the bot process (RSS high-water mark)',
    figure: peak,
    unit: 'MB',
    target: 150,
    sense: 'max',
  });
  await bot.stop('SIGTERM');
  await tg.stop();
}

// ---------------------------------------------------------------------------------------------------
/**
 * A busy group: 45 members of one group each send a command within one second (a third /today, a third
 * /leaderboard, a third /me; the first 15 have started the bot). Meanwhile 20 people ask /help in private and
 * 20 other groups ask /today, one every 250 ms. Their answers must not wait for the busy group's budget.
 */
async function busyGroup(): Promise<void> {
  console.log('6. A busy group: 45 members at once, while other chats ask too');
  const tg = new FakeTelegram(undefined, { limits: LIMITS });
  await tg.start();
  const dir = tempDir('loa-bench-');
  const { db } = await freshDatabase(dir);
  const nowIso = new Date().toISOString();
  const [busyId, ...otherIds] = await seedGroups(db, 21, -400_000, nowIso);
  await seedArticles(db, localDay(new Date(), ZONE), 3, nowIso);
  await db.destroy();
  const busy = tg.addGroup(busyId!, 'Chi đoàn đông', [], { announce: false });
  const others = otherIds.map((id) => tg.addGroup(id, `Chi đoàn ${id}`, [], { announce: false }));
  const bot = startBot(
    botEnv(tg, dir, {
      ADMIN_IDS: String(OWNER),
      DAILY_PUSH_CRON: notToday(),
      LEADERBOARD_CRON: notToday(),
      WEEKLY_SUMMARY_CRON: notToday(),
      LOG_LEVEL: 'info',
    }),
  );
  await bot.waitForLog(/polling for updates/, 20_000);
  const members: TgUser[] = Array.from({ length: 45 }, (_, i) => ({ id: 800_000 + i, first_name: `Đoàn viên ${i}` }));
  for (const m of members.slice(0, 15)) tg.send('private', m, '/start');
  await tg.waitFor(() => members.slice(0, 15).every((m) => tg.messagesTo(m.id).length > 0), 30_000, 'the /starts');
  const privateBefore = members.slice(0, 15).reduce((n, m) => n + tg.messagesTo(m.id).length, 0);
  const commands = ['/today', '/leaderboard', '/me'];
  const burstAt = Date.now();
  for (const [i, m] of members.entries()) {
    tg.send(busy, m, commands[i % 3]!);
    await sleep(1000 / 45);
  }
  const asked: { update: number; chat: number }[] = [];
  for (let i = 0; i < 20; i++) {
    const person: TgUser = { id: 810_000 + i, first_name: `Người hỏi ${i}` };
    asked.push({ update: tg.send('private', person, '/help'), chat: person.id });
    asked.push({ update: tg.send(others[i]!, person, '/today'), chat: others[i]!.id });
    await sleep(250);
  }
  await tg.waitFor(() => asked.every((a) => tg.messagesTo(a.chat).length > 0), 60_000, 'the other chats’ answers');
  const latency = asked.map((a) => tg.messagesTo(a.chat)[0]!.at - tg.handedOutAt.get(a.update)!);
  await sleep(Math.max(0, burstAt + 62_000 - Date.now()));
  const firstMinute = tg.messagesTo(busy.id).filter((m) => m.at <= burstAt + 60_000).length;
  const folded = (bot.output().match(/not sent twice/g) ?? []).length;
  const dropped = (bot.output().match(/too late to be useful/g) ?? []).length;
  const moved = members.slice(0, 15).reduce((n, m) => n + tg.messagesTo(m.id).length, 0) - privateBefore;
  const seen = tg.reactions.filter((r) => r.chat_id === busy.id && r.emoji === '👀').length;
  add({
    what: 'busy group: a private /help or another group’s /today meanwhile (update handed out → reply): p95',
    figure: quantile(latency, 0.95),
    unit: 'ms',
    target: 500,
    sense: 'max',
    note: `p50 ${quantile(latency, 0.5)} ms`,
  });
  add({
    what: 'busy group: messages it received in its first minute, for 45 commands',
    figure: firstMinute,
    unit: 'messages',
    target: 20,
    sense: 'max',
    note: `${folded} answers folded, ${moved} moved to private, ${seen} 👀 shown, ${dropped} dropped as stale`,
  });
  await bot.stop('SIGTERM');
  await tg.stop();
}

// ---------------------------------------------------------------------------------------------------
async function recording(pg?: PgBench): Promise<void> {
  console.log(
    `2. Recording: 50,000 presses and commands from 5,000 members in 50 groups${pg ? ', on PostgreSQL' : ''}`,
  );
  const tg = new FakeTelegram();
  await tg.start();
  const dir = tempDir('loa-bench-');
  const nowIso = new Date().toISOString();
  const seedDb = pg ? pg.db : (await freshDatabase(dir)).db;
  // BENCH_GROUPS=1: every member in one lively group (a unit's morning), instead of spread over 50.
  const groups = await seedGroups(seedDb, Number(process.env.BENCH_GROUPS ?? 50), -200_000, nowIso);
  const articles = await seedArticles(seedDb, localDay(new Date(), ZONE), 4, nowIso);
  if (!pg) await seedDb.destroy();
  const label = (pg ? 'PostgreSQL: ' : '') + (process.env.BENCH_RATE ? `at ${process.env.BENCH_RATE}/s: ` : '');
  const members: { user: TgUser; group: number }[] = Array.from(
    { length: Number(process.env.BENCH_MEMBERS ?? 5000) },
    (_, i) => ({ user: { id: 500_000 + i, first_name: `Thành viên ${i}` }, group: groups[i % groups.length]! }),
  );
  const messagesByGroup = new Map<number, SentMessage>();
  for (const g of groups) {
    const chat = tg.addGroup(g, `Chi đoàn ${g}`, [], { announce: false });
    messagesByGroup.set(g, {
      message_id: 1,
      chat,
      from: tg.bot,
      date: 0,
      method: 'sendMessage',
      at: 0,
      text: 'push',
      reply_markup: {
        inline_keyboard: articles.map((a) => [
          { text: 'S', callback_data: `rec:s:${a}` },
          { text: 'R', callback_data: `rec:r:${a}` },
        ]),
      },
    });
  }
  // 8 presses (4 articles × 2 kinds) and 2 commands per member.
  // No scheduled job competes with the measurement.
  const bot = startBot(
    botEnv(tg, dir, {
      ...(pg ? { DATABASE_URL: pg.url } : {}),
      LOG_LEVEL: 'warn',
      POLL_TIMEOUT_SECONDS: '5',
      LEADERBOARD_CRON: notToday(),
      WEEKLY_SUMMARY_CRON: notToday(),
      DAILY_PUSH_CRON: notToday(),
      ...(process.env.SQLITE_SYNCHRONOUS ? { SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS } : {}),
      ...(process.env.PG_POOL_SIZE ? { PG_POOL_SIZE: process.env.PG_POOL_SIZE } : {}),
    }),
    {
      nodeArgs: [
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
        // BENCH_NODE_ARGS="--trace-gc": the bot's output then goes to BENCH_TIMELINE's file, .out.
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
    },
  );
  await bot.waitForLog(/"level":/, 30_000).catch(() => undefined);
  await tg.waitFor(() => tg.callsOf('getUpdates').length > 0, 30_000, 'the bot to poll');
  const pressIds: string[] = [];
  const cpuBefore = cpuMs(bot.child.pid!);
  // BENCH_RATE=n: members act at n updates a second instead of all at once, for the latency a member feels at a
  // load the bot keeps up with (the burst's latency is mostly its own queue).
  const rate = Number(process.env.BENCH_RATE ?? 0);
  const began = Date.now();
  for (const [i, { user, group }] of members.entries()) {
    if (rate > 0) {
      const due = began + ((i * 10) / rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const msg = messagesByGroup.get(group)!;
    for (const a of articles) {
      pressIds.push(tg.press(msg, user, `rec:s:${a}`));
      pressIds.push(tg.press(msg, user, `rec:r:${a}`));
    }
    tg.send(tg.chatOf(group), user, `/rebutted https://social.example/${user.id}/1`);
    tg.send(tg.chatOf(group), user, `/shared ${articles[0]}`);
  }
  const total = members.length * 10;
  await tg.waitFor(() => tg.callbackAnswers.length + tg.reactions.length >= total, 300_000, 'every update answered');
  const cpuUsed = cpuMs(bot.child.pid!) - cpuBefore;
  const start = Math.min(...tg.handedOutAt.values());
  const end = Math.max(tg.callbackAnswers.at(-1)!.at, tg.reactions.at(-1)!.at);
  const latencies = tg.callbackAnswers.map((a) => a.at - tg.handedOutAt.get(tg.updateOfCallback.get(a.id)!)!);
  // BENCH_TIMELINE=<file>: each press (update id, handed out, answered) and each poll, for a look at the tails.
  if (process.env.BENCH_TIMELINE)
    fs.writeFileSync(
      process.env.BENCH_TIMELINE,
      JSON.stringify({
        presses: tg.callbackAnswers.map((a) => {
          const id = tg.updateOfCallback.get(a.id)!;
          return [id, tg.handedOutAt.get(id), a.at];
        }),
        polls: tg.callsOf('getUpdates').map((c) => [c.at, Number(c.payload.offset ?? 0)]),
        began: performance.timeOrigin,
      }),
    );
  if (process.env.BENCH_TIMELINE) fs.writeFileSync(`${process.env.BENCH_TIMELINE}.out`, bot.output());
  let stored: number;
  if (pg)
    stored = Number(
      (
        await pg.db
          .selectFrom('records')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  else {
    const db = new SQLite(path.join(dir, 'loa.sqlite'), { readonly: true });
    stored = (db.prepare('select count(*) as n from records').get() as { n: number }).n;
    db.close();
  }
  add({
    what: label + 'recording: updates handled per second, end to end (update out → record committed → answered)',
    figure: total / ((end - start) / 1000),
    unit: '/s',
    target: 2000,
    sense: 'min',
    note: `${total} updates in ${((end - start) / 1000).toFixed(1)} s; ${stored} records (the /shared commands repeat a press: "already recorded")`,
  });
  add({
    what: label + 'recording: press latency p50 (handed out → answered)',
    figure: quantile(latencies, 0.5),
    unit: 'ms',
    target: undefined,
    sense: 'max',
  });
  add({
    what: label + 'recording: press latency p99',
    figure: quantile(latencies, 0.99),
    unit: 'ms',
    target: 50,
    sense: 'max',
  });
  add({
    what: label + "recording: the bot's CPU time per update (user + system)",
    figure: (cpuUsed * 1000) / total,
    unit: 'µs',
    target: undefined,
    sense: 'max',
    note: `${(cpuUsed / 1000).toFixed(1)} s of CPU for ${total} updates`,
  });
  await bot.stop('SIGTERM');
  await tg.stop();
}

// ---------------------------------------------------------------------------------------------------
async function reports(): Promise<string> {
  console.log('3. Reports on 2,000,000 records, 20,000 members, 500 groups, a year of history');
  const dir = tempDir('loa-bench-');
  const { file, db: seedDb } = await freshDatabase(dir);
  const now = new Date();
  const yearAgo = DateTime.fromJSDate(now).minus({ days: 365 });
  const t0 = Date.now();
  const groups = await seedGroups(seedDb, 500, -300_000, yearAgo.toUTC().toISO()!);
  await seedDb.destroy();
  const raw = openRaw(file);
  const insUser = raw.prepare(
    'insert into users (id, first_name, last_name, username, updated_at) values (?, ?, ?, ?, ?)',
  );
  const insMember = raw.prepare(
    "insert into memberships (chat_id, user_id, status, first_seen_at, last_seen_at) values (?, ?, 'member', ?, ?)",
  );
  const insArticle = raw.prepare(
    "insert into articles (url, title, scope_chat_id, proposed_by, proposed_in, state, decided_by, decided_at, publish_date, created_at) values (?, ?, null, null, null, 'approved', null, ?, ?, ?)",
  );
  const insRecord = raw.prepare(
    'insert into records (user_id, chat_id, article_id, kind, link, note, points, created_at) values (?, ?, ?, ?, ?, null, ?, ?)',
  );
  const days = Array.from({ length: 365 }, (_, i) => yearAgo.plus({ days: i + 1 }));
  const articleIds: number[] = [];
  raw.transaction(() => {
    for (const d of days)
      for (let k = 0; k < 3; k++)
        articleIds.push(
          Number(
            insArticle.run(
              `https://news.example/${d.toISODate()}/${k}`,
              `Bài ${d.toISODate()} #${k}`,
              d.toUTC().toISO(),
              d.toISODate(),
              d.toUTC().toISO(),
            ).lastInsertRowid,
          ),
        );
  })();
  const stamp = yearAgo.toUTC().toISO()!;
  raw.transaction(() => {
    for (let u = 0; u < 20_000; u++) {
      const id = 1_000_000 + u;
      insUser.run(id, `Thành viên ${u}`, 'Nguyễn', `tv${u}`, stamp);
      insMember.run(groups[u % 500]!, id, stamp, stamp);
    }
  })();
  // 100 records per member over the year: 70 shares of distinct articles, 30 rebuttals with links.
  let seq = 0;
  raw.transaction(() => {
    for (let u = 0; u < 20_000; u++) {
      const id = 1_000_000 + u;
      const chat = groups[u % 500]!;
      for (let k = 0; k < 100; k++) {
        const articleIndex = (u * 7 + k * 15) % articleIds.length;
        const when = days[Math.floor(articleIndex / 3)]!.plus({ minutes: (u * 13 + k * 7) % 900 })
          .toUTC()
          .toISO()!;
        if (k < 70) insRecord.run(id, chat, articleIds[articleIndex], 'shared', null, 1, when);
        else insRecord.run(id, chat, null, 'rebutted', `https://social.example/${id}/${seq++}`, 2, when);
      }
    }
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  const seedSeconds = (Date.now() - t0) / 1000;
  const bytes = fs.statSync(file).size;
  console.log(`  (seeded in ${seedSeconds.toFixed(1)} s)`);

  const db = createDb(file);
  if (want('reports')) await measureReports(db, groups, now, dir, file, '');
  if (want('dashboard')) await measureDashboard(db, groups, now, '', add);
  await db.destroy();
  add({
    what: 'database file size per million records',
    figure: bytes / 1e6 / 2,
    unit: 'MB',
    target: undefined,
    sense: 'max',
    note: `${(bytes / 1e6).toFixed(0)} MB for 2,000,000 records with 20,000 members`,
  });
  // BENCH_KEEP=1 keeps the seeded database for a closer look (EXPLAIN QUERY PLAN, a profile).
  if (process.env.BENCH_KEEP) console.log(`  (database kept: ${file})`);
  else fs.rmSync(dir, { recursive: true, force: true });
  return `${seedSeconds.toFixed(0)} s to seed`;
}

/** The report figures on a seeded database (SQLite or PostgreSQL); `label` tells the rows apart. */
async function measureReports(
  db: Db,
  groups: number[],
  now: Date,
  dir: string,
  databaseUrl: string,
  label: string,
): Promise<void> {
  const t = messages('vi');
  const week = weekPeriod(now, ZONE);
  const time = async (f: () => Promise<unknown>) => {
    const a = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - a) / 1e6;
  };
  for (let i = 0; i < 20; i++) await groupRanking(db, groups[i]!, week); // warm the cache
  const lb: number[] = [];
  for (let i = 0; i < 300; i++) {
    const g = groups[(i * 37) % 500]!;
    lb.push(await time(async () => leaderboardText(t, 'x', 'y', await groupRanking(db, g, week), 1_000_000 + i)));
  }
  add({
    what: label + '/leaderboard week: p50',
    figure: quantile(lb, 0.5),
    unit: 'ms',
    target: undefined,
    sense: 'max',
  });
  add({ what: label + '/leaderboard week: p95', figure: quantile(lb, 0.95), unit: 'ms', target: 20, sense: 'max' });
  const me: number[] = [];
  for (let i = 0; i < 300; i++) {
    const u = 1_000_000 + ((i * 997) % 20_000);
    const g = groups[(u - 1_000_000) % 500]!;
    me.push(
      await time(() =>
        Promise.all([
          tally(db, u, week),
          tally(db, u, monthPeriod(now, ZONE)),
          tally(db, u, undefined),
          streak(db, u, localDay(now, ZONE), ZONE),
          groupRanking(db, g, week),
        ]),
      ),
    );
  }
  add({ what: label + '/me: p50', figure: quantile(me, 0.5), unit: 'ms', target: undefined, sense: 'max' });
  add({ what: label + '/me: p95', figure: quantile(me, 0.95), unit: 'ms', target: 20, sense: 'max' });
  const sum: number[] = [];
  for (let i = 0; i < 10; i++) sum.push(await time(() => groupsRanking(db, 'all', weekPeriod(now, ZONE, 1))));
  add({
    what: label + '/summary for an owner across 500 groups (last week): p50',
    figure: quantile(sum, 0.5),
    unit: 'ms',
    target: 500,
    sense: 'max',
  });
  const deps = {
    config: parseConfig({ BOT_TOKEN: '1:aaaaaaaaaaaaaaaaaaaaaaaa', DATABASE_URL: databaseUrl }),
    db,
    log: createLogger('silent', []),
    sender: undefined as never,
    roles: undefined as never,
  };
  const weekly = await time(async () => {
    for (const g of groups) await weeklySummaryFor(deps, g, weekPeriod(now, ZONE, 1), weekPeriod(now, ZONE, 2), now);
  });
  add({
    what: label + 'weekly summary job, 500 groups, excluding sending (figures made and stored)',
    figure: weekly / 1000,
    unit: 's',
    target: 5,
    sense: 'max',
  });
  const chart: number[] = [];
  const perDay = (await weeklySummaryFor(deps, groups[0]!, weekPeriod(now, ZONE, 1), weekPeriod(now, ZONE, 2), now))
    .perDay;
  for (let i = 0; i < 20; i++) chart.push(await time(async () => chartPng(t, `Chi đoàn ${i}`, perDay)));
  add({
    what: label + 'weekly chart, drawn at send time: p50 per chart',
    figure: quantile(chart, 0.5),
    unit: 'ms',
    target: 33,
    sense: 'max',
    note: 'the 30/s sending slot is 33 ms',
  });
  for (const [exportLabel, chatIds] of [
    ['one group', [groups[0]!]],
    ['all 500 groups', 'all'],
  ] as const) {
    const out = path.join(dir, 'export.csv');
    const rssBefore = process.memoryUsage().rss;
    let rowsOut = 0;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const ms = await time(async () => {
      rowsOut = await exportRecords(
        db,
        {
          chatIds: chatIds as number[] | 'all',
          period: monthPeriod(now, ZONE, 1),
          zone: ZONE,
          header: t.reports.exportHeader,
          kinds: t.reports.kind,
        },
        fs.createWriteStream(out),
      );
    });
    clearInterval(sampler);
    add({
      what: `${label}/export of last month, ${exportLabel}: rows per second`,
      figure: rowsOut / (ms / 1000),
      unit: 'rows/s',
      target: undefined,
      sense: 'min',
      note: `${rowsOut} rows, ${(fs.statSync(out).size / 1e6).toFixed(1)} MB CSV, memory +${((peakRss - rssBefore) / 1e6).toFixed(0)} MB`,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
/**
 * The evening reminder for 20,000 members in 100 groups (200 each) that got 3 articles today; one in twenty has
 * recorded something, so 19,000 are due. Each gets one private message, at Telegram's 30 a second in all.
 */
async function reminders(): Promise<void> {
  const total = Number(process.env.BENCH_REMINDER_MEMBERS ?? 20_000);
  console.log(
    `7. Reminders: ${total.toLocaleString('en')} members in 100 groups, one private message each that is due`,
  );
  const tg = new FakeTelegram(undefined, { limits: LIMITS });
  await tg.start();
  const dir = tempDir('loa-bench-');
  const { file, db } = await freshDatabase(dir);
  const nowIso = new Date().toISOString();
  const day = localDay(new Date(), ZONE);
  const groups = await seedGroups(db, 100, -600_000, nowIso);
  const articles = await seedArticles(db, day, 3, nowIso);
  await db.destroy();
  const raw = openRaw(file);
  const insUser = raw.prepare(
    'insert into users (id, first_name, last_name, username, started, updated_at) values (?, ?, null, null, 1, ?)',
  );
  const insMember = raw.prepare(
    "insert into memberships (chat_id, user_id, status, first_seen_at, last_seen_at) values (?, ?, 'member', ?, ?)",
  );
  const insRecord = raw.prepare(
    "insert into records (user_id, chat_id, article_id, kind, link, note, points, created_at) values (?, ?, ?, 'shared', null, null, 1, ?)",
  );
  const insPushed = raw.prepare(
    "insert into push_items (chat_id, article_id, day, batch, status, message_id, claimed_at, sent_at) values (?, ?, ?, ?, 'sent', 1, ?, ?)",
  );
  const members = Array.from({ length: total }, (_, i) => ({ id: 700_000 + i, group: groups[i % groups.length]! }));
  raw.transaction(() => {
    for (const g of groups) {
      raw
        .prepare('insert into group_pushes (chat_id, day, created_at, completed_at) values (?, ?, ?, ?)')
        .run(g, day, nowIso, nowIso);
      for (const a of articles) insPushed.run(g, a, day, `b${g}`, nowIso, nowIso);
    }
    for (const [i, m] of members.entries()) {
      insUser.run(m.id, `Đoàn viên ${i}`, nowIso);
      insMember.run(m.group, m.id, nowIso, nowIso);
      if (i % 20 === 0) insRecord.run(m.id, m.group, articles[i % 3], nowIso);
    }
  })();
  raw.close();
  for (const g of groups) tg.addGroup(g, `Chi đoàn ${g}`, [], { announce: false });
  for (const m of members) tg.markStarted(m.id);
  const expected = members.filter((_, i) => i % 20 !== 0).length;

  // Who is due, in process on the same file: the query the job starts with.
  const check = createDb(file);
  const queryMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    const due = await dueReminders(check, day, ZONE);
    queryMs.push(performance.now() - a);
    if (due.members.length !== expected) throw new Error(`due ${due.members.length}, expected ${expected}`);
  }
  await check.destroy();

  const bot = startBot(
    botEnv(tg, dir, {
      NUDGE_CRON: '* * * * * *',
      EVE_CRON: 'off',
      DAILY_PUSH_CRON: notToday(),
      LEADERBOARD_CRON: notToday(),
      WEEKLY_SUMMARY_CRON: notToday(),
      LOG_LEVEL: 'warn',
    }),
  );
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, hwmMb(bot.child.pid!));
    } catch {
      /* exited */
    }
  }, 250);
  const isReminder = (m: SentMessage) => m.chat.id > 0 && /🔔/.test(m.text ?? '');
  // Counted as they arrive: filtering every message at each probe would cost the fake API (this process) more CPU
  // with each reminder sent, and slow its answers.
  let scanned = 0;
  let arrived = 0;
  const progress = () => {
    for (; scanned < tg.messages.length; scanned++) if (isReminder(tg.messages[scanned]!)) arrived += 1;
    return arrived >= expected;
  };
  await tg.waitFor(progress, 60_000 + (expected / 30) * 1500, 'every reminder');
  await sleep(2000);
  clearInterval(sampler);
  const got = tg.messages.filter(isReminder);
  const first = got[0]!.at;
  const last = got.at(-1)!.at;
  const wall = (last - first) / 1000 + 1 / 30;
  const floor = tg.messages.filter((m) => m.at >= first && m.at <= last).length / 30;
  const perMember = new Map<number, number>();
  for (const m of got) perMember.set(m.chat.id, (perMember.get(m.chat.id) ?? 0) + 1);
  const wrong =
    [...perMember.values()].filter((n) => n !== 1).length +
    members.filter((_, i) => i % 20 === 0 && perMember.has(700_000 + i)).length;
  const attempts = tg.calls.filter((c) => c.method === 'sendMessage').length;
  add({
    what: `reminders to ${expected.toLocaleString('en')} of ${total.toLocaleString('en')} members: wall time / floor (30/s)`,
    figure: wall / floor,
    unit: '× floor',
    target: 1.1,
    sense: 'max',
    note: `${wall.toFixed(1)} s, floor ${floor.toFixed(1)} s; ${tg.rateLimited} 429s in ${attempts} sends`,
  });
  add({
    what: `reminders: who is due among ${total.toLocaleString('en')} members (4 queries): p50 of 3`,
    figure: quantile(queryMs, 0.5),
    unit: 'ms',
    target: 2000,
    sense: 'max',
  });
  add({
    what: 'reminders: members reminded twice, or reminded though they had recorded',
    figure: wrong,
    unit: 'members',
    target: 0,
    sense: 'max',
  });
  add({
    what: 'reminders: peak memory of the bot process (RSS high-water mark)',
    figure: peak,
    unit: 'MB',
    target: 150,
    sense: 'max',
  });
  await bot.stop('SIGTERM');
  await tg.stop();
}

// ---------------------------------------------------------------------------------------------------
async function startup(): Promise<void> {
  console.log('4. Start-up: process start to the first getUpdates');
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const tg = new FakeTelegram();
    await tg.start();
    const dir = tempDir('loa-bench-');
    if (i > 0) {
      // A database that exists already (the usual restart); the first run includes creating it.
      await (await freshDatabase(dir)).db.destroy();
    }
    const a = Date.now();
    const bot = startBot(botEnv(tg, dir, { LOG_LEVEL: 'warn' }));
    await tg.waitFor(() => tg.callsOf('getUpdates')[0], 20_000, 'the first getUpdates');
    times.push(tg.callsOf('getUpdates')[0]!.at - a);
    await bot.stop('SIGTERM');
    await tg.stop();
  }
  add({
    what: 'start-up: process start → first getUpdates (median of 5)',
    figure: quantile(times, 0.5) / 1000,
    unit: 's',
    target: 1.5,
    sense: 'max',
    note: `runs: ${times.map((x) => (x / 1000).toFixed(2)).join(', ')} s`,
  });
}

const started = Date.now();
const notes: string[] = [];
if (want('broadcast')) await broadcast();
if (want('recording')) await recording();
if (want('reports') || want('dashboard')) notes.push(await reports());
if (want('startup')) await startup();
if (want('busy-group')) await busyGroup();
if (want('reminders')) await reminders();
if (want('postgres') || want('recording-pg') || want('reports-pg') || want('replicas')) {
  const url =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const all = want('postgres');
  if (!(await pgReachable(url)))
    console.log(`PostgreSQL benchmarks skipped: no server at ${url.replace(/\/\/[^@]*@/, '//')}`);
  else {
    if (all || want('recording-pg')) await withPgBench(url, (pg) => recording(pg));
    if (all || want('reports-pg')) {
      await withPgBench(url, async (pg) => {
        console.log('3. Reports on PostgreSQL: the same 2,000,000 records');
        const { groups, now, seedSeconds } = await seedReportsOnPostgres(pg);
        console.log(`  (seeded in ${seedSeconds.toFixed(1)} s)`);
        await measureReports(pg.db, groups, now, tempDir('loa-bench-'), pg.url, 'PostgreSQL: ');
        await measureDashboard(pg.db, groups, now, 'PostgreSQL: ', add);
      });
    }
    if (all || want('replicas')) await withPgBench(url, (pg) => broadcastWithReplicas(pg, add, LIMITS));
  }
}

const table = [
  '| Benchmark | Figure | Target | Ratio |',
  '|---|---|---|---|',
  ...rows.map((r) => {
    const target = r.target === undefined ? '—' : `${r.sense === 'max' ? '≤' : '≥'} ${r.target} ${r.unit}`;
    const ratio = r.target === undefined || r.target === 0 ? '—' : (r.figure / r.target).toFixed(2);
    return `| ${r.what} | ${fmt(r.figure)} ${r.unit}${r.note ? ` (${r.note})` : ''} | ${target} | ${ratio} |`;
  }),
].join('\n');
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}`;
console.log(`\n${table}\n\nMachine: ${machine}. Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
if (only.length === 0) {
  const doc = path.join(root, 'docs/benchmarks.md');
  const text = fs.readFileSync(doc, 'utf8');
  const block = `<!-- bench:start -->\nLast run: ${new Date().toISOString().slice(0, 10)}, \`npm run bench\`, on ${machine}.\n\n${table}\n<!-- bench:end -->`;
  fs.writeFileSync(doc, text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block));
  console.log('docs/benchmarks.md updated.');
}
