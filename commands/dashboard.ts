import { Composer } from 'telegraf';
import { isPrivate, reply, replyPrivately, type LoaContext } from '../src/telegram/context.ts';
import { groupsLedBy, requireLeader, requireUser } from '../src/telegram/guards.ts';

// /dashboard: a button that opens the leaders' dashboard (a Mini App, src/web), in private only: it shows names,
// and Telegram takes web_app buttons under a message in private chats only.

export const dashboardCommands = new Composer<LoaContext>();

dashboardCommands.command('dashboard', async (ctx) => {
  if (!isPrivate(ctx)) {
    const leader = await requireLeader(ctx);
    if (leader) await replyPrivately(ctx, (t) => t.dashboard.privateOnly);
    return;
  }
  const user = await requireUser(ctx);
  if (!user) return;
  const leads = ctx.deps.roles.isOwner(user.id) || (await groupsLedBy(ctx, user.id)).length > 0;
  if (!leads) return reply(ctx, ctx.t.dashboard.leadersOnly);
  const webApp = ctx.deps.config.webApp;
  if (!webApp) return reply(ctx, ctx.t.dashboard.off);
  await reply(ctx, ctx.t.dashboard.open, {
    reply_markup: { inline_keyboard: [[{ text: ctx.t.dashboard.button, web_app: { url: webApp.url } }]] },
  });
});
