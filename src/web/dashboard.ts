import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import type { Executor } from '../db/index.ts';
import { activeGroups, groupsOfUser } from '../domain/chats.ts';
import { groupView, organisationView } from '../domain/dashboard.ts';
import { daysPeriod, localDay, parsePeriod, type NamedPeriod, type Period } from '../domain/periods.ts';
import { messages, userLocale, type Messages } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { HttpServer } from '../http/server.ts';
import { ledAmong, type Roles } from '../telegram/roles.ts';
import { checkInitData, type WebAppUser } from './init-data.ts';

// The leaders' dashboard, a Telegram Mini App served by Loa's own HTTP server under /dashboard/: the page and its
// two files (web/), and a JSON API that answers only requests carrying Telegram's signed initData (header
// `Authorization: tma <initData>`), with the figures the commands use, for the groups the caller leads.

export const DASHBOARD_PATH = '/dashboard/';

export interface DashboardDeps {
  db: Executor;
  config: Pick<Config, 'botToken' | 'timezone' | 'defaultLocale' | 'addressForm'> & {
    webApp: NonNullable<Config['webApp']>;
  };
  roles: Pick<Roles, 'isOwner' | 'isLeader'>;
  clock: () => Date;
  log: Logger;
}

/**
 * Strict: only Loa's own files, no inline script or style (the page sets its theme colours through the CSSOM, which
 * CSP allows), and framed only by Telegram's web clients (the apps open Mini Apps in a web view, not a frame).
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://web.telegram.org",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const ASSETS = [
  ['', 'dashboard.html', 'text/html; charset=utf-8'],
  ['dashboard.js', 'dashboard.js', 'text/javascript; charset=utf-8'],
  ['dashboard.css', 'dashboard.css', 'text/css; charset=utf-8'],
] as const;

/** web/ at the repository's root, from the sources (src/web) or the build (dist/src/web). */
function assetsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../web'), path.resolve(here, '../../../web')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'dashboard.html')));
  if (!found) throw new Error(`the dashboard's files (web/dashboard.html) are missing; looked in ${candidates}`);
  return found;
}

type Access = { role: 'owner' } | { role: 'leader'; groups: number[] } | { role: 'member' };

/** What the caller may see, by the same roles as the commands: owners everything, a leader the groups they lead. */
async function accessOf(deps: DashboardDeps, userId: number): Promise<Access> {
  if (deps.roles.isOwner(userId)) return { role: 'owner' };
  const groups = await groupsOfUser(deps.db, userId);
  const led = await ledAmong(
    deps.roles,
    userId,
    groups.map((g) => g.id),
    (chatId, err) =>
      deps.log.warn({ chatId, err: (err as Error).message }, 'dashboard: could not read the group admins'),
  );
  return led.length > 0 ? { role: 'leader', groups: led } : { role: 'member' };
}

const PERIOD_NAMES: Record<string, NamedPeriod> = { today: 'day', week: 'week', lastweek: 'lastweek', month: 'month' };

/** The period a request asks for: a named one, or `range` with `from` and `to` (days, both included). */
export function requestedPeriod(query: URLSearchParams, now: Date, zone: string): Period | undefined {
  const name = query.get('period') ?? 'week';
  if (name === 'range') return daysPeriod(query.get('from') ?? '', query.get('to') ?? '', zone);
  const named = PERIOD_NAMES[name];
  if (!named) return undefined;
  const parsed = parsePeriod([named], now, zone, [named], false);
  return parsed.ok ? parsed.period : undefined;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(JSON.stringify(body));
}

interface Caller {
  user: WebAppUser;
  access: Access;
  t: Messages;
  query: URLSearchParams;
  now: Date;
}

