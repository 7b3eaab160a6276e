import type { Article } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { getUser } from '../domain/chats.ts';
import { finishJob, jobFinished, startJob } from '../domain/job-runs.ts';
import { addDays, latestFiringSince, localDay, type Day } from '../domain/periods.ts';
import {
  claimEvening,
  confirmEvening,
  dueReminders,
  eveCheck,
  releaseEvening,
  type DueMember,
  type EveningKind,
} from '../domain/reminders.ts';
import { privateMessages, type Messages } from '../i18n/index.ts';
import { articleMessages, callbackData, recordInButtons } from '../render/articles.ts';
import { MESSAGE_LIMIT, visibleLength } from '../render/html.ts';
import { SendError } from '../telegram/errors.ts';
import { HTML_MESSAGE } from '../telegram/sender.ts';
import { deliverOnce } from './deliver-once.ts';

// The evening jobs: at NUDGE_CRON each member who has recorded nothing for the day's articles gets one private
// reminder with them and their buttons; at EVE_CRON each leader and owner whose groups have nothing approved for
// tomorrow hears so, with the proposals waiting. Both are bulk sends, each claimed just before it goes out.

/** How late a missed evening job still runs (after a restart, or when the replica running it died): later, it waits for tomorrow. */
export const EVENING_LATE_LIMIT_MS = 3 * 60 * 60 * 1000;

/** Messages in hand at once: enough to keep the sender at Telegram's 30 a second, without building them all up front. */
const CONCURRENCY = 64;

export interface EveningRun {
  day: Day;
  /** People the run found due (not yet claimed). */
  due: number;
  sent: number;
  failed: number;
}

/** The members' evening reminder for today. Safe to run again: each member is sent the day's reminder once. */
export async function runReminders(deps: Deps, now: Date = deps.clock()): Promise<EveningRun> {
  const { db, config } = deps;
  const day = localDay(now, config.timezone);
  await startJob(db, 'nudge', day, now);
  const due = await dueReminders(db, day, config.timezone);
  const result = await sendEach(deps, 'nudge', day, due.members, (member) => {
    const t = privateMessages({ locale: member.locale, language_code: member.languageCode }, config);
    return reminderMessage(t, due.day, member, due.articles);
  });
  await finishJob(db, 'nudge', day, deps.clock());
  deps.log.info({ day, due: due.members.length, sent: result.sent, failed: result.failed }, 'reminders run');
  return { day, due: due.members.length, ...result };
}

/** One member's reminder: their groups' articles of the day, each with buttons that record in that group. */
export function reminderMessage(
  t: Messages,
  day: Day,
  member: DueMember,
  articles: Map<number, Article>,
): { text: string; keyboard: { text: string; callback_data: string }[][] } {
  const groupOf = new Map(member.articles.map((a) => [a.articleId, a.chatId]));
  const list = member.articles.map((a) => articles.get(a.articleId)).filter((a) => a !== undefined);
  const title = t.reminderTitle(
    t.formatDay(day),
    member.groups.map((g) => g.title),
  );
  const render = (header: string) =>
    articleMessages(t, header, header, list, (t, id) => recordInButtons(t, id, groupOf.get(id)!));
  let [first, ...rest] = render(title);
  // After the articles: how to stop them (the first reminder), and, since it is one message a day, that more
  // articles than fit are in /today. Each only if it fits; how to stop goes first, into the header if need be.
  const fits = (text: string) => visibleLength(text) <= MESSAGE_LIMIT;
  let text = first?.text ?? title;
  if (member.firstReminder) {
    if (fits(`${text}\n\n${t.reminderFirstTime}`)) text += `\n\n${t.reminderFirstTime}`;
    else {
      [first, ...rest] = render(`${title}\n\n${t.reminderFirstTime}`);
      text = first?.text ?? title;
    }
  }
  const more = rest.reduce((n, part) => n + part.articleIds.length, 0);
  if (more > 0 && fits(`${text}\n\n${t.reminderMore(more)}`)) text += `\n\n${t.reminderMore(more)}`;
  return { text, keyboard: first?.keyboard ?? [] };
}

