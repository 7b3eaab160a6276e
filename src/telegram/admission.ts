import type { Executor } from '../db/index.ts';
import { getUser, type SeenChat, type SeenUser } from '../domain/chats.ts';
import { groupMessages, privateMessages } from '../i18n/index.ts';
import { callbackData } from '../render/articles.ts';
import { displayName } from '../render/html.ts';
import type { BotDeps } from './context.ts';

// Telling about a group that waits for an owner (GROUP_ADMISSION=owner): once in the group, and to each owner
// who has started the bot, with Allow and Leave buttons. Sends go through the sender; a failure is logged, never
// thrown, so a group's arrival is recorded whatever Telegram says.

export async function announceWaitingGroup(
  deps: BotDeps,
  db: Executor,
  chat: SeenChat,
  addedBy: SeenUser | undefined,
): Promise<void> {
  const { config, log, sender } = deps;
  const title = chat.title ?? String(chat.id);
  const inGroup = groupMessages(undefined, config);
  const noOwners = config.adminIds.size === 0;
  await sender
    .sendMessage(chat.id, noOwners ? inGroup.admissionNoOwners(chat.id) : inGroup.admissionWaiting)
    .catch((err: unknown) =>
      log.info({ chatId: chat.id, err: (err as Error).message }, 'could not tell a waiting group'),
    );
  let told = 0;
  for (const ownerId of config.adminIds) {
    const owner = await getUser(db, ownerId);
    if (!owner?.started) continue;
    const t = privateMessages(owner, config);
    const buttons = [
      { text: t.buttonAllowGroup, callback_data: callbackData.admit('allow', chat.id) },
      { text: t.buttonLeaveGroup, callback_data: callbackData.admit('leave', chat.id) },
    ];
    const adder = addedBy ? displayName(addedBy) : null;
    const ok = await sender
      .sendMessage(ownerId, t.admissionRequest(title, adder, chat.id), { reply_markup: { inline_keyboard: [buttons] } })
      .then(() => true)
      .catch(() => false);
    if (ok) told += 1;
  }
  log.warn(
    { chatId: chat.id, addedBy: addedBy?.id, ownersTold: told },
    noOwners
      ? 'added to a group that waits for approval, but ADMIN_IDS is empty: list it in ALLOWED_GROUP_IDS or set GROUP_ADMISSION=open'
      : told === 0
        ? 'added to a group that waits for approval; no owner has started the bot, so none could be asked'
        : 'added to a group that waits for an owner to allow it',
  );
}

/** Leaves a group an owner refused; a failure (already out of it) is only logged. */
export async function leaveGroup(deps: BotDeps, chatId: number): Promise<void> {
  await deps.sender
    .call('leaveChat', { chat_id: chatId })
    .catch((err: unknown) => deps.log.info({ chatId, err: (err as Error).message }, 'could not leave a group'));
  deps.log.info({ chatId }, 'left a group an owner refused');
}
