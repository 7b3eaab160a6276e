import { Writable } from 'node:stream';
import { parseConfig } from '../src/config.ts';
import type { Db } from '../src/db/index.ts';
import { HttpServer } from '../src/http/server.ts';
import { createLogger } from '../src/logger.ts';
import { dashboardRoutes } from '../src/web/dashboard.ts';
import { signedInitData } from '../tests/support/dashboard.ts';
import { OWNER, type Add } from './seed.ts';

// The dashboard's API on the reports' seeded database (500 groups, 20,000 members, 2,000,000 records): requests
// over HTTP on 127.0.0.1, as the page makes them, each with signed initData checked on arrival.

const TOKEN = '123456:BENCH-token-for-the-dashboard_abcdefgh';
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Members 1,000,000 + u are in group groups[u % 500] (bench/run.ts's seeding); the first of each group leads it. */
export async function measureDashboard(db: Db, groups: number[], now: Date, label: string, add: Add): Promise<void> {
  const config = parseConfig({
    BOT_TOKEN: TOKEN,
    HTTP_PORT: '8080',
    WEB_APP_URL: 'https://loa.example.org/dashboard/',
  });
  const silent = createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));
  // Admin lists as the Roles cache holds them between two asks to Telegram: a lookup.
  const roles = {
    isOwner: (id: number | undefined) => id === OWNER,
    isLeader: async (chatId: number, userId: number) => {
      const u = userId - 1_000_000;
      return u >= 0 && u < groups.length && groups[u] === chatId;
    },
  };
  const server = new HttpServer(silent);
  dashboardRoutes(server, { db, config: { ...config, webApp: config.webApp! }, roles, clock: () => now, log: silent });
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/dashboard/api/`;
  const as = (id: number) => `tma ${signedInitData({ id, first_name: 'Bench' }, TOKEN, now)}`;
  const owner = as(OWNER);
  const time = async (path: string, authorization: string): Promise<number> => {
    const a = process.hrtime.bigint();
    const res = await fetch(base + path, { headers: { authorization } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return Number(process.hrtime.bigint() - a) / 1e6;
  };
  try {
    for (let i = 0; i < 10; i++) await time(`group?chat=${groups[i]}&period=week`, as(1_000_000 + i)); // warm up
    const measure = async (what: string, n: number, request: (i: number) => [string, string], target = 50) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) ms.push(await time(...request(i)));
      add({
        what: `${label}dashboard API: ${what}: p50`,
        figure: quantile(ms, 0.5),
        unit: 'ms',
        target: undefined,
        sense: 'max',
      });
      add({
        what: `${label}dashboard API: ${what}: p95`,
        figure: quantile(ms, 0.95),
        unit: 'ms',
        target,
        sense: 'max',
      });
    };
    const leaderOf = (i: number) => {
      const u = (i * 37) % groups.length;
      return { chat: groups[u]!, auth: as(1_000_000 + u) };
    };
    await measure('a leader opens it (me)', 100, (i) => ['me', leaderOf(i).auth]);
    await measure('a group this week (coverage, trend, board, articles)', 200, (i) => {
      const { chat, auth } = leaderOf(i);
      return [`group?chat=${chat}&period=week`, auth];
    });
    await measure('a group this month', 100, (i) => {
      const { chat, auth } = leaderOf(i);
      return [`group?chat=${chat}&period=month`, auth];
    });
    await measure('an owner’s organisation view, 500 groups, this week', 40, () => ['groups?period=week', owner]);
    await measure('an owner’s organisation view, 500 groups, last week', 40, () => ['groups?period=lastweek', owner]);
  } finally {
    await server.stop();
  }
}
