import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { parseConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';
import { dashboardRoutes } from '../../src/web/dashboard.ts';
import { checkInitData } from '../../src/web/init-data.ts';
import { closeDb, freshDb } from '../support/database.ts';
import { G, NOW, OTHER, seedUnit, signedInitData, unit } from '../support/dashboard.ts';
import { createHarness, lastTextTo } from '../support/harness.ts';

// The dashboard's server side: Telegram's initData checked (signature, every field, age), and every data endpoint
// answering only the right person with the right groups.

const TOKEN = '123456:TEST-token-for-the-fake-api_abcdefgh';
const quietLog = () => createLogger('silent', [], new Writable({ write: (_c, _e, cb) => cb() }));
const HOUR = 3600;

describe('dashboard settings', () => {
  it('is off without WEB_APP_URL, needs HTTPS and Loa’s HTTP server, and trusts initData for an hour by default', () => {
    assert.equal(parseConfig({ BOT_TOKEN: TOKEN }).webApp, undefined);
    const on = parseConfig({ BOT_TOKEN: TOKEN, HTTP_PORT: '8081', WEB_APP_URL: 'https://loa.example.org/dashboard/' });
    assert.deepEqual(on.webApp, { url: 'https://loa.example.org/dashboard/', authMaxAgeSeconds: 3600 });
    assert.throws(
      () => parseConfig({ BOT_TOKEN: TOKEN, HTTP_PORT: '8081', WEB_APP_URL: 'http://loa.example.org/dashboard/' }),
      /WEB_APP_URL: must be an https URL/,
    );
    assert.throws(
      () => parseConfig({ BOT_TOKEN: TOKEN, WEB_APP_URL: 'https://loa.example.org/dashboard/' }),
      /WEB_APP_URL: needs Loa’s HTTP server/,
    );
    assert.throws(
      () =>
        parseConfig({
          BOT_TOKEN: TOKEN,
          HTTP_PORT: '8081',
          WEB_APP_URL: 'https://loa.example.org/dashboard/',
          WEB_APP_AUTH_MAX_AGE_SECONDS: '10',
        }),
      /WEB_APP_AUTH_MAX_AGE_SECONDS/,
    );
  });
});

describe('initData validation', () => {
  const good = signedInitData(unit.leader, TOKEN, new Date(NOW.getTime() - 60_000));
  const check = (initData: string, now = NOW, maxAge = HOUR) => checkInitData(initData, TOKEN, now, maxAge);

  it('accepts initData Telegram signed for this bot, and reads the user from it', () => {
    const r = check(good);
    assert.equal(r.ok, true);
    assert.ok(r.ok);
    assert.equal(r.user.id, unit.leader.id);
    assert.equal(r.user.firstName, unit.leader.first_name);
    assert.equal(r.authDate.getTime(), Math.floor((NOW.getTime() - 60_000) / 1000) * 1000);
  });

  it('refuses initData with any field altered, added or removed', () => {
    const params = new URLSearchParams(good);
    for (const key of [...params.keys()].filter((k) => k !== 'hash')) {
      const altered = new URLSearchParams(params);
      altered.set(key, key === 'auth_date' ? String(Number(params.get(key)) - 1) : `${params.get(key)}x`);
      assert.deepEqual(check(altered.toString()), { ok: false, reason: 'invalid' }, `altered ${key}`);
      const removed = new URLSearchParams(params);
      removed.delete(key);
      assert.deepEqual(check(removed.toString()), { ok: false, reason: 'invalid' }, `removed ${key}`);
    }
    // Another person's id in the user field: the signature no longer matches.
    const other = new URLSearchParams(params);
    other.set('user', (params.get('user') ?? '').replace(String(unit.leader.id), String(unit.owner.id)));
    assert.deepEqual(check(other.toString()), { ok: false, reason: 'invalid' });
    const extra = new URLSearchParams(params);
    extra.set('chat_type', 'private');
    assert.deepEqual(check(extra.toString()), { ok: false, reason: 'invalid' });
    const hash = new URLSearchParams(params);
    hash.set(
      'hash',
      (params.get('hash') ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
    assert.deepEqual(check(hash.toString()), { ok: false, reason: 'invalid' });
    const noHash = new URLSearchParams(params);
    noHash.delete('hash');
    assert.equal(check(noHash.toString()).ok, false);
  });

  it('refuses initData signed with another bot’s token', () => {
    const foreign = signedInitData(unit.leader, '654321:ANOTHER-token-for-another-bot_xyz', NOW);
    assert.deepEqual(check(foreign), { ok: false, reason: 'invalid' });
  });

  it('refuses initData older than the setting (one hour by default), and one dated far in the future', () => {
    const at = (secondsAgo: number) => signedInitData(unit.leader, TOKEN, new Date(NOW.getTime() - secondsAgo * 1000));
    assert.equal(check(at(HOUR - 5)).ok, true);
    assert.deepEqual(check(at(HOUR + 5)), { ok: false, reason: 'expired' });
    assert.equal(check(at(HOUR + 5), NOW, 2 * HOUR).ok, true, 'a longer setting lets it through');
    assert.deepEqual(check(at(-3600)), { ok: false, reason: 'expired' });
  });

  it('refuses nothing at all, and what is not initData', () => {
    assert.deepEqual(check(''), { ok: false, reason: 'missing' });
    assert.equal(check('hello').ok, false);
    assert.equal(check('user=%7B%7D&auth_date=1&hash=00').ok, false);
  });
});

describe('dashboard API', () => {
  let db: Db;
  let server: HttpServer;
  let base: string;
  let config: Config;
  before(async () => {
    db = await freshDb();
    await seedUnit(db);
    config = parseConfig({ BOT_TOKEN: TOKEN, HTTP_PORT: '8080', WEB_APP_URL: 'https://loa.example.org/dashboard/' });
    // The roles as Telegram would tell them: each group's admin is its leader.
    const admins = new Map([
      [G, unit.leader.id],
      [OTHER, unit.otherLeader.id],
    ]);
    const roles = {
      isOwner: (id: number | undefined) => id === unit.owner.id,
      isLeader: async (chatId: number, userId: number) => admins.get(chatId) === userId,
    };
    server = new HttpServer(quietLog());
    dashboardRoutes(server, {
      db,
      config: { ...config, webApp: config.webApp! },
      roles,
      clock: () => NOW,
      log: quietLog(),
    });
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/dashboard/`;
  });
  after(async () => {
    await server.stop();
    await closeDb(db);
  });

  const as = (user: (typeof unit)[keyof typeof unit], secondsAgo = 60) =>
    `tma ${signedInitData(user, TOKEN, new Date(NOW.getTime() - secondsAgo * 1000))}`;
  const get = async (path: string, authorization?: string) => {
    const res = await fetch(base + path, authorization ? { headers: { authorization } } : {});
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: JSON.parse(text || 'null') };
  };
  const endpoints = ['api/me', `api/group?chat=${G}&period=week`, 'api/groups?period=week'];

  it('serves the page and its files with a strict Content-Security-Policy, and no inline script', async () => {
    for (const [path, type] of [
      ['', /^text\/html/],
      ['dashboard.js', /^text\/javascript/],
      ['dashboard.css', /^text\/css/],
    ] as const) {
      const res = await fetch(base + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'self' https:\/\/web\.telegram\.org/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      const text = await res.text();
      if (path === '') {
        assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script is a file');
        assert.doesNotMatch(text, /style=|<style/, 'no inline style');
        assert.doesNotMatch(text, /https?:\/\//, 'nothing from elsewhere');
      }
    }
    const bare = await fetch(base.slice(0, -1), { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/dashboard/');
    assert.equal((await fetch(`${base}../dashboard/other.js`)).status, 404);
  });

  it('refuses every data endpoint without initData, with a forged one and with an expired one', async () => {
    const forged = as(unit.leader).replace(/hash=[0-9a-f]/, (m) => (m.endsWith('0') ? 'hash=1' : 'hash=0'));
    for (const path of endpoints) {
      const none = await get(path);
      assert.equal(none.status, 401, path);
      assert.equal(none.body.error, 'missing');
      const wrong = await get(path, forged);
      assert.equal(wrong.status, 401, path);
      assert.equal(wrong.body.error, 'invalid');
      assert.doesNotMatch(wrong.text, /Bình|An|Chi|Nhóm/);
      const old = await get(path, as(unit.leader, HOUR + 60));
      assert.equal(old.status, 401, path);
      assert.equal(old.body.error, 'expired');
      assert.match(old.body.message, /quá hạn/);
      const notTma = await get(path, signedInitData(unit.leader, TOKEN, NOW));
      assert.equal(notTma.status, 401, 'initData without the "tma" scheme');
    }
  });

  it('gives a member a polite refusal and no data, on every endpoint', async () => {
    for (const user of [unit.bình, unit.stranger]) {
      for (const path of endpoints) {
        const r = await get(path, as(user));
        assert.equal(r.status, 403, path);
        assert.equal(r.body.error, 'member');
        assert.match(r.body.message, /dành cho quản trị viên nhóm/);
        assert.doesNotMatch(r.text, /Bình|Trần|Lê|Nhóm Một|news\.example/, 'no names, no groups, no articles');
      }
    }
  });

  it('tells a leader who they are and shows them only their group', async () => {
    const me = await get('api/me', as(unit.leader));
    assert.equal(me.status, 200);
    assert.equal(me.body.role, 'leader');
    assert.equal(me.body.locale, 'vi');
    assert.equal(me.body.today, '2026-12-02');
    assert.deepEqual(me.body.groups, [{ chatId: G, title: 'Nhóm Một' }]);
    assert.equal(me.body.organisation, false, 'one group: no organisation view');
    assert.equal(me.body.page.coverage, 'Mức độ lan tỏa');
    const en = await get('api/me', as({ ...unit.otherLeader, language_code: 'en' }));
    assert.equal(en.body.locale, 'en', 'the Telegram language when Loa has no choice stored');
    assert.equal(en.body.page.coverage, 'Coverage');
  });

  it('gives a leader their group’s coverage, trend, leaderboard and articles: the same figures as /summary', async () => {
    const r = await get(`api/group?chat=${G}&period=range&from=2026-12-01&to=2026-12-02`, as(unit.leader));
    assert.equal(r.status, 200);
    const { coverage, summary, leaderboard, trend, period } = r.body;
    assert.deepEqual(period, { firstDay: '2026-12-01', lastDay: '2026-12-02' });
    assert.equal(coverage.articles.length, 2);
    const byName = Object.fromEntries(
      coverage.members.map((m: { firstName: string; marks: object }) => [m.firstName, m.marks]),
    );
    const [first, second] = coverage.articles.map((a: { id: number }) => a.id);
    assert.deepEqual(byName['Bình'], { [first]: 'shared' });
    assert.deepEqual(byName['Chi'], { [first]: 'shared', [second]: 'rebutted' });
    assert.deepEqual(byName['An'], {});
    assert.equal(coverage.members[0].covered, 0, 'members with nothing first');
    assert.equal(coverage.withNothing, 2, 'An and the leader');
    assert.equal(summary.participants, 2);
    assert.equal(summary.shared, 2);
    assert.equal(summary.rebutted, 1);
    assert.deepEqual(
      leaderboard.map((row: { firstName: string; points: number }) => [row.firstName, row.points]),
      [
        ['Chi', 3],
        ['Bình', 1],
      ],
    );
    assert.equal(trend.length, 12);
    assert.deepEqual(trend.at(-1), {
      firstDay: '2026-11-30',
      lastDay: '2026-12-06',
      participants: 2,
      known: 4,
      participation: 0.5,
    });
    assert.equal(trend.at(-2).participants, 0);
    assert.doesNotMatch(r.text, /Dũng|Nhóm Hai/, 'nothing of the other group');
  });

  it('refuses a leader another group, and a period that is not one', async () => {
    const other = await get(`api/group?chat=${OTHER}&period=week`, as(unit.leader));
    assert.equal(other.status, 403);
    assert.doesNotMatch(other.text, /Dũng|Nhóm Hai/);
    assert.equal((await get(`api/group?chat=abc&period=week`, as(unit.leader))).status, 403);
    for (const bad of ['period=year', 'period=range&from=2026-12-05&to=2026-12-01', 'period=range&from=x&to=y'])
      assert.equal((await get(`api/group?chat=${G}&${bad}`, as(unit.leader))).status, 400, bad);
    const groups = await get('api/groups?period=week', as(unit.leader));
    assert.equal(groups.status, 200);
    assert.deepEqual(
      groups.body.groups.map((g: { chatId: number }) => g.chatId),
      [G],
    );
  });

  it('lets an owner open any group and the whole organisation, ranked by participation', async () => {
    const me = await get('api/me', as(unit.owner));
    assert.equal(me.body.role, 'owner');
    assert.equal(me.body.organisation, true);
    assert.deepEqual(me.body.groups.map((g: { chatId: number }) => g.chatId).sort(), [OTHER, G].sort());
    const other = await get(`api/group?chat=${OTHER}&period=today`, as(unit.owner));
    assert.equal(other.status, 200);
    assert.equal(other.body.coverage.members.length, 2);
    const org = await get('api/groups?period=week', as(unit.owner));
    assert.deepEqual(
      org.body.groups.map((g: { title: string; active: number; known: number }) => [g.title, g.active, g.known]),
      [
        ['Nhóm Một', 2, 4],
        ['Nhóm Hai', 1, 2],
      ],
    );
    assert.equal(org.body.known, 6);
    assert.equal(org.body.active, 3);
  });
});

describe('/dashboard in Telegram', () => {
  it('gives a leader the button that opens the dashboard, and sets their chat’s menu button', async () => {
    const h = await createHarness({
      env: { WEB_APP_URL: 'https://loa.example.org/dashboard/', HTTP_PORT: '8080' },
    });
    try {
      h.tg.addGroup(G, 'Nhóm Một', [unit.leader]);
      h.tg.send(h.tg.chatOf(G), unit.leader, 'chào');
      h.tg.send(h.tg.chatOf(G), unit.bình, 'chào');
      await h.deliver();
      h.tg.send('private', unit.leader, '/dashboard');
      await h.deliver();
      const sent = h.tg.messagesTo(unit.leader.id).at(-1)!;
      const button = sent.reply_markup?.inline_keyboard[0]?.[0] as { text: string; web_app?: { url: string } };
      assert.deepEqual(button, { text: '📊 Bảng theo dõi', web_app: { url: 'https://loa.example.org/dashboard/' } });
      const menu = h.tg.callsOf('setChatMenuButton').find((c) => c.payload.chat_id === unit.leader.id);
      assert.equal(menu?.payload.menu_button.type, 'web_app');
      assert.equal(menu?.payload.menu_button.web_app.url, 'https://loa.example.org/dashboard/');
      h.tg.send('private', unit.bình, '/dashboard');
      await h.deliver();
      assert.match(lastTextTo(h.tg, unit.bình.id), /Chỉ quản trị viên nhóm và người vận hành Loa/);
      assert.equal(h.tg.messagesTo(unit.bình.id).at(-1)?.reply_markup, undefined, 'no button for a member');
      const memberMenu = h.tg.callsOf('setChatMenuButton').filter((c) => c.payload.chat_id === unit.bình.id);
      assert.deepEqual(
        memberMenu.map((c) => c.payload.menu_button.type),
        ['default'],
        'a member’s chat keeps the default menu button',
      );
    } finally {
      await h.close();
    }
  });

  it('says how to turn it on when WEB_APP_URL is not set', async () => {
    const h = await createHarness();
    try {
      h.tg.send('private', unit.owner, '/dashboard');
      await h.deliver();
      assert.match(lastTextTo(h.tg, unit.owner.id), /chưa được bật[\s\S]*WEB_APP_URL/);
      assert.equal(h.tg.callsOf('setChatMenuButton').length, 0);
    } finally {
      await h.close();
    }
  });
});
