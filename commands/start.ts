import { Composer } from 'telegraf';
import { markStarted, seeUser } from '../src/domain/chats.ts';
import { displayName } from '../src/render/html.ts';
import { isPrivate, reply, type LoaContext } from '../src/telegram/context.ts';
import { creditedUser } from '../src/telegram/context.ts';
import { groupsLedBy, roleHere, showMenuFor } from '../src/telegram/guards.ts';

// /start and /help: who Loa is, and the commands this caller may use here.

export const start = new Composer<LoaContext>();

start.start(async (ctx) => {
  if (!isPrivate(ctx)) return reply(ctx, ctx.t.startGroup);
  await seeUser(ctx.db, ctx.from, ctx.now);
  await markStarted(ctx.db, ctx.from.id);
  await reply(ctx, ctx.t.startPrivate(displayName(ctx.from)));
  // The menu of this chat: the owner's, a leader's (groupsLedBy publishes it), or the members'.
  if (ctx.deps.roles.isOwner(ctx.from.id)) showMenuFor(ctx, ctx.from.id, 'owner');
  else await groupsLedBy(ctx, ctx.from.id);
});

start.help(async (ctx) => {
  const user = creditedUser(ctx);
  let role = user ? await roleHere(ctx, user.id) : 'member';
  if (!role) return;
  // In private a leader is whoever leads at least one group.
  if (role === 'member' && user && isPrivate(ctx) && (await groupsLedBy(ctx, user.id)).length > 0) role = 'leader';
  if (role === 'owner' && user && isPrivate(ctx)) showMenuFor(ctx, user.id, 'owner');
  const { t } = ctx;
  // Short sections of bullets, so it reads on a phone without scrolling sideways.
  const lines = [t.helpTitle(role), '', t.helpMemberTitle, ...t.helpMember];
  if (role !== 'member') lines.push('', t.helpLeaderTitle, ...t.helpLeader);
  if (role === 'owner') lines.push('', t.helpOwnerTitle, ...t.helpOwner);
  lines.push('', t.helpDates, t.helpFooter(ctx.deps.config.scoreShared, ctx.deps.config.scoreRebutted));
  await reply(ctx, lines.join('\n'));
});
