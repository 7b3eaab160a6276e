import { Composer } from 'telegraf';
import { seeUser } from '../src/domain/chats.ts';
import { remindersOn, setReminders } from '../src/domain/reminders.ts';
import { parseCallbackData } from '../src/render/articles.ts';
import { words } from '../src/telegram/args.ts';
import { isPrivate, reply, replyPrivately, type LoaContext } from '../src/telegram/context.ts';
import { requireUser } from '../src/telegram/guards.ts';
import { showQueue } from './articles.ts';

// The evening: /remind on|off for a member's reminders (src/jobs/reminders.ts), and the eve check's button that
// opens the proposals waiting. A press under a reminder's article is recording: commands/record.ts.

export const remindCommands = new Composer<LoaContext>();

remindCommands.command('remind', async (ctx) => {
  const user = await requireUser(ctx);
  if (!user) return;
  if (!isPrivate(ctx)) return replyPrivately(ctx, (t) => t.remindPrivateOnly);
  const [choice, ...extra] = words(ctx.payload).map((w) => w.toLowerCase());
  // Without on or off (or with anything else): which it is now.
  if (extra.length > 0 || (choice !== 'on' && choice !== 'off'))
    return reply(ctx, ctx.t.remindStatus(await remindersOn(ctx.db, user.id)));
  await seeUser(ctx.db, user, ctx.now);
  await setReminders(ctx.db, user.id, choice === 'on');
  await reply(ctx, choice === 'on' ? ctx.t.remindOn : ctx.t.remindOff);
});

// The eve check's button: the presser's own /queue view (their rights are checked there, as for the command).
remindCommands.on('callback_query', async (ctx, next) => {
  const parsed = parseCallbackData('data' in ctx.callbackQuery ? ctx.callbackQuery.data : '');
  if (parsed?.type !== 'queue') return next();
  await ctx.answerCbQuery();
  await showQueue(ctx);
});
