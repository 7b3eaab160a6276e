import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb } from '../support/database.ts';
import { postArticle, submitArticle } from '../../src/domain/articles.ts';
import { registerGroup, seeMember } from '../../src/domain/chats.ts';
import { coverageFor } from '../../src/domain/coverage.ts';
import { recordAction } from '../../src/domain/records.ts';

const scoring = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: 'Asia/Ho_Chi_Minh' };
const at = (iso: string) => new Date(iso);
const NAMES = [
  [1, 'Lan'],
  [2, 'An'],
  [3, 'Bình'],
  [4, 'Chi'],
] as const;

async function unit() {
  const db = await freshDb();
  const now = at('2026-11-30T01:00:00Z');
  await registerGroup(db, { id: -10, type: 'supergroup', title: 'Chi đoàn A' }, now);
  await registerGroup(db, { id: -20, type: 'supergroup', title: 'Chi đoàn B' }, now);
  for (const [id, name] of NAMES) await seeMember(db, -10, { id, first_name: name }, 'member', now);
  const post = async (title: string, day: string, scope?: number) => {
    const r = await postArticle(
      db,
      { url: `https://x.org/${title}`, title, proposedBy: 1, proposedIn: 1, scopeChatId: scope },
      day,
      now,
    );
    assert.ok(r.ok);
    return r.article.id;
  };
  const everyone = await post('everyone', '2026-11-30');
  const ours = await post('ours', '2026-11-30', -10);
  const theirs = await post('theirs', '2026-11-30', -20);
  const yesterday = await post('yesterday', '2026-11-29');
  await submitArticle(
    db,
    { url: 'https://x.org/p', title: 'pending', proposedBy: 2, proposedIn: 2, scopeChatId: -10 },
    now,
  );
  return { db, everyone, ours, theirs, yesterday };
}

describe('coverage', () => {
  it("lists the day's articles meant for the group, and each member's marks; members with nothing first", async () => {
    const { db, everyone, ours, theirs } = await unit();
    const now = at('2026-11-30T05:00:00Z');
    const rec = (userId: number, articleId: number, kind: 'shared' | 'rebutted', chatId = -10) =>
      recordAction(
        db,
        {
          userId,
          chatId,
          articleId,
          kind,
          link: kind === 'rebutted' ? `https://fb.com/${userId}/${articleId}` : undefined,
        },
        scoring,
        now,
      );
    assert.ok((await rec(1, everyone, 'shared')).ok);
    assert.ok((await rec(1, everyone, 'rebutted')).ok);
    assert.ok((await rec(3, ours, 'shared')).ok);

    const c = await coverageFor(db, -10, '2026-11-30', '2026-11-30');
    assert.equal(c.title, 'Chi đoàn A');
    assert.deepEqual(
      c.articles.map((a) => [a.id, a.shared, a.rebutted, a.covered]),
      [
        [everyone, 1, 1, 1],
        [ours, 1, 0, 1],
      ],
      'the other group’s article, yesterday’s and the pending proposal are not counted',
    );
    assert.ok(!c.articles.some((a) => a.id === theirs));
    assert.deepEqual(
      c.members.map((m) => [m.firstName, m.covered, m.marks]),
      [
        ['An', 0, {}],
        ['Chi', 0, {}],
        ['Bình', 1, { [ours]: 'shared' }],
        ['Lan', 1, { [everyone]: 'both' }],
      ],
    );
    assert.equal(c.withNothing, 2);
  });

  it('spans days, keeps a member who recorded and left, and counts a member’s record made in another group', async () => {
    const { db, everyone, yesterday } = await unit();
    const now = at('2026-11-30T05:00:00Z');
    await seeMember(db, -20, { id: 2, first_name: 'An' }, 'member', now);
    assert.ok(
      (await recordAction(db, { userId: 2, chatId: -20, articleId: everyone, kind: 'shared' }, scoring, now)).ok,
    );
    assert.ok(
      (await recordAction(db, { userId: 4, chatId: -10, articleId: yesterday, kind: 'shared' }, scoring, now)).ok,
    );
    await seeMember(db, -10, { id: 4, first_name: 'Chi' }, 'left', now);

    const c = await coverageFor(db, -10, '2026-11-29', '2026-11-30');
    assert.equal(c.articles.length, 3);
    assert.deepEqual(c.articles[0]?.id, yesterday, 'in day order');
    const an = c.members.find((m) => m.userId === 2);
    assert.deepEqual(an?.marks, { [everyone]: 'shared' }, 'An shared it in his other group: it counts here too');
    const chi = c.members.find((m) => m.userId === 4);
    assert.deepEqual(chi?.marks, { [yesterday]: 'shared' }, 'Chi left, but her record stays on the sheet');
    assert.equal(c.withNothing, 2);

    const empty = await coverageFor(db, -10, '2026-12-01', '2026-12-01');
    assert.deepEqual(empty.articles, []);
    assert.equal(empty.withNothing, 3, 'no articles: everyone known has nothing');
  });
});
