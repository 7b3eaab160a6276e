import { sign } from '@telegram-apps/init-data-node';
import type { Executor } from '../../src/db/index.ts';
import { postArticle } from '../../src/domain/articles.ts';
import { registerGroup, seeMember, seeUser } from '../../src/domain/chats.ts';
import { localDay } from '../../src/domain/periods.ts';
import { recordAction } from '../../src/domain/records.ts';
import type { TgUser } from './fake-telegram.ts';
import { people } from './harness.ts';

// A unit for the dashboard's tests: two groups, a leader each, members who shared, rebutted, or did nothing.

export const G = -7701;
export const OTHER = -7702;
/** Tuesday 2 December 2026, 10:00 in Ho Chi Minh City. */
export const NOW = new Date('2026-12-02T03:00:00Z');

export const unit = {
  owner: people.owner,
  leader: people.leader,
  otherLeader: people.otherLeader,
  bình: people.bình,
  an: { id: 3101, first_name: 'An', last_name: 'Trần', language_code: 'vi' } satisfies TgUser,
  chi: { id: 3102, first_name: 'Chi', last_name: 'Lê', language_code: 'vi' } satisfies TgUser,
  stranger: { id: 3199, first_name: 'Người', last_name: 'Ngoài', language_code: 'vi' } satisfies TgUser,
  otherMember: { id: 3201, first_name: 'Dũng', last_name: 'Phạm', language_code: 'vi' } satisfies TgUser,
};

const scoring = { scoreShared: 1, scoreRebutted: 2, rebuttalsPerDay: 10, timezone: 'Asia/Ho_Chi_Minh' };

/**
 * Group G («Nhóm Một», led by the leader) with bình, an and chi; OTHER («Nhóm Hai», led by otherLeader) with
 * otherMember. Two articles for every group, approved for `now`'s day: bình shared the first, chi rebutted with the
 * second and shared the first, an did nothing; otherMember shared the first in OTHER.
 */
export async function seedUnit(db: Executor, now = NOW): Promise<{ first: number; second: number }> {
  const at = new Date(now.getTime() - 86_400_000);
  const today = localDay(now, scoring.timezone);
  await registerGroup(db, { id: G, type: 'supergroup', title: 'Nhóm Một' }, at);
  await registerGroup(db, { id: OTHER, type: 'supergroup', title: 'Nhóm Hai' }, at);
  for (const u of [unit.leader, unit.bình, unit.an, unit.chi]) await seeMember(db, G, u, 'member', at);
  for (const u of [unit.otherLeader, unit.otherMember]) await seeMember(db, OTHER, u, 'member', at);
  await seeUser(db, unit.owner, at);
  await seeUser(db, unit.stranger, at);
  const article = async (url: string, title: string, day: string) => {
    const r = await postArticle(
      db,
      { url, title, proposedBy: unit.owner.id, proposedIn: unit.owner.id, scopeChatId: undefined },
      day,
      at,
    );
    if (!r.ok) throw new Error(`could not post ${url}`);
    return r.article.id;
  };
  const first = await article('https://news.example/a', 'Bài một: an toàn giao thông', today);
  const second = await article('https://news.example/b', 'Bài hai: phòng chống tin giả', today);
  const record = async (user: TgUser, chatId: number, articleId: number, kind: 'shared' | 'rebutted') => {
    const link = kind === 'rebutted' ? `https://social.example/${user.id}/${articleId}` : undefined;
    const r = await recordAction(db, { userId: user.id, chatId, articleId, kind, link }, scoring, now);
    if (!r.ok) throw new Error(`could not record for ${user.first_name}: ${JSON.stringify(r)}`);
  };
  await record(unit.bình, G, first, 'shared');
  await record(unit.chi, G, first, 'shared');
  await record(unit.chi, G, second, 'rebutted');
  await record(unit.otherMember, OTHER, first, 'shared');
  return { first, second };
}

/** initData as Telegram signs it for a Mini App opened by `user` at `authDate`. */
export function signedInitData(user: TgUser, token: string, authDate: Date): string {
  return sign(
    {
      user: {
        id: user.id,
        first_name: user.first_name,
        ...(user.last_name ? { last_name: user.last_name } : {}),
        ...(user.username ? { username: user.username } : {}),
        ...(user.language_code ? { language_code: user.language_code } : {}),
      },
      query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
    } as never,
    token,
    authDate,
  );
}
