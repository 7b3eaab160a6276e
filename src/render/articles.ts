import type { Article } from '../db/index.ts';
import type { Messages } from '../i18n/index.ts';
import { escapeHtml, link, MESSAGE_LIMIT, truncate, visibleLength } from './html.ts';

// How articles look in a chat, and how a list of them is cut into messages that Telegram accepts.

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface RenderedMessage {
  text: string;
  keyboard: InlineButton[][];
  articleIds: number[];
}

/** Callback data for the buttons; Telegram allows at most 64 bytes. */
export const callbackData = {
  record: (kind: 'shared' | 'rebutted', articleId: number) => `rec:${kind === 'shared' ? 's' : 'r'}:${articleId}`,
  /** A press in private that records in a group (the reminder): at most 4 + 2 + 12 + 1 + 17 = 36 bytes. */
  recordIn: (kind: 'shared' | 'rebutted', articleId: number, chatId: number) =>
    `rec:${kind === 'shared' ? 's' : 'r'}:${articleId}:${chatId}`,
  /** Opens the proposals waiting (the eve check's button): the /queue view of whoever presses it. */
  queue: () => 'que',
  decide: (verdict: 'approve' | 'reject', articleId: number) => `dec:${verdict === 'approve' ? 'a' : 'r'}:${articleId}`,
  /**
   * One group's summary for a period (days as YYYY-MM-DD), or a campaign's: at most
   * 3 + 1 + 21 + 1 + 10 + 1 + 10 + 2 + 12 = 61 of Telegram's 64 bytes.
   */
  summary: (chatId: number, firstDay: string, lastDay: string, campaignId?: number) =>
    `sum:${chatId}:${firstDay}:${lastDay}${campaignId === undefined ? '' : `:c${campaignId}`}`,
  /** One group's coverage of a day's articles, names and all. */
  coverage: (chatId: number, day: string) => `cov:${chatId}:${day}`,
  /** An owner's answer about a group that is waiting to be served (a group id is negative). */
  admit: (verdict: 'allow' | 'leave', chatId: number) => `adm:${verdict === 'allow' ? 'a' : 'l'}:${chatId}`,
};

export function parseCallbackData(
  data: string,
):
  | { type: 'record'; kind: 'shared' | 'rebutted'; articleId: number; chatId?: number }
  | { type: 'queue' }
  | { type: 'decide'; verdict: 'approve' | 'reject'; articleId: number }
  | { type: 'summary'; chatId: number; firstDay: string; lastDay: string; campaignId?: number }
  | { type: 'coverage'; chatId: number; day: string }
  | { type: 'admit'; verdict: 'allow' | 'leave'; chatId: number }
  | undefined {
  if (data === 'que') return { type: 'queue' };
  const recordIn = /^rec:([sr]):(\d{1,12}):(-\d{1,16})$/.exec(data);
  if (recordIn) {
    const articleId = Number(recordIn[2]);
    const chatId = Number(recordIn[3]);
    if (articleId <= 0 || !Number.isSafeInteger(chatId)) return undefined;
    return { type: 'record', kind: recordIn[1] === 's' ? 'shared' : 'rebutted', articleId, chatId };
  }
  const sum = /^sum:(-\d{1,16}):(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})(?::c(\d{1,12}))?$/.exec(data);
  if (sum) {
    const chatId = Number(sum[1]);
    if (!Number.isSafeInteger(chatId)) return undefined;
    const parsed = { type: 'summary' as const, chatId, firstDay: sum[2]!, lastDay: sum[3]! };
    return sum[4] === undefined ? parsed : { ...parsed, campaignId: Number(sum[4]) };
  }
  const cov = /^cov:(-\d{1,16}):(\d{4}-\d{2}-\d{2})$/.exec(data);
  if (cov) {
    const chatId = Number(cov[1]);
    return Number.isSafeInteger(chatId) ? { type: 'coverage', chatId, day: cov[2]! } : undefined;
  }
  const admit = /^adm:([al]):(-\d{1,16})$/.exec(data);
  if (admit) {
    const chatId = Number(admit[2]);
    if (!Number.isSafeInteger(chatId) || chatId >= 0) return undefined;
    return { type: 'admit', verdict: admit[1] === 'a' ? 'allow' : 'leave', chatId };
  }
  const m = /^(rec|dec):([sra]):(\d{1,12})$/.exec(data);
  if (!m) return undefined;
  const articleId = Number(m[3]);
  if (!Number.isSafeInteger(articleId) || articleId <= 0) return undefined;
  if (m[1] === 'rec' && (m[2] === 's' || m[2] === 'r'))
    return { type: 'record', kind: m[2] === 's' ? 'shared' : 'rebutted', articleId };
  if (m[1] === 'dec' && (m[2] === 'a' || m[2] === 'r'))
    return { type: 'decide', verdict: m[2] === 'a' ? 'approve' : 'reject', articleId };
  return undefined;
}

/** One article as a block: "#12 Title-as-link" and its note in italics. */
export function articleBlock(a: Pick<Article, 'id' | 'url' | 'title' | 'note'>): string {
  const title = truncate(a.title, 300);
  const note = a.note ? `\n<i>${escapeHtml(truncate(a.note, 500))}</i>` : '';
  return `<b>#${a.id}</b> ${link(a.url, title)}${note}`;
}

export function recordButtons(t: Messages, articleId: number): InlineButton[] {
  return [
    { text: `${t.buttonShared} #${articleId}`, callback_data: callbackData.record('shared', articleId) },
    { text: `${t.buttonRebutted} #${articleId}`, callback_data: callbackData.record('rebutted', articleId) },
  ];
}

/** The buttons under an article in a member's private reminder: a press records in `chatId`, their group. */
export function recordInButtons(t: Messages, articleId: number, chatId: number): InlineButton[] {
  return [
    { text: `${t.buttonShared} #${articleId}`, callback_data: callbackData.recordIn('shared', articleId, chatId) },
    { text: `${t.buttonRebutted} #${articleId}`, callback_data: callbackData.recordIn('rebutted', articleId, chatId) },
  ];
}

export const ARTICLES_PER_MESSAGE = 10;

/**
 * Cuts a header and a list of articles into messages under Telegram's 4,096-character limit (and at most
 * ten articles each, so the buttons stay readable); each message carries the buttons of its own articles.
 */
export function articleMessages(
  t: Messages,
  header: string,
  continuedHeader: string,
  articles: Article[],
  buttons: ((t: Messages, articleId: number) => InlineButton[]) | null = recordButtons,
): RenderedMessage[] {
  const out: RenderedMessage[] = [];
  let current: RenderedMessage | undefined;
  for (const a of articles) {
    const block = articleBlock(a);
    const fits =
      current &&
      current.articleIds.length < ARTICLES_PER_MESSAGE &&
      visibleLength(`${current.text}\n\n${block}`) <= MESSAGE_LIMIT;
    if (!current || !fits) {
      current = { text: out.length === 0 ? header : continuedHeader, keyboard: [], articleIds: [] };
      out.push(current);
    }
    current.text += `\n\n${block}`;
    current.articleIds.push(a.id);
    if (buttons) current.keyboard.push(buttons(t, a.id));
  }
  return out;
}
