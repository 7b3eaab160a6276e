import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { getChat } from '../domain/chats.ts';
import { firstFiringOn, localDay, type Day } from '../domain/periods.ts';
import { finishJob, jobStarted } from '../domain/job-runs.ts';
import * as pushes from '../domain/pushes.ts';
import { messages, isLocale } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import { articleMessages } from '../render/articles.ts';
import { SendError } from '../telegram/errors.ts';
import type { Sender } from '../telegram/sender.ts';

export interface PushDeps {
  config: Config;
  db: Db;
  log: Logger;
  sender: Sender;
}

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
export async function deliverToGroup(
  deps: PushDeps,
  chatId: number,
  day: Day,
  now: () => Date,
): Promise<GroupPushResult> {
  const { db, sender, config } = deps;
  const chat = await getChat(db, chatId);
  const result: GroupPushResult = { chatId, messages: 0, articles: 0, failed: false };
  if (!chat || chat.active !== 1) return result;
  const t = messages(isLocale(chat.locale) ? chat.locale : config.defaultLocale, config.addressForm);
  const { articles, firstOfDay } = await pushes.undelivered(db, chatId, day);
  if (articles.length === 0) {
    await pushes.completeGroup(db, chatId, day, now());
    return result;
  }
  const shownDay = t.formatDay(day);
  const header = firstOfDay
    ? t.pushTitle(shownDay)
    : articles.length === 1
      ? t.pushMoreTitle(shownDay)
      : t.pushContinued(shownDay);
  const parts = articleMessages(t, header, t.pushContinued(shownDay), articles);
  const sends = parts.map((part) => {
    let batch: string | undefined;
    return sender
      .call<{ message_id: number } | null>(
        'sendMessage',
        {
          chat_id: chatId,
          text: part.text,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          reply_markup: { inline_keyboard: part.keyboard },
        },
        {
          priority: 'bulk',
          onDispatch: async () => {
            batch = await pushes.claim(db, chatId, part.articleIds, day, now());
            return batch !== undefined;
          },
        },
      )
      .then(async (sent) => {
        if (sent && batch) {
          // The chat may have moved to a supergroup id while this was queued; the claim moved with it.
          const current = (await getChat(db, chatId))?.migrated_to ?? chatId;
          await pushes.confirmSent(db, current, batch, sent.message_id, now());
          result.messages += 1;
          result.articles += part.articleIds.length;
        }
      })
      .catch(async (err: unknown) => {
        result.failed = true;
        if (batch) await pushes.releaseClaim(db, chatId, batch).catch(() => undefined);
        deps.log.warn({ chatId, err: err instanceof SendError ? err.message : String(err) }, 'push to a group failed');
      });
  });
  await Promise.all(sends);
  if (!result.failed) await pushes.completeGroup(db, chatId, day, now());
  return result;
}

/** Delivers to every group due today: the scheduled push, its resumption after a restart, and follow-ups. */
export async function deliverToDueGroups(deps: PushDeps, day: Day, now: () => Date): Promise<GroupPushResult[]> {
  const groups = await pushes.dueGroups(deps.db, day);
  // A bounded number of groups in hand at once: enough to keep the sender at Telegram's pace (it sends
  // 30 a second), without building every group's messages up front (memory grows with the organisation).
  const results: GroupPushResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const chatId = groups[next++]!;
      results.push(await deliverToGroup(deps, chatId, day, now));
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
export async function runDailyPush(
  deps: PushDeps,
  now: () => Date,
): Promise<{ day: Day; started: boolean; results: GroupPushResult[] }> {
  const day = localDay(now(), deps.config.timezone);
  const started = await pushes.startDailyPush(deps.db, day, now());
  const results = await deliverToDueGroups(deps, day, now);
  await finishJob(deps.db, 'push', day, now());
  const sent = results.reduce((n, r) => n + r.messages, 0);
  deps.log.info(
    { day, started, groups: results.length, messages: sent, failed: results.filter((r) => r.failed).length },
    'daily push run',
  );
  return { day, started, results };
}

/** At start: whether today's push was due while the bot was down (or was cut short), and so should run now. */
export async function pushIsOverdue(deps: PushDeps, at: Date): Promise<boolean> {
  const day = localDay(at, deps.config.timezone);
  if (await jobStarted(deps.db, 'push', day)) return true; // resume whatever is unfinished (a no-op if nothing is)
  const due = firstFiringOn(deps.config.dailyPushCron, day, deps.config.timezone);
  return due !== undefined && due.getTime() <= at.getTime();
}
