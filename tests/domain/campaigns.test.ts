import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb } from '../support/database.ts';
import { postArticle } from '../../src/domain/articles.ts';
import {
  addToCampaign,
  campaignName,
  campaignPeriod,
  createCampaign,
  endCampaign,
  findCampaign,
  isRunning,
  lastOpenDay,
} from '../../src/domain/campaigns.ts';
import { registerGroup, seeMember } from '../../src/domain/chats.ts';
import { recordAction } from '../../src/domain/records.ts';
import { campaignProgress, groupSummary } from '../../src/domain/reports.ts';
import { groupRanking } from '../../src/domain/scores.ts';
import { weekPeriod } from '../../src/domain/periods.ts';

const HCM = 'Asia/Ho_Chi_Minh';
const scoring = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: HCM, articleOpenDays: 7 };
const at = (iso: string) => new Date(iso);

async function unit() {
  const db = await freshDb();
  const now = at('2026-11-30T01:00:00Z');
  await registerGroup(db, { id: -10, type: 'supergroup', title: 'Chi đoàn A' }, now);
  await registerGroup(db, { id: -20, type: 'supergroup', title: 'Chi đoàn B' }, now);
  for (const id of [1, 2, 3]) await seeMember(db, -10, { id, first_name: `Người ${id}` }, 'member', now);
  const post = async (title: string, day: string, scope?: number) => {
    const r = await postArticle(
      db,
      { url: `https://x.org/${title}`, title, proposedBy: 1, proposedIn: 1, scopeChatId: scope },
      day,
      now,
    );
    assert.ok(r.ok);
    return r.article;
  };
  return { db, post };
}

describe('campaign names', () => {
  it('one word, with or without #, folded for comparison', () => {
    assert.deepEqual(campaignName('#Tết2027'), { name: 'Tết2027', slug: 'tet2027' });
    assert.equal(campaignName('tet 2027'), undefined);
    assert.equal(campaignName('#'), undefined);
    assert.equal(campaignName('#' + 'a'.repeat(33)), undefined);
    assert.equal(campaignName('<b>x</b>'), undefined);
    assert.equal(campaignName('#12'), undefined, 'an article number, not a campaign');
    assert.equal(campaignName('2027tet'), undefined);
  });

  it('a group never sees two campaigns of one name: its own and every group’s', async () => {
    const { db } = await unit();
    const now = at('2026-11-30T02:00:00Z');
    const c = { firstDay: '2026-11-30', lastDay: undefined, by: 1 };
    assert.ok((await createCampaign(db, { ...c, text: 'tet2027', scopeChatId: -10 }, now)).ok);
    const again = await createCampaign(db, { ...c, text: '#TET2027', scopeChatId: -10 }, now);
    assert.equal(again.ok ? '' : again.reason, 'taken');
    assert.ok((await createCampaign(db, { ...c, text: 'tet2027', scopeChatId: -20 }, now)).ok, 'another group may');
    const everyone = await createCampaign(db, { ...c, text: 'tet2027', scopeChatId: null }, now);
    assert.equal(everyone.ok ? '' : everyone.reason, 'taken', 'every group’s would clash with both');
    const reversed = await createCampaign(db, { ...c, text: 'x', scopeChatId: -10, lastDay: '2026-11-29' }, now);
    assert.equal(reversed.ok ? '' : reversed.reason, 'reversed');
    assert.equal((await findCampaign(db, 'Tet2027', -10))?.scope_chat_id, -10);
    assert.equal(await findCampaign(db, 'tet2027', 'all'), undefined, 'two groups have one: ambiguous for an owner');
    assert.equal(await findCampaign(db, 'tet2027', []), undefined, 'nobody else sees a group’s campaign');
  });
});

