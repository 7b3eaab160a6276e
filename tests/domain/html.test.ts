import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entitiesToHtml } from '../../src/render/html.ts';

// A message Loa sent comes back from Telegram as text and entities; editing it must keep its bold and links.

describe('a received message back as Telegram HTML', () => {
  it('bold and a link survive, and text is escaped', () => {
    const text = '📝 Đề xuất mới #12 của A<b> (nhắn riêng):\nBài "một" & hai';
    const entities = [
      { type: 'bold', offset: 15, length: 3 },
      { type: 'text_link', offset: 42, length: 15, url: 'https://x.example/?a=1&b="2"' },
    ];
    assert.equal(
      entitiesToHtml(text, entities),
      '📝 Đề xuất mới <b>#12</b> của A&lt;b&gt; (nhắn riêng):\n' +
        '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">Bài &quot;một&quot; &amp; hai</a>',
    );
  });

  it('nested entities close in order; offsets count UTF-16 units (emoji take two)', () => {
    const text = '😀 ab cd';
    const entities = [
      { type: 'bold', offset: 3, length: 5 },
      { type: 'italic', offset: 6, length: 2 },
    ];
    assert.equal(entitiesToHtml(text, entities), '😀 <b>ab <i>cd</i></b>');
  });

  it('entities Telegram finds by itself stay plain; no entities is plain escaped text', () => {
    assert.equal(
      entitiesToHtml('/start https://x.example', [
        { type: 'bot_command', offset: 0, length: 6 },
        { type: 'url', offset: 7, length: 17 },
      ]),
      '/start https://x.example',
    );
    assert.equal(entitiesToHtml('a < b'), 'a &lt; b');
  });
});
