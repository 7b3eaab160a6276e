import type { Db } from '../src/db/index.ts';

// The groups and approved articles the benchmarks start from, on SQLite or PostgreSQL alike.

export const OWNER = 1001;

/** `n` active supergroups with ids firstId, firstId − 1, …; returns their ids. */
export async function seedGroups(db: Db, n: number, firstId: number, at: string): Promise<number[]> {
  const ids = Array.from({ length: n }, (_, i) => firstId - i);
  await db
    .insertInto('chats')
    .values(
      ids.map((id, i) => ({
        id,
        type: 'supergroup',
        title: `Chi đoàn ${i + 1}`,
        active: 1,
        locale: null,
        joined_at: at,
        updated_at: at,
        migrated_to: null,
      })),
    )
    .execute();
  return ids;
}

/** `n` articles approved for `day` by the owner, for every group; returns their ids. */
export async function seedArticles(db: Db, day: string, n: number, at: string): Promise<number[]> {
  await db
    .insertInto('users')
    .values({
      id: OWNER,
      first_name: 'Owner',
      last_name: null,
      username: null,
      language_code: null,
      locale: null,
      started: 1,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const rows = await db
    .insertInto('articles')
    .values(
      Array.from({ length: n }, (_, i) => ({
        url: `https://news.example/${day}/${i}`,
        title: `Bài số ${i + 1} ngày ${day}`,
        note: 'Hãy chia sẻ bài này',
        scope_chat_id: null,
        proposed_by: OWNER,
        proposed_in: OWNER,
        state: 'approved' as const,
        decided_by: OWNER,
        decided_at: at,
        reason: null,
        publish_date: day,
        created_at: at,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** One figure of a benchmark run, as docs/benchmarks.md shows it. */
export interface Row {
  what: string;
  figure: number;
  unit: string;
  target: number | undefined;
  /** 'max': the figure should stay under the target; 'min': above it. */
  sense: 'max' | 'min';
  note?: string;
}

/** How a benchmark part reports a figure. */
export type Add = (r: Row) => void;
