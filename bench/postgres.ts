import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createDb, migrate, type Db } from '../src/db/index.ts';
import { localDay } from '../src/domain/periods.ts';
import { FakeTelegram } from '../tests/support/fake-telegram.ts';
import { freePort, startBot, type BotProcess } from '../tests/support/bot-process.ts';
import { RoundRobinProxy } from '../tests/support/proxy.ts';
import { askPrivatelyDuring, PRIVATE_ASK_GAP_MS, PRIVATE_ASKS } from './private-asks.ts';
import { notToday } from '../tests/support/schedules.ts';
import { OWNER, seedArticles, seedGroups, type Add } from './seed.ts';

// The PostgreSQL side of npm run bench: each part in a schema of its own on the server at
// BENCH_DATABASE_URL (or TEST_DATABASE_URL, or the local one), dropped afterwards.

const ZONE = 'Asia/Ho_Chi_Minh';

export interface PgBench {
  url: string;
  db: Db;
}

export async function pgReachable(url: string): Promise<boolean> {
  const db = createDb(url);
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

export async function withPgBench(url: string, part: (pg: PgBench) => Promise<unknown>): Promise<void> {
  const schema = `loa_bench_${randomBytes(4).toString('hex')}`;
  const admin = createDb(url);
  const schemaUrl = `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
  const db = createDb(schemaUrl, { poolSize: 10 });
  try {
    await migrate(db); // creates the schema too
    await part({ url: schemaUrl, db });
  } finally {
    await db.destroy();
    await sql.raw(`drop schema ${schema} cascade`).execute(admin);
    await admin.destroy();
  }
}

/** The reports benchmark's database on PostgreSQL, made by the server itself: the same shape as the SQLite one. */
export async function seedReportsOnPostgres(
  pg: PgBench,
): Promise<{ groups: number[]; now: Date; seedSeconds: number }> {
  const t0 = Date.now();
  const now = new Date();
  const db = pg.db;
  const iso = (expr: string) => `to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const base = `(timestamptz '${now.toISOString()}' - interval '365 days')`;
  await sql
    .raw(
      `insert into chats (id, type, title, active, joined_at, updated_at) select -300000 - i, 'supergroup', 'Chi đoàn ' || (i + 1), 1, ${iso(base)}, ${iso(base)} from generate_series(0, 499) i`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into articles (url, title, state, decided_at, publish_date, created_at)
    select 'https://news.example/' || to_char(${base} + d * interval '1 day', 'YYYY-MM-DD') || '/' || k, 'Bài ' || to_char(${base} + d * interval '1 day', 'YYYY-MM-DD') || ' #' || k, 'approved',
      ${iso(`${base} + d * interval '1 day'`)}, to_char(${base} + d * interval '1 day', 'YYYY-MM-DD'), ${iso(`${base} + d * interval '1 day'`)}
    from generate_series(1, 365) d, generate_series(0, 2) k order by d, k`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into users (id, first_name, last_name, username, updated_at) select 1000000 + u, 'Thành viên ' || u, 'Nguyễn', 'tv' || u, ${iso(base)} from generate_series(0, 19999) u`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into memberships (chat_id, user_id, status, first_seen_at, last_seen_at) select -300000 - (u % 500), 1000000 + u, 'member', ${iso(base)}, ${iso(base)} from generate_series(0, 19999) u`,
    )
    .execute(db);
  // 100 records per member: 70 shares of distinct articles, 30 rebuttals with links (as on SQLite).
  await sql
    .raw(
      `insert into records (user_id, chat_id, article_id, kind, link, note, points, created_at)
    select 1000000 + u, -300000 - (u % 500),
      case when k < 70 then ((u * 7 + k * 15) % 1095) + 1 end,
      case when k < 70 then 'shared' else 'rebutted' end,
      case when k < 70 then null else 'https://social.example/' || (1000000 + u) || '/' || k end,
      null, case when k < 70 then 1 else 2 end,
      ${iso(`${base} + (((u * 7 + k * 15) % 1095) / 3 + 1) * interval '1 day' + ((u * 13 + k * 7) % 900) * interval '1 minute'`)}
    from generate_series(0, 19999) u, generate_series(0, 99) k`,
    )
    .execute(db);
  await sql.raw('analyze').execute(db);
  const groups = Array.from({ length: 500 }, (_, i) => -300_000 - i);
  return { groups, now, seedSeconds: (Date.now() - t0) / 1000 };
}

/**
 * The push to 1,000 groups from three replicas behind a round-robin proxy, against Telegram's limits, while
 * members ask /me in private through the proxy, five a second (answered by whichever replica gets the update):
 * the replicas together must stay within 30 messages a second, and a person's answer goes ahead of the push.
 */
export async function broadcastWithReplicas(
  pg: PgBench,
  add: Add,
  limits: { globalPerSecond: number; groupPerMinute: number; privateGapMs: number },
): Promise<void> {
  console.log(
    `5. Broadcast from three replicas on PostgreSQL: 1,000 groups, and ${PRIVATE_ASKS} private replies on the way`,
  );
  const tg = new FakeTelegram(undefined, { limits });
  await tg.start();
  const now = new Date().toISOString();
  const groups = await seedGroups(pg.db, 1000, -100_000, now);
  for (const g of groups) tg.addGroup(g, `Chi đoàn ${g}`, [], { announce: false });
  await seedArticles(pg.db, localDay(new Date(), ZONE), 3, now);
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const proxy = new RoundRobinProxy(ports);
  const hook = `${await proxy.start()}/hook`;
  const replicas: BotProcess[] = ports.map((port) =>
    startBot({
      BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      DATABASE_URL: pg.url,
      ADMIN_IDS: String(OWNER),
      WEBHOOK_URL: hook,
      WEBHOOK_SECRET: 'bench-secret_0123456789abcdefghijklmnop',
      GROUP_ADMISSION: 'open',
      PORT: String(port),
      DAILY_PUSH_CRON: '* * * * * *',
      LEADERBOARD_CRON: notToday(),
      WEEKLY_SUMMARY_CRON: notToday(),
      NUDGE_CRON: 'off',
      EVE_CRON: 'off',
      LOG_LEVEL: 'warn',
    }),
  );
  const pushes = () => tg.messages.filter((m) => m.chat.id < 0 && /📣/.test(m.text ?? ''));
  await tg.waitFor(() => pushes().length >= 50, 60_000, 'the push to start');
  const replyMs = await askPrivatelyDuring(tg, PRIVATE_ASKS, PRIVATE_ASK_GAP_MS, 700_000);
  await tg.waitFor(() => pushes().length >= 1000, 180_000, 'the broadcast');
  const sent = pushes();
  const all = tg.messages.filter((m) => m.at >= sent[0]!.at && m.at <= sent.at(-1)!.at);
  const wall = (sent.at(-1)!.at - sent[0]!.at) / 1000 + 1 / 30;
  const floor = all.length / 30;
  const perGroup = new Map<number, number>();
  for (const m of sent) perGroup.set(m.chat.id, (perGroup.get(m.chat.id) ?? 0) + 1);
  const attempts = tg.calls.filter((c) => c.method === 'sendMessage').length;
  add({
    what: 'three replicas (PostgreSQL): push to 1,000 groups with replies on the way: wall time / floor',
    figure: wall / floor,
    unit: '× floor',
    target: 1.1,
    sense: 'max',
    note: `${wall.toFixed(1)} s for ${all.length} messages (${sent.length} pushes, ${all.length - sent.length} replies)`,
  });
  add({
    what: 'three replicas: 429 answers per send',
    figure: (100 * tg.rateLimited) / attempts,
    unit: '%',
    target: 1,
    sense: 'max',
    note: `${tg.rateLimited} of ${attempts}`,
  });
  add({
    what: `three replicas: a private /me answered during the push, ${PRIVATE_ASKS} asked 5 a second (update handed out → reply): p95`,
    figure: replyMs[Math.floor(replyMs.length * 0.95)]!,
    unit: 'ms',
    target: 300,
    sense: 'max',
    note: `p50 ${replyMs[Math.floor(replyMs.length / 2)]} ms`,
  });
  add({
    what: 'three replicas: groups missed or pushed twice',
    figure: groups.filter((g) => perGroup.get(g) !== 1).length,
    unit: 'groups',
    target: 0,
    sense: 'max',
  });
  for (const r of replicas) await r.stop('SIGTERM');
  await proxy.stop();
  await tg.stop();
}
