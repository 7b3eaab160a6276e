import type { InlineButton } from '../render/articles.ts';
import { entitiesToHtml, type MessageEntity } from '../render/html.ts';
import type { LoaContext } from './context.ts';

/** A message as Telegram hands it back with a button press. */
export type PressedMessage = {
  chat: { id: number };
  message_id: number;
  text: string;
  entities?: MessageEntity[];
  reply_markup?: unknown;
};

/**
 * Edits a message once what its buttons asked is decided (a proposal, a group waiting for an owner): the rows
 * holding any of `decided` go (a /queue message keeps the others') and a line says who decided, in this chat's
 * language. Telegram returns the message as text and entities, which are turned back into HTML so its bold and
 * links survive. If the text cannot be edited (too long, or too old), the buttons still go.
 */
export async function markDecided(
  ctx: LoaContext,
  msg: PressedMessage,
  decided: readonly string[],
  line: string,
): Promise<void> {
  const rows = (msg.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined)?.inline_keyboard ?? [];
  const gone = new Set(decided);
  const kept = rows.filter((row) => !row.some((b) => gone.has(b.callback_data)));
  const target = { chat_id: msg.chat.id, message_id: msg.message_id, reply_markup: { inline_keyboard: kept } };
  const edited = await ctx.deps.sender
    .call('editMessageText', {
      ...target,
      text: `${entitiesToHtml(msg.text, msg.entities)}\n\n${line}`,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    })
    .then(() => true)
    .catch(() => false);
  if (!edited) await ctx.deps.sender.call('editMessageReplyMarkup', target).catch(() => undefined);
}
