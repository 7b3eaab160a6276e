import type { Sender } from './sender.ts';

// Roles: owners (ADMIN_IDS) everywhere; a group's Telegram administrators are its leaders.
// Admin lists are cached for a short TTL, so a demoted leader loses their rights within it.

export type Role = 'owner' | 'leader' | 'member';

interface CacheEntry {
  admins: Set<number>;
  /** Anonymous admins post as the group itself; remember whether the group has any. */
  expiresAt: number;
}

export class Roles {
  private readonly cache = new Map<number, CacheEntry>();
  private readonly inFlight = new Map<number, Promise<Set<number>>>();

  constructor(
    private readonly owners: ReadonlySet<number>,
    private readonly sender: Pick<Sender, 'direct'>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  isOwner(userId: number | undefined): boolean {
    return userId !== undefined && this.owners.has(userId);
  }

  /** The group's administrators, from cache or Telegram. Throws if Telegram cannot be asked. */
  async admins(chatId: number): Promise<Set<number>> {
    const hit = this.cache.get(chatId);
    if (hit && hit.expiresAt > this.now()) return hit.admins;
    let pending = this.inFlight.get(chatId);
    if (!pending) {
      pending = this.sender
        .direct<{ user: { id: number; is_bot?: boolean } }[]>('getChatAdministrators', { chat_id: chatId })
        .then((list) => {
          const admins = new Set(list.filter((m) => !m.user.is_bot).map((m) => m.user.id));
          this.cache.set(chatId, { admins, expiresAt: this.now() + this.ttlMs });
          return admins;
        })
        .finally(() => this.inFlight.delete(chatId));
      this.inFlight.set(chatId, pending);
    }
    return pending;
  }

  async isLeader(chatId: number, userId: number): Promise<boolean> {
    return (await this.admins(chatId)).has(userId);
  }

  async roleIn(chatId: number | undefined, userId: number): Promise<Role> {
    if (this.isOwner(userId)) return 'owner';
    if (chatId !== undefined && chatId < 0 && (await this.isLeader(chatId, userId))) return 'leader';
    return 'member';
  }

  /** Forget a group's admins (a chat_member update said they changed). */
  invalidate(chatId: number): void {
    this.cache.delete(chatId);
  }
}

/**
 * Which of some groups a user leads (an owner: all of them), as Telegram says now. A group whose admins Telegram
 * cannot tell is left out, as a command there would refuse; `onError` hears of it.
 */
export async function ledAmong(
  roles: Pick<Roles, 'isOwner' | 'isLeader'>,
  userId: number,
  chatIds: number[],
  onError: (chatId: number, err: unknown) => void = () => {},
): Promise<number[]> {
  if (roles.isOwner(userId)) return chatIds;
  const led: number[] = [];
  for (const chatId of chatIds) {
    try {
      if (await roles.isLeader(chatId, userId)) led.push(chatId);
    } catch (err) {
      onError(chatId, err);
    }
  }
  return led;
}
