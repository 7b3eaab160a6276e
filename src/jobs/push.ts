import type { Deps } from '../deps.ts';
import { approvedFor } from '../domain/articles.ts';
import { activeGroups, getChat } from '../domain/chats.ts';
import { firstFiringOn, localDay, type Day } from '../domain/periods.ts';
import { finishJob, jobStarted } from '../domain/job-runs.ts';
import * as pushes from '../domain/pushes.ts';
import { groupMessages } from '../i18n/index.ts';
import { articleMessages } from '../render/articles.ts';
import { SendError } from '../telegram/errors.ts';
import { HTML_MESSAGE } from '../telegram/sender.ts';
import { deliverOnce } from './deliver-once.ts';

export interface GroupPushResult {
  chatId: number;
  messages: number;
  articles: number;
  failed: boolean;
}

/**
 * Sends a due group the day's articles it has not had yet: the day's first message, or a short follow-up
 * for articles approved after it. Each message claims its articles just before it goes out.
 */
export async function deliverToGroup(deps: Deps, chatId: number, day: Day): Promise<GroupPushResult> {
  const { db, sender, clock } = deps;
  const chat = await getChat(db, chatId);
  const result: GroupPushResult = { chatId, messages: 0, articles: 0, failed: false };
  if (!chat || !chat.active) return result;
  const t = groupMessages(chat, deps.config);
  const { articles, firstOfDay } = await pushes.undelivered(db, chatId, day);
  if (articles.length === 0) {
    await pushes.completeGroup(db, chatId, day, clock());
    return result;
  }
  const shownDay = t.formatDay(day);
  const header = firstOfDay
    ? t.pushTitle(shownDay)
    : articles.length === 1
      ? t.pushMoreTitle(shownDay)
      : t.pushContinued(shownDay);
  const parts = articleMessages(t, header, t.pushContinued(shownDay), articles);
  const outcomes = await Promise.all(
    parts.map(async (part) => {
      const outcome = await deliverOnce(
        sender,
        'sendMessage',
        { chat_id: chatId, text: part.text, ...HTML_MESSAGE, reply_markup: { inline_keyboard: part.keyboard } },
        {
          take: () => pushes.claim(db, chatId, part.articleIds, day, clock()),
          confirm: async (batch, sent) => {
            // The chat may have moved to a supergroup id while this was queued; the claim moved with it.
            const current = (await getChat(db, chatId))?.migrated_to ?? chatId;
            await pushes.confirmSent(db, current, batch, sent.message_id, clock());
          },
          release: (batch) => pushes.releaseClaim(db, chatId, batch),
        },
        (err) =>
          deps.log.warn(
            { chatId, err: err instanceof SendError ? err.message : String(err) },
            'push to a group failed',
          ),
      );
      if (outcome === 'sent') {
        result.messages += 1;
        result.articles += part.articleIds.length;
      }
      return outcome;
    }),
  );
  result.failed = outcomes.includes('failed');
  if (!result.failed) await pushes.completeGroup(db, chatId, day, clock());
  return result;
}

/** Delivers to every group due today: the scheduled push, its resumption after a restart, and follow-ups. */
export async function deliverToDueGroups(deps: Deps, day: Day): Promise<GroupPushResult[]> {
  const groups = await pushes.dueGroups(deps.db, day);
  // A bounded number of groups in hand at once: enough to keep the sender at Telegram's pace (it sends
  // 30 a second), without building every group's messages up front (memory grows with the organisation).
  const results: GroupPushResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const chatId = groups[next++]!;
      results.push(await deliverToGroup(deps, chatId, day));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUSH_CONCURRENCY, groups.length) }, worker));
  return results;
}

/** Groups being pushed at once: above the 30 sends a second the sender allows, with room for slow chats. */
const PUSH_CONCURRENCY = 64;

/**
 * The scheduled daily push (cron, or the catch-up at start when today's push time has passed while
 * the bot was down). Safe to call any number of times a day: it starts the day's push once, then only
 * delivers what is still undelivered.
 */
export async function runDailyPush(deps: Deps): Promise<{ day: Day; started: boolean; results: GroupPushResult[] }> {
  const day = localDay(deps.clock(), deps.config.timezone);
  const started = await pushes.startDailyPush(deps.db, day, deps.clock());
  const results = await deliverToDueGroups(deps, day);
  await finishJob(deps.db, 'push', day, deps.clock());
  const sent = results.reduce((n, r) => n + r.messages, 0);
  deps.log.info(
    { day, started, groups: results.length, messages: sent, failed: results.filter((r) => r.failed).length },
    'daily push run',
  );
  return { day, started, results };
}

/** At start: whether today's push was due while the bot was down (or was cut short), and so should run now. */
export async function pushIsOverdue(deps: Deps, at: Date): Promise<boolean> {
  const day = localDay(at, deps.config.timezone);
  if (await jobStarted(deps.db, 'push', day)) return true; // resume whatever is unfinished (a no-op if nothing is)
  const due = firstFiringOn(deps.config.dailyPushCron, day, deps.config.timezone);
  return due !== undefined && due.getTime() <= at.getTime();
}

/**
 * An owner's /push in private: every active group becomes due today and the push runs in the background.
 * Returns how many groups were not due yet, or undefined when nothing is approved for all groups today.
 */
export async function pushNowToAll(deps: Deps, day: Day): Promise<number | undefined> {
  if ((await approvedFor(deps.db, day, 'all')).length === 0) return undefined;
  let newlyDue = 0;
  for (const g of await activeGroups(deps.db))
    if (await pushes.markGroupDue(deps.db, g.id, day, deps.clock())) newlyDue += 1;
  void deliverToDueGroups(deps, day).catch((err: unknown) => deps.log.error({ err }, 'push to all groups failed'));
  return newlyDue;
}

/** A leader's /push in their group: the group becomes due today and gets what it has not had yet. */
export async function pushNowToGroup(
  deps: Deps,
  chatId: number,
  day: Day,
): Promise<'nothing_today' | 'done_already' | 'pushed'> {
  if ((await approvedFor(deps.db, day, chatId)).length === 0) return 'nothing_today';
  if (!(await pushes.isGroupDue(deps.db, chatId, day))) await pushes.markGroupDue(deps.db, chatId, day, deps.clock());
  const result = await deliverToGroup(deps, chatId, day);
  return result.messages === 0 && !result.failed ? 'done_already' : 'pushed';
}
