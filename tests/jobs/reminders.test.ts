import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Article } from '../../src/db/index.ts';
import { messages } from '../../src/i18n/index.ts';
import { reminderMessage } from '../../src/jobs/reminders.ts';
import { MESSAGE_LIMIT, visibleLength } from '../../src/render/html.ts';

// A reminder is one message a day, whatever the day holds.

const article = (id: number, note: string | null = null): Article => ({
  id,
  url: `https://news.example/${id}`,
  title: `Bài ${id}`,
  note,
  scope_chat_id: null,
  proposed_by: null,
  proposed_in: null,
  state: 'approved',
  decided_by: null,
  decided_at: null,
  reason: null,
  publish_date: '2026-11-30',
  created_at: '2026-11-30T00:00:00.000Z',
  closes_on: null,
});

const member = (ids: number[], firstReminder: boolean) => ({
  userId: 1,
  locale: 'vi',
  languageCode: null,
  firstReminder,
  groups: [{ chatId: -5, title: 'Chi đoàn <5>' }],
  articles: ids.map((articleId) => ({ articleId, chatId: -5 })),
});

describe('the reminder message', () => {
  it('twelve articles: the first ten with their buttons, then how to stop them and where the rest are', () => {
    const ids = Array.from({ length: 12 }, (_, i) => i + 1);
    const m = reminderMessage(
      messages('vi'),
      '2026-11-30',
      member(ids, true),
      new Map(ids.map((i) => [i, article(i)])),
    );
    assert.equal(m.keyboard.length, 10);
    assert.deepEqual(
      m.keyboard[0]!.map((b) => b.callback_data),
      ['rec:s:1:-5', 'rec:r:1:-5'],
    );
    assert.match(m.text, /«Chi đoàn &lt;5&gt;»/, 'group titles are escaped');
    assert.match(m.text, /Bài 10[\s\S]*\/remind off[\s\S]*2 bài khác: gõ \/today/);
    assert.doesNotMatch(m.text, /Bài 11/);
  });

  it('long notes: still one message under Telegram’s limit, and the first one still says how to stop them', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const long = 'x'.repeat(480);
    const m = reminderMessage(
      messages('en'),
      '2026-11-30',
      member(ids, true),
      new Map(ids.map((i) => [i, article(i, long)])),
    );
    assert.ok(visibleLength(m.text) <= MESSAGE_LIMIT);
    assert.match(m.text, /\/remind off/);
    const later = reminderMessage(
      messages('en'),
      '2026-11-30',
      member(ids, false),
      new Map(ids.map((i) => [i, article(i, long)])),
    );
    assert.doesNotMatch(later.text, /\/remind off/);
  });
});
