import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/db/index.ts';
import { freshDb } from '../support/database.ts';
import {
  approveArticle,
  approvedFor,
  archiveArticle,
  checkUrl,
  mayDecide,
  pendingArticles,
  postArticle,
  rejectArticle,
  submitArticle,
} from '../../src/domain/articles.ts';
import { registerGroup, seeUser } from '../../src/domain/chats.ts';

const now = new Date('2026-11-30T02:00:00Z');

async function worldDb(): Promise<Db> {
  const db = await freshDb();
  await seeUser(db, { id: 1, first_name: 'Owner' }, now);
  await seeUser(db, { id: 2, first_name: 'Member' }, now);
  await registerGroup(db, { id: -10, type: 'supergroup', title: 'A' }, now);
  await registerGroup(db, { id: -20, type: 'supergroup', title: 'B' }, now);
  return db;
}

describe('links', () => {
  it('accepts http and https only, at most 2,048 characters', () => {
    assert.deepEqual(checkUrl('https://example.org/a?b=c'), { ok: true, url: 'https://example.org/a?b=c' });
    assert.equal(checkUrl('http://example.org').ok, true);
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'ftp://x.org',
      'mailto:a@b.c',
      'tg://resolve?domain=x',
    ]) {
      assert.deepEqual(checkUrl(bad), { ok: false, problem: 'not_http' }, bad);
    }
    for (const bad of ['example.org', 'https//x', 'http://', '', '   ']) assert.equal(checkUrl(bad).ok, false, bad);
    assert.deepEqual(checkUrl(`https://x.org/${'a'.repeat(2040)}`), { ok: false, problem: 'too_long' });
  });
});

describe('article decisions', () => {
  let db: Db;
  beforeEach(async () => {
    db = await worldDb();
  });

  it('a proposal without a title is titled by its URL; approval sets the day', async () => {
    const a = await submitArticle(
      db,
      { url: 'https://x.org/1', title: undefined, proposedBy: 2, proposedIn: -10, scopeChatId: -10 },
      now,
    );
    assert.equal(a.title, 'https://x.org/1');
    assert.equal(a.state, 'pending');
    const r = await approveArticle(db, a.id, 1, '2026-12-01', now);
    assert.ok(r.ok);
    assert.equal(r.article.publish_date, '2026-12-01');
    assert.equal(r.article.decided_by, 1);
  });

  it('refuses a duplicate URL for the same day and overlapping audience, with the existing article', async () => {
    const first = await postArticle(
      db,
      { url: 'https://x.org/1', title: 'One', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
      '2026-11-30',
      now,
    );
    assert.ok(first.ok);
    const again = await postArticle(
      db,
      { url: 'https://x.org/1', title: 'Again', proposedBy: 1, proposedIn: -10, scopeChatId: -10 },
      '2026-11-30',
      now,
    );
    assert.deepEqual(again.ok ? undefined : again.reason === 'duplicate' && again.existing.id, first.article.id);
    const otherDay = await postArticle(
      db,
      { url: 'https://x.org/1', title: 'Tomorrow', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
      '2026-12-01',
      now,
    );
    assert.ok(otherDay.ok);
  });

  it('rejecting twice and acting on an archived article are refused', async () => {
    const a = await submitArticle(
      db,
      { url: 'https://x.org/2', title: 'T', proposedBy: 2, proposedIn: -10, scopeChatId: -10 },
      now,
    );
    assert.ok((await rejectArticle(db, a.id, 1, 'no', now)).ok);
    assert.deepEqual(await rejectArticle(db, a.id, 1, 'no', now), { ok: false, reason: 'already_rejected' });
    assert.ok((await archiveArticle(db, a.id, 1, now)).ok);
    assert.deepEqual(await approveArticle(db, a.id, 1, '2026-11-30', now), { ok: false, reason: 'archived' });
    assert.deepEqual(await approveArticle(db, 9999, 1, '2026-11-30', now), { ok: false, reason: 'not_found' });
  });

  it('a group sees every-group articles and its own, not another group’s', async () => {
    await postArticle(
      db,
      { url: 'https://x.org/all', title: 'All', proposedBy: 1, proposedIn: 1, scopeChatId: undefined },
      '2026-11-30',
      now,
    );
    await postArticle(
      db,
      { url: 'https://x.org/a', title: 'A only', proposedBy: 1, proposedIn: -10, scopeChatId: -10 },
      '2026-11-30',
      now,
    );
    assert.deepEqual(
      (await approvedFor(db, '2026-11-30', -10)).map((a) => a.title),
      ['All', 'A only'],
    );
    assert.deepEqual(
      (await approvedFor(db, '2026-11-30', -20)).map((a) => a.title),
      ['All'],
    );
  });

  it('owners decide everything; leaders only their own group’s articles', () => {
    const leaderOfA = (chatId: number) => chatId === -10;
    assert.equal(mayDecide({ scope_chat_id: -10 }, { userId: 5, isOwner: false }, leaderOfA), true);
    assert.equal(mayDecide({ scope_chat_id: -20 }, { userId: 5, isOwner: false }, leaderOfA), false);
    assert.equal(mayDecide({ scope_chat_id: null }, { userId: 5, isOwner: false }, leaderOfA), false);
    assert.equal(
      mayDecide({ scope_chat_id: null }, { userId: 1, isOwner: true }, () => false),
      true,
    );
  });

  it('the queue is oldest first and scoped', async () => {
    const t1 = new Date('2026-11-30T01:00:00Z');
    const t2 = new Date('2026-11-30T01:05:00Z');
    const later = await submitArticle(
      db,
      { url: 'https://x.org/l', title: 'Later', proposedBy: 2, proposedIn: -10, scopeChatId: -10 },
      t2,
    );
    const earlier = await submitArticle(
      db,
      { url: 'https://x.org/e', title: 'Earlier', proposedBy: 2, proposedIn: -10, scopeChatId: -10 },
      t1,
    );
    await submitArticle(
      db,
      { url: 'https://x.org/b', title: 'B', proposedBy: 2, proposedIn: -20, scopeChatId: -20 },
      t1,
    );
    assert.deepEqual(
      (await pendingArticles(db, [-10])).map((a) => a.id),
      [earlier.id, later.id],
    );
    assert.equal((await pendingArticles(db, 'all')).length, 3);
    assert.equal((await pendingArticles(db, [])).length, 0);
  });
});