describe('campaigns as periods', () => {
  it('count only the records against their own articles, within their days', async () => {
    const { db, post } = await unit();
    const now = at('2026-11-30T02:00:00Z');
    const inside = await post('inside', '2026-11-30');
    const outside = await post('outside', '2026-11-30');
    const created = await createCampaign(
      db,
      { text: 'dot1', scopeChatId: -10, firstDay: '2026-11-30', lastDay: '2026-12-06', by: 1 },
      now,
    );
    assert.ok(created.ok);
    assert.ok((await addToCampaign(db, inside.id, created.campaign, '2026-11-30')).ok);
    await recordAction(db, { userId: 1, chatId: -10, articleId: inside.id, kind: 'shared' }, scoring, now);
    await recordAction(db, { userId: 2, chatId: -10, articleId: outside.id, kind: 'shared' }, scoring, now);
    await recordAction(db, { userId: 2, chatId: -10, articleId: outside.id, kind: 'rebutted' }, scoring, now);

    const period = campaignPeriod(created.campaign, '2026-12-02', HCM);
    assert.deepEqual([period.firstDay, period.lastDay], ['2026-11-30', '2026-12-02'], 'up to today while running');
    const board = await groupRanking(db, -10, period);
    assert.deepEqual(
      board.map((r) => [r.userId, r.points]),
      [[1, 1]],
      'member 2 acted only on an article outside the campaign',
    );
    const week = await groupRanking(db, -10, weekPeriod(now, HCM));
    assert.equal(week.length, 2, 'the week counts both');

    const summary = await groupSummary(db, -10, weekPeriod(now, HCM), HCM);
    assert.deepEqual(
      summary.campaigns?.map((c) => [c.name, c.articles, c.participants, c.known]),
      [['dot1', 1, 1, 3]],
      'the week’s summary names the running campaign and its progress',
    );
    const progress = await campaignProgress(db, -20, created.campaign, '2026-12-02', HCM);
    assert.equal(progress.articles, 1, 'every group’s article counts for group B too; its members did nothing');
    assert.equal(progress.participants, 0);
  });

  it('an ended campaign closes its articles on its last day; running is from first to last day', async () => {
    const { db, post } = await unit();
    const now = at('2026-11-30T02:00:00Z');
    const article = await post('a', '2026-11-30', -10);
    const everyones = await post('b', '2026-11-30');
    const created = await createCampaign(
      db,
      { text: 'dot2', scopeChatId: -10, firstDay: '2026-11-30', lastDay: undefined, by: 1 },
      now,
    );
    assert.ok(created.ok);
    assert.ok(isRunning(created.campaign, '2026-11-30'));
    assert.ok(!isRunning(created.campaign, '2026-11-29'));
    await addToCampaign(db, article.id, created.campaign, '2026-11-30');
    await addToCampaign(db, everyones.id, created.campaign, '2026-11-30');
    const ended = await endCampaign(db, created.campaign, '2026-12-01', at('2026-12-01T02:00:00Z'));
    assert.ok(ended.ok);
    assert.equal(ended.campaign.last_day, '2026-12-01');
    assert.ok(!isRunning(ended.campaign, '2026-12-01'), 'ended by hand: no longer running');
    const again = await endCampaign(db, ended.campaign, '2026-12-01', at('2026-12-01T03:00:00Z'));
    assert.equal(again.ok ? '' : again.reason, 'ended');
    const late = await addToCampaign(db, article.id, ended.campaign, '2026-12-01');
    assert.equal(late.ok ? '' : late.reason, 'ended');

    const onLastDay = at('2026-12-01T16:59:00Z'); // 23:59 on 1 December in Ho Chi Minh City
    const dayAfter = at('2026-12-01T17:00:00Z'); // 00:00 on 2 December
    assert.ok(
      (await recordAction(db, { userId: 1, chatId: -10, articleId: article.id, kind: 'shared' }, scoring, onLastDay))
        .ok,
    );
    const closed = await recordAction(
      db,
      { userId: 2, chatId: -10, articleId: article.id, kind: 'shared' },
      scoring,
      dayAfter,
    );
    assert.deepEqual(closed.ok ? 'ok' : [closed.reason, 'lastDay' in closed ? closed.lastDay : ''], [
      'closed_article',
      '2026-12-01',
    ]);
    const open = await recordAction(
      db,
      { userId: 2, chatId: -20, articleId: everyones.id, kind: 'shared' },
      scoring,
      dayAfter,
    );
    assert.ok(open.ok, 'a group’s campaign never closes an article every group counts on');
  });
});

describe('an article’s open window', () => {
  it('counts on its day and the ARTICLE_OPEN_DAYS after it, by the calendar of BOT_TIMEZONE', async () => {
    const { db, post } = await unit();
    const article = await post('w', '2026-11-23', -10);
    assert.equal(lastOpenDay(article, 7), '2026-11-30');
    assert.equal(lastOpenDay(article, 0), '2026-11-23');
    assert.equal(lastOpenDay(article, undefined), undefined, 'no window: never closes by age');
    assert.equal(lastOpenDay({ publish_date: '2026-11-23', closes_on: '2026-11-25' }, 7), '2026-11-25');
    assert.equal(lastOpenDay({ publish_date: '2026-11-23', closes_on: '2026-12-25' }, 7), '2026-11-30');

    // 23:59 on 30 November in Ho Chi Minh City is 16:59 UTC; a minute later is the 1st there.
    const last = await recordAction(
      db,
      { userId: 1, chatId: -10, articleId: article.id, kind: 'shared' },
      scoring,
      at('2026-11-30T16:59:00Z'),
    );
    assert.ok(last.ok);
    const after = await recordAction(
      db,
      { userId: 2, chatId: -10, articleId: article.id, kind: 'shared' },
      scoring,
      at('2026-11-30T17:00:00Z'),
    );
    assert.equal(after.ok ? '' : after.reason, 'closed_article');
    const noWindow = await recordAction(
      db,
      { userId: 3, chatId: -10, articleId: article.id, kind: 'shared' },
      { ...scoring, articleOpenDays: undefined },
      at('2027-01-30T00:00:00Z'),
    );
    assert.ok(noWindow.ok);
  });
});
