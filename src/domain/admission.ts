import type { Executor, GroupAdmissionState } from '../db/index.ts';

// Which groups Loa serves. Anyone can add a bot to a group; served, that group would get every all-groups
// article, make its admins Loa leaders and spend the sends the real groups' push needs. So with
// GROUP_ADMISSION=owner (the default) a group is served once an owner added it, allowed it when asked, or listed
// it in ALLOWED_GROUP_IDS; with GROUP_ADMISSION=open every group is served.

export interface AdmissionRules {
  groupAdmission: 'owner' | 'open';
  adminIds: ReadonlySet<number>;
  allowedGroupIds: ReadonlySet<number>;
}

/**
 * What a group gets when the bot joins it (or Loa first hears of it): allowed when the rules say so or an owner
 * added it; otherwise what it had before (allowed stays allowed, refused stays refused: re-adding a refused group
 * does not ask the owners again), or waiting for an owner.
 */
export function admissionOnJoin(
  rules: AdmissionRules,
  chatId: number,
  addedBy: number | undefined,
  previous: GroupAdmissionState | undefined,
): GroupAdmissionState {
  if (rules.groupAdmission === 'open' || rules.allowedGroupIds.has(chatId)) return 'allowed';
  if (addedBy !== undefined && rules.adminIds.has(addedBy)) return 'allowed';
  return previous === 'allowed' || previous === 'refused' ? previous : 'waiting';
}

/** Whether a group is served now: the stored state, or the rules (open, or listed) that admit it whatever it says. */
export function isAdmitted(rules: AdmissionRules, chatId: number, state: GroupAdmissionState | undefined): boolean {
  return rules.groupAdmission === 'open' || rules.allowedGroupIds.has(chatId) || state === 'allowed';
}

/**
 * At start: groups the settings now admit (GROUP_ADMISSION=open, or listed in ALLOWED_GROUP_IDS) are allowed in
 * the database too, so the jobs, which read it, serve them. Returns their ids.
 */
export async function admitBySettings(db: Executor, rules: AdmissionRules): Promise<number[]> {
  const listed = [...rules.allowedGroupIds];
  if (rules.groupAdmission !== 'open' && listed.length === 0) return [];
  let q = db.updateTable('chats').set({ admission: 'allowed' }).where('id', '<', 0);
  q =
    rules.groupAdmission === 'open'
      ? q.where((eb) =>
          listed.length > 0
            ? eb.or([
                eb('admission', '=', 'waiting'),
                eb.and([eb('id', 'in', listed), eb('admission', '!=', 'allowed')]),
              ])
            : eb('admission', '=', 'waiting'),
        )
      : q.where('id', 'in', listed).where('admission', '!=', 'allowed');
  const rows = await q.returning('id').execute();
  return rows.map((r) => Number(r.id));
}

export type AdmissionDecision =
  { ok: true; title: string | null } | { ok: false; reason: 'not_waiting'; state: GroupAdmissionState | undefined };

/** An owner allows a waiting group; refused when the group is not waiting (decided already, or gone). */
export async function allowGroup(db: Executor, chatId: number, now: Date): Promise<AdmissionDecision> {
  return decide(db, chatId, 'allowed', now);
}

/** An owner refuses a waiting group: Loa leaves it (the caller), and a later re-add by a non-owner leaves at once. */
export async function refuseGroup(db: Executor, chatId: number, now: Date): Promise<AdmissionDecision> {
  return decide(db, chatId, 'refused', now);
}

async function decide(
  db: Executor,
  chatId: number,
  state: 'allowed' | 'refused',
  now: Date,
): Promise<AdmissionDecision> {
  const row = await db
    .updateTable('chats')
    .set({ admission: state, updated_at: now.toISOString(), ...(state === 'refused' ? { active: 0 } : {}) })
    .where('id', '=', chatId)
    .where('admission', '=', 'waiting')
    .where('active', '=', 1)
    .returning('title')
    .executeTakeFirst();
  if (row) return { ok: true, title: row.title };
  const current = await db.selectFrom('chats').select('admission').where('id', '=', chatId).executeTakeFirst();
  return { ok: false, reason: 'not_waiting', state: current?.admission };
}