/** The eve check: tell each leader and owner whose groups have nothing approved for tomorrow. Silent when ready. */
export async function runEveCheck(deps: Deps, now: Date = deps.clock()): Promise<EveningRun> {
  const { db, config, roles } = deps;
  const day = localDay(now, config.timezone);
  await startJob(db, 'eve', day, now);
  const check = await eveCheck(db, addDays(day, 1));
  const told = new Map<number, { role: 'owner' | 'leader'; groups: { chatId: number; title: string }[] }>();
  if (check.unready.length > 0) {
    for (const owner of config.adminIds) told.set(owner, { role: 'owner', groups: check.unready });
    // Leaders are the groups' Telegram administrators, asked now (through the roles cache), one group at a time.
    for (const group of check.unready) {
      let admins: Set<number>;
      try {
        admins = await roles.admins(group.chatId);
      } catch (err) {
        deps.log.warn(
          { chatId: group.chatId, err: (err as Error).message },
          'eve check: could not read a group’s admins',
        );
        continue;
      }
      for (const userId of admins) {
        if (roles.isOwner(userId)) continue;
        const entry = told.get(userId) ?? { role: 'leader' as const, groups: [] };
        entry.groups.push(group);
        told.set(userId, entry);
      }
    }
  }
  const everyGroup = check.unready.length > 0 && check.unready.length === check.served;
  const people: { userId: number; text: string; button: string | undefined }[] = [];
  for (const [userId, entry] of told) {
    const user = await getUser(db, userId);
    if (!user || !user.started) continue;
    const t = privateMessages(user, config);
    const pending =
      entry.role === 'owner'
        ? [...check.pending.values()].reduce((a, b) => a + b, 0)
        : entry.groups.reduce((n, g) => n + (check.pending.get(g.chatId) ?? 0), 0);
    const what =
      entry.role === 'owner' && everyGroup ? t.eveNothingAtAll : t.eveUnready(entry.groups.map((g) => g.title));
    people.push({
      userId,
      text: `${t.eveTitle(t.formatDay(check.day))}\n${what}\n${t.evePending(pending, entry.role)}`,
      // The button opens the proposals waiting; with none, the message says to add an article instead.
      button: pending > 0 ? t.buttonOpenQueue : undefined,
    });
  }
  const result = await sendEach(deps, 'eve', day, people, (p) => ({
    text: p.text,
    keyboard: p.button ? [[{ text: p.button, callback_data: callbackData.queue() }]] : [],
  }));
  await finishJob(db, 'eve', day, deps.clock());
  deps.log.info(
    { day, unready: check.unready.length, told: people.length, sent: result.sent, failed: result.failed },
    'eve check run',
  );
  return { day, due: people.length, ...result };
}

/** Sends each person their message once (claim, send, confirm or release), a bounded number in hand at a time. */
async function sendEach<P extends { userId: number }>(
  deps: Deps,
  kind: EveningKind,
  day: Day,
  people: P[],
  render: (p: P) => { text: string; keyboard: { text: string; callback_data: string }[][] },
): Promise<{ sent: number; failed: number }> {
  const { db, sender, clock } = deps;
  let sent = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < people.length) {
      const person = people[next++]!;
      const { text, keyboard } = render(person);
      const outcome = await deliverOnce(
        sender,
        'sendMessage',
        {
          chat_id: person.userId,
          text,
          ...HTML_MESSAGE,
          ...(keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        },
        {
          take: async () => ((await claimEvening(db, kind, person.userId, day, clock())) ? true : undefined),
          confirm: () => confirmEvening(db, kind, person.userId, day, clock()),
          release: () => releaseEvening(db, kind, person.userId, day),
        },
        (err) =>
          deps.log.warn(
            { userId: person.userId, kind, err: err instanceof SendError ? err.message : String(err) },
            'an evening message failed',
          ),
      );
      if (outcome === 'sent') sent += 1;
      if (outcome === 'failed') failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, people.length) }, worker));
  return { sent, failed };
}

/**
 * At start and at each catch-up check: whether today's run of an evening job fell due and did not finish (the
 * process was down at the hour, or died mid-run), and is still recent enough to help (EVENING_LATE_LIMIT_MS): a
 * reminder at 23:50, or the next morning, is not.
 */
export async function eveningJobOverdue(deps: Deps, job: EveningKind, expression: string, at: Date): Promise<boolean> {
  const zone = deps.config.timezone;
  const due = latestFiringSince(expression, at, zone, 0);
  if (due === undefined || at.getTime() - due.getTime() > EVENING_LATE_LIMIT_MS) return false;
  return !(await jobFinished(deps.db, job, localDay(at, zone)));
}
