// Telegram HTML: only &, < and > (and " inside attributes) need escaping.
// https://core.telegram.org/bots/api#html-style

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function link(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

/** A user's display name, escaped, as a tg://user mention link so leaders can tap through. */
export function mention(user: { id: number; first_name: string; last_name?: string | null }): string {
  return `<a href="tg://user?id=${user.id}">${escapeHtml(displayName(user))}</a>`;
}

export function displayName(user: { first_name: string; last_name?: string | null }): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name === '' ? '?' : name;
}

/** Cuts text to at most `max` characters (code points), adding an ellipsis when it cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** Telegram's limit on a message's text, counted after entities are parsed. */
export const MESSAGE_LIMIT = 4096;

/** Visible length of an HTML message as Telegram counts it (tags removed, entities decoded, UTF-16 units). */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g, '_').length;
}

/** A callback answer (toast) is plain text of at most 200 characters: strip the markup of a catalogue message. */
export function toast(html: string): string {
  const plain = html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  return truncate(plain, 200);
}

/** A formatting entity of a received message (Bot API MessageEntity): offsets and lengths in UTF-16 units. */
export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

const ENTITY_TAGS: Record<string, [string, string]> = {
  bold: ['<b>', '</b>'],
  italic: ['<i>', '</i>'],
  underline: ['<u>', '</u>'],
  strikethrough: ['<s>', '</s>'],
  spoiler: ['<tg-spoiler>', '</tg-spoiler>'],
  code: ['<code>', '</code>'],
  pre: ['<pre>', '</pre>'],
  blockquote: ['<blockquote>', '</blockquote>'],
};

/**
 * A received message back as Telegram HTML, so Loa can edit its own message and keep its bold and links
 * (Telegram gives them back only as entities). Entities Telegram detects by itself (URLs, mentions,
 * commands) stay plain text; unknown ones are dropped. Entities are nested, never overlapping (Bot API).
 */
export function entitiesToHtml(text: string, entities: readonly MessageEntity[] = []): string {
  const open = (e: MessageEntity): string =>
    e.type === 'text_link' ? `<a href="${escapeHtml(e.url ?? '')}">` : (ENTITY_TAGS[e.type]?.[0] ?? '');
  const close = (e: MessageEntity): string => (e.type === 'text_link' ? '</a>' : (ENTITY_TAGS[e.type]?.[1] ?? ''));
  const kept = entities
    .filter((e) => e.type === 'text_link' || e.type in ENTITY_TAGS)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const stack: MessageEntity[] = [];
  let out = '';
  let next = 0;
  for (let i = 0; i <= text.length; i++) {
    while (stack.length > 0 && stack.at(-1)!.offset + stack.at(-1)!.length <= i) out += close(stack.pop()!);
    while (next < kept.length && kept[next]!.offset === i) {
      out += open(kept[next]!);
      stack.push(kept[next++]!);
    }
    if (i < text.length) out += escapeHtml(text[i]!);
  }
  while (stack.length > 0) out += close(stack.pop()!);
  return out;
}
