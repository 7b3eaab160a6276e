import { groupsOfUser, isInChat, membershipStatus, seeMember, type SeenUser } from '../domain/chats.ts';
import type { LoaContext } from './context.ts';
import { replyPrivately, creditedUser, isGroup } from './context.ts';
import type { MenuRole } from './menus.ts';
import { ledAmong, type Role } from './roles.ts';
import { memberKey } from './seen.ts';

// Who may do what, asked of Telegram at the time of the action (through the roles cache).

/** The member behind a command, or undefined after telling the chat there is nobody to credit. */
export async function requireUser(ctx: LoaContext) {
  const user = creditedUser(ctx);
  if (!user) await replyPrivately(ctx, (t) => t.noUserToCredit);
  return user;
}

/** The caller's role here; undefined (after a polite reply) when Telegram cannot tell us the admins. */
export async function roleHere(ctx: LoaContext, userId: number): Promise<Role | undefined> {
  try {
    return await ctx.deps.roles.roleIn(isGroup(ctx) ? ctx.chat!.id : undefined, userId);
  } catch (err) {
    ctx.deps.log.warn({ err: (err as Error).message, chatId: ctx.chat?.id }, 'could not read the group admins');
    await replyPrivately(ctx, (t) => t.cannotCheckAdmins);
    return undefined;
  }
}

/** A leader of this group or an owner; otherwise tells them and returns undefined. */
export async function requireLeader(ctx: LoaContext): Promise<{ userId: number; role: Role } | undefined> {
  const user = await requireUser(ctx);
  if (!user) return undefined;
  const role = await roleHere(ctx, user.id);
  if (!role) return undefined;
  if (role === 'member') {
    await replyPrivately(ctx, (t) => (isGroup(ctx) ? t.leadersOnly : t.ownersOnly));
    return undefined;
  }
  showMenuFor(ctx, user.id, role);
  return { userId: user.id, role };
}

/** Whether the user leads a given group (owners lead everywhere); false when Telegram cannot say. */
export async function leads(ctx: LoaContext, userId: number, chatId: number): Promise<boolean> {
  if (ctx.deps.roles.isOwner(userId)) return true;
  try {
    return await ctx.deps.roles.isLeader(chatId, userId);
  } catch {
    return false;
  }
}

/**
 * Whether someone is in a group, as Telegram says: Loa's record from their messages, joins and leaves, else
 * getChatMember, whose answer is then recorded (a member who never wrote, or came back). A button press alone
 * proves nothing: it creates no member, and a member who left stays left unless Telegram says otherwise.
 */
export async function memberOfGroup(ctx: LoaContext, chatId: number, user: SeenUser): Promise<boolean> {
  const known = await membershipStatus(ctx.db, chatId, user.id);
  if (known !== undefined && known !== 'left' && known !== 'kicked') return true;
  // A member's presses side by side ask once: the first asks Telegram and writes the answer, the others wait for it.
  return ctx.seen.together(ctx, `asked:${memberKey(chatId, user.id)}`, async () => {
    let member: { status: string; is_member?: boolean };
    try {
      member = await ctx.deps.sender.direct('getChatMember', { chat_id: chatId, user_id: user.id });
    } catch (err) {
      ctx.deps.log.info(
        { chatId, userId: user.id, err: (err as Error).message },
        'could not ask Telegram about a member',
      );
      return false;
    }
    const inIt = isInChat(member);
    // Someone Telegram says is not in the group gets no row; one Loa knew keeps what Telegram says.
    if (inIt || known !== undefined) {
      await seeMember(ctx.db, chatId, user, inIt ? member.status : 'left', ctx.now);
      // Written now, name and all: the member's message in the group need not write it again.
      if (inIt) ctx.seen.written(ctx, memberKey(chatId, user.id), user);
    }
    return inIt;
  });
}

/** The active groups a user leads (for leaders acting in private). */
export async function groupsLedBy(ctx: LoaContext, userId: number): Promise<number[]> {
  const groups = await groupsOfUser(ctx.db, userId);
  const led = await ledAmong(
    ctx.deps.roles,
    userId,
    groups.map((g) => g.id),
  );
  if (!isGroup(ctx))
    showMenuFor(ctx, userId, ctx.deps.roles.isOwner(userId) ? 'owner' : led.length > 0 ? 'leader' : 'member');
  return led;
}

/**
 * Keeps a person's private menu in step with the role Loa just learnt (see CommandMenus), when it may write to
 * them: in private, or a leader who has started the bot. Not awaited: a menu never holds up an answer.
 */
export function showMenuFor(ctx: LoaContext, userId: number, role: MenuRole): void {
  if (isGroup(ctx) && !ctx.reachable) return;
  void ctx.deps.menus.showFor(userId, role);
}

/** A leader here (in a group), or, in private, an owner or the leader of at least one group. */
export async function requireLeaderAnywhere(
  ctx: LoaContext,
): Promise<{ userId: number; led: number[] | 'all' } | undefined> {
  if (isGroup(ctx)) {
    const leader = await requireLeader(ctx);
    return leader ? { userId: leader.userId, led: [ctx.chat!.id] } : undefined;
  }
  const user = await requireUser(ctx);
  if (!user) return undefined;
  if (ctx.deps.roles.isOwner(user.id)) return { userId: user.id, led: 'all' };
  const led = await groupsLedBy(ctx, user.id);
  if (led.length === 0) {
    await replyPrivately(ctx, (t) => t.leadersOnly);
    return undefined;
  }
  return { userId: user.id, led };
}

/**
 * The groups whose campaigns a caller may name: in a group, that group's (and every group's); in private, an
 * owner any, anyone else those of the groups they lead or belong to.
 */
export async function campaignScope(ctx: LoaContext): Promise<number | number[] | 'all'> {
  if (isGroup(ctx)) return ctx.chat!.id;
  const userId = ctx.from?.id;
  if (userId === undefined) return [];
  if (ctx.deps.roles.isOwner(userId)) return 'all';
  const [led, mine] = await Promise.all([groupsLedBy(ctx, userId), groupsOfUser(ctx.db, userId)]);
  return [...new Set([...led, ...mine.map((g) => g.id)])];
}
