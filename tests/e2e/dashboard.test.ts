import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createDb, type Db } from '../../src/db/index.ts';
import { botEnv, databaseUrlFor, freePort, startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { G, OTHER, seedUnit, signedInitData, unit } from '../support/dashboard.ts';
import { FakeTelegram, type TgUser } from '../support/fake-telegram.ts';

// The dashboard in a real browser: Debian's chromium, driven by playwright-core, opens the page the real Loa
// process serves, as Telegram would launch it (initData and theme in the URL fragment), for a leader, an owner, a
// member, and with initData tampered with or expired. It saves screenshots of each (see `shots`).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Into a temporary folder, so a test run leaves the checkout clean; LOA_SCREENSHOTS=docs/screenshots refreshes the
// README's pictures.
const shots = process.env.LOA_SCREENSHOTS ? path.resolve(root, process.env.LOA_SCREENSHOTS) : tempDir('loa-shots-');

const LIGHT = {
  bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#707579',
  link_color: '#3390ec',
  button_color: '#3390ec',
  button_text_color: '#ffffff',
  secondary_bg_color: '#f4f4f5',
};
const DARK = {
  bg_color: '#17212b',
  text_color: '#f5f5f5',
  hint_color: '#708499',
  link_color: '#6ab3f3',
  button_color: '#5288c1',
  button_text_color: '#ffffff',
  secondary_bg_color: '#232e3c',
};

const available = fs.existsSync(CHROMIUM);
if (!available) console.log(`# dashboard browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium)`);

describe('the dashboard in a real browser', { skip: !available && `no chromium at ${CHROMIUM}` }, () => {
  let tg: FakeTelegram;
  let bot: BotProcess;
  let db: Db;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  before(async () => {
    tg = new FakeTelegram();
    await tg.start();
    // Telegram knows who administers each group (Loa asks it with getChatAdministrators).
    tg.addGroup(G, 'Nhóm Một', [unit.leader], { announce: false });
    tg.addGroup(OTHER, 'Nhóm Hai', [unit.otherLeader], { announce: false });
    const port = await freePort();
    base = `http://127.0.0.1:${port}/dashboard/`;
    const dir = tempDir();
    bot = startBot(
      botEnv(tg, dir, {
        HTTP_PORT: String(port),
        LISTEN_HOST: '127.0.0.1',
        WEB_APP_URL: 'https://loa.example.org/dashboard/',
        ADMIN_IDS: String(unit.owner.id),
      }),
    );
    await bot.waitForLog(/http server listening/);
    // The bot has migrated its database: the unit is written beside it.
    db = createDb(databaseUrlFor(dir));
    await seedUnit(db, new Date());
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await db?.destroy();
    await bot?.stop('SIGKILL');
    await tg.stop();
  });

  /** The page as Telegram launches it: initData and the theme in the fragment, on a 360-px-wide phone. */
  async function open(initData: string, theme = LIGHT): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const fragment = new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: '8.0',
      tgWebAppPlatform: 'web',
      tgWebAppThemeParams: JSON.stringify(theme),
    });
    await page.goto(`${base}#${fragment}`);
    return page;
  }
  const initDataOf = (user: TgUser, secondsAgo = 30) =>
    signedInitData(user, tg.token, new Date(Date.now() - secondsAgo * 1000));
  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(shots, `dashboard-${name}.png`), fullPage: true });

  it('shows a leader their group’s coverage: members with nothing on top, marks for those who shared', async () => {
    fs.mkdirSync(shots, { recursive: true });
    const page = await open(initDataOf(unit.leader));
    const table = page.locator('#coverage');
    await table.waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Bảng theo dõi');
    const names = await table.locator('tbody tr td:first-child').allTextContents();
    assert.deepEqual(names.slice(0, 2).sort(), ['An Trần', 'Lan Trưởng @lan'], 'those with nothing first');
    assert.equal(await table.locator('tbody tr.nothing').count(), 2);
    assert.match((await page.locator('#with-nothing').textContent()) ?? '', /^2\/4 thành viên chưa có lượt nào/);
    const bình = table.locator(`tbody tr[data-user="${unit.bình.id}"] td[data-article]`);
    assert.deepEqual(await bình.allTextContents(), ['✓', '·']);
    const chi = table.locator(`tbody tr[data-user="${unit.chi.id}"] td[data-article]`);
    assert.deepEqual(await chi.allTextContents(), ['✓', '🛡']);
    assert.deepEqual(await table.locator('tfoot td').allTextContents(), ['Tổng', '2', '1', '']);
    assert.doesNotMatch((await page.textContent('body')) ?? '', /Dũng|Nhóm Hai/, 'nothing of the other group');
    // Fits a 360-px phone: the page does not scroll sideways (the table scrolls inside its box).
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
    await shoot(page, 'coverage');
    await page.fill('#search', 'binh');
    assert.deepEqual(await table.locator('tbody tr:not(.hidden) td:first-child').allTextContents(), ['Bình Nguyễn']);
    // The CSV is what is on screen: the members the search left.
    const found = page.waitForEvent('download');
    await page.click('#download');
    const grid = fs.readFileSync((await (await found).path())!, 'utf8');
    assert.match(grid, /^\ufeffThành viên,#\d+,#\d+,Tổng\r\nBình Nguyễn,shared,,1\r\nTổng,2,1,$/);
    await page.click('[data-tab="trend"]');
    await page.locator('#daily-chart').waitFor();
    assert.equal(await page.locator('#weekly-chart rect.bar').count(), 1, 'one week with records: this one');
    assert.ok((await page.locator('#daily-chart rect.bar-shared').count()) >= 1, 'shares drawn per day');
    assert.ok((await page.locator('#daily-chart rect.bar-rebutted').count()) >= 1, 'rebuttals drawn per day');
    assert.match((await page.locator('#weekly-chart').textContent()) ?? '', /50\s?%/);
    await shoot(page, 'trend');
    await page.click('[data-tab="leaderboard"]');
    await page.locator('#leaderboard').waitFor();
    const board = await page.locator('#leaderboard tbody tr').allTextContents();
    assert.deepEqual(board, ['1Chi Lê113', '2Bình Nguyễn101']);
    await page.click('[data-tab="articles"]');
    await page.locator('#articles').waitFor();
    assert.equal(await page.locator('#articles tbody tr').count(), 2);
    const download = page.waitForEvent('download');
    await page.click('#download');
    const csv = fs.readFileSync((await (await download).path())!, 'utf8');
    assert.match(csv, /Bài một: an toàn giao thông,2,0/);
    await page.close();
  });

  it('shows an owner every group, ranked, each opening its own view', async () => {
    const page = await open(initDataOf(unit.owner));
    await page.locator('#groups').waitFor();
    const rows = await page.locator('#groups tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(rows, ['Nhóm Một', 'Nhóm Hai']);
    await shoot(page, 'organisation');
    await page.click('#groups tbody tr:nth-child(2) button');
    await page.locator('#coverage').waitFor();
    assert.match((await page.locator('.summary').textContent()) ?? '', /Nhóm Hai/);
    assert.equal(await page.locator(`#coverage tr[data-user="${unit.otherMember.id}"] td.mark-shared`).count(), 1);
    await page.close();
  });

  it('fits Telegram’s dark theme', async () => {
    const page = await open(initDataOf(unit.leader), DARK);
    await page.locator('#coverage').waitFor();
    const colours = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      return [body.backgroundColor, body.color];
    });
    assert.deepEqual(colours, ['rgb(23, 33, 43)', 'rgb(245, 245, 245)']);
    await shoot(page, 'dark');
    await page.close();
  });

  it('gives a member a polite page with no names', async () => {
    const page = await open(initDataOf(unit.bình));
    const refused = page.locator('#refused');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /dành cho quản trị viên nhóm/);
    const text = (await page.textContent('body')) ?? '';
    assert.doesNotMatch(text, /An Trần|Chi Lê|Nhóm Một/);
    await shoot(page, 'member');
    await page.close();
  });

  it('refuses initData that was tampered with, and initData that has expired', async () => {
    const good = new URLSearchParams(initDataOf(unit.bình));
    // A member poses as the leader: the signature no longer matches.
    good.set('user', (good.get('user') ?? '').replace(String(unit.bình.id), String(unit.leader.id)));
    const tampered = await open(good.toString());
    await tampered.locator('#refused').waitFor();
    assert.match((await tampered.locator('#refused').textContent()) ?? '', /Không xác minh được phiên mở từ Telegram/);
    assert.doesNotMatch((await tampered.textContent('body')) ?? '', /An Trần|Nhóm Một/);
    await tampered.close();
    const expired = await open(initDataOf(unit.leader, 2 * 3600));
    await expired.locator('#refused').waitFor();
    assert.match((await expired.locator('#refused').textContent()) ?? '', /quá hạn/);
    assert.doesNotMatch((await expired.textContent('body')) ?? '', /An Trần|Nhóm Một/);
    await expired.close();
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    // The refused pages' 401 and 403 answers are logged by the browser as failed loads; nothing else may be.
    const other = problems.filter((p) => !/status of 40[13]/.test(p));
    assert.deepEqual(other, []);
  });
});