/** Authenticates a request; answers 401 or 403 itself and returns undefined when it is refused. */
async function caller(
  deps: DashboardDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<Caller | undefined> {
  const now = deps.clock();
  const header = req.headers.authorization ?? '';
  const initData = header.startsWith('tma ') ? header.slice(4) : '';
  const checked = checkInitData(initData, deps.config.botToken, now, deps.config.webApp.authMaxAgeSeconds);
  // Before the signature is trusted, nothing in the request picks the language: the default one.
  const fallback = messages(deps.config.defaultLocale, deps.config.addressForm);
  if (!checked.ok) {
    send(res, 401, {
      error: checked.reason,
      message: checked.reason === 'expired' ? fallback.dashboard.refused.expired : fallback.dashboard.refused.invalid,
    });
    return undefined;
  }
  const { user } = checked;
  const known = await deps.db
    .selectFrom('users')
    .select(['locale', 'language_code'])
    .where('id', '=', user.id)
    .executeTakeFirst();
  // Their choice (/lang), else the language their Telegram app has now (initData's is the freshest).
  const locale = userLocale(
    { locale: known?.locale ?? null, language_code: user.languageCode ?? known?.language_code ?? null },
    deps.config.defaultLocale,
  );
  const t = messages(locale, deps.config.addressForm);
  const access = await accessOf(deps, user.id);
  if (access.role === 'member') {
    send(res, 403, { error: 'member', locale, message: t.dashboard.refused.member, page: t.dashboard.page });
    return undefined;
  }
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  return { user, access, t, query, now };
}

/** The groups a caller may open: a leader's own; an owner's, every group Loa serves. */
async function visibleGroups(deps: DashboardDeps, access: Access): Promise<{ chatId: number; title: string }[]> {
  if (access.role === 'member') return [];
  const led = access.role === 'leader' ? new Set(access.groups) : undefined;
  return (await activeGroups(deps.db))
    .filter((g) => !led || led.has(g.id))
    .map((g) => ({ chatId: g.id, title: g.title ?? String(g.id) }))
    .sort((a, b) => a.title.localeCompare(b.title, 'vi'));
}

export function dashboardRoutes(server: HttpServer, deps: DashboardDeps): void {
  const dir = assetsDir();
  for (const [name, file, type] of ASSETS) {
    const body = fs.readFileSync(path.join(dir, file));
    server.route('GET', DASHBOARD_PATH + name, (_req, res) => {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' }).end(body);
    });
  }
  // The page's relative addresses need the trailing slash.
  server.route('GET', DASHBOARD_PATH.slice(0, -1), (_req, res) => {
    res.writeHead(301, { ...SECURITY_HEADERS, location: DASHBOARD_PATH }).end();
  });

  // Who is asking, in which language, and which groups they may open.
  server.route('GET', `${DASHBOARD_PATH}api/me`, async (req, res) => {
    const c = await caller(deps, req, res);
    if (!c) return;
    const groups = await visibleGroups(deps, c.access);
    send(res, 200, {
      user: { id: c.user.id, firstName: c.user.firstName },
      role: c.access.role,
      locale: c.t.locale,
      today: localDay(c.now, deps.config.timezone),
      groups,
      // The organisation view: owners, and leaders of several groups.
      organisation: c.access.role === 'owner' || groups.length > 1,
      page: c.t.dashboard.page,
    });
  });

  // One group's coverage, trend, leaderboard and articles for a period.
  server.route('GET', `${DASHBOARD_PATH}api/group`, async (req, res) => {
    const c = await caller(deps, req, res);
    if (!c) return;
    const chatId = Number(c.query.get('chat'));
    const period = requestedPeriod(c.query, c.now, deps.config.timezone);
    if (!period) return send(res, 400, { error: 'period', message: c.t.dashboard.page.badRange });
    const allowed = (await visibleGroups(deps, c.access)).some((g) => g.chatId === chatId);
    if (!Number.isSafeInteger(chatId) || !allowed)
      return send(res, 403, { error: 'group', message: c.t.dashboard.refused.notYourGroup });
    const view = await groupView(deps.db, chatId, period, c.now, deps.config.timezone);
    send(res, 200, { period: { firstDay: period.firstDay, lastDay: period.lastDay }, ...view });
  });

  // The groups the caller may open, ranked by participation (owners: all of them), with totals.
  server.route('GET', `${DASHBOARD_PATH}api/groups`, async (req, res) => {
    const c = await caller(deps, req, res);
    if (!c) return;
    const period = requestedPeriod(c.query, c.now, deps.config.timezone);
    if (!period) return send(res, 400, { error: 'period', message: c.t.dashboard.page.badRange });
    const view = await organisationView(deps.db, c.access.role === 'leader' ? c.access.groups : 'all', period);
    send(res, 200, { period: { firstDay: period.firstDay, lastDay: period.lastDay }, ...view });
  });
}
