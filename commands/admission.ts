import { Composer, type Middleware } from 'telegraf';
import { allowGroup, refuseGroup } from '../src/domain/admission.ts';
import { callbackData, parseCallbackData } from '../src/render/articles.ts';
import { displayName, toast } from '../src/render/html.ts';
import { leaveGroup } from '../src/telegram/admission.ts';
import { isGroup, type LoaContext } from '../src/telegram/context.ts';
import { greetGroup } from '../src/telegram/greeting.ts';
import { markDecided } from '../src/telegram/decided.ts';

// Which groups Loa serves (GROUP_ADMISSION): the gate in front of every command, and the owners' Allow and
// Leave buttons under the notice about a group that waits for them (src/telegram/admission.ts).

/**
 * A group not admitted gets nothing: no command answered, no press recorded (its spinner is only stopped). It was
 * told once, when Loa arrived, that Loa waits for approval.
 */
export const admissionGate: Middleware<LoaContext> = async (ctx, next) => {
  if (ctx.admitted || !isGroup(ctx)) return next();
  if (ctx.callbackQuery) await ctx.answerCbQuery();
};

export const admissionCommands = new Composer<LoaContext>();

admissionCommands.on('callback_query', async (ctx, next) => {
  const parsed = parseCallbackData('data' in ctx.callbackQuery ? ctx.callbackQuery.data : '');
  if (parsed?.type !== 'admit') return next();
  if (!ctx.deps.roles.isOwner(ctx.from.id)) return ctx.answerCbQuery(toast(ctx.t.ownersOnly), { show_alert: true });
  const { chatId, verdict } = parsed;
  const done =
    verdict === 'allow' ? await allowGroup(ctx.db, chatId, ctx.now) : await refuseGroup(ctx.db, chatId, ctx.now);
  if (!done.ok) return ctx.answerCbQuery(toast(ctx.t.groupAlreadyDecided), { show_alert: true });
  const title = done.title ?? String(chatId);
  const who = displayName(ctx.from);
  const line = verdict === 'allow' ? ctx.t.groupAllowedBy(title, who) : ctx.t.groupLeftBy(title, who);
  await ctx.answerCbQuery(toast(line));
  const { deps } = ctx;
  if (verdict === 'allow') {
    // Loa's first words there, once the group may be served.
    await greetGroup({ ...deps, db: ctx.db }, chatId, ctx.botInfo.username);
  } else await leaveGroup(deps, chatId);
  deps.log.info({ chatId, verdict, by: ctx.from.id }, 'an owner decided on a waiting group');
  const msg = ctx.callbackQuery.message;
  if (msg && 'text' in msg)
    await markDecided(ctx, msg, [callbackData.admit('allow', chatId), callbackData.admit('leave', chatId)], line);
});
