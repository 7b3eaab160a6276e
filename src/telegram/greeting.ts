import type { Deps } from '../deps.ts';
import { getChat } from '../domain/chats.ts';
import { timeOfDay } from '../domain/periods.ts';
import { groupMessages } from '../i18n/index.ts';

/**
 * Loa's first words in a group it may serve (added by an owner, allowed, or in an open set-up): what it does,
 * when the push comes, how to record, and the three commands a leader begins with. In the group's language.
 * Never throws for Telegram's sake.
 */
export async function greetGroup(deps: Deps, chatId: number, botUsername: string): Promise<void> {
  const { config } = deps;
  const t = groupMessages(await getChat(deps.db, chatId), config);
  const pushTime = timeOfDay(config.dailyPushCron, deps.clock(), config.timezone);
  // A greeting Telegram refuses is only logged: the group is served all the same.
  await deps.sender
    .sendMessage(chatId, t.greeting(pushTime, botUsername))
    .catch((err: unknown) => deps.log.info({ chatId, err: (err as Error).message }, 'could not greet a group'));
}
