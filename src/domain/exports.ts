import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { DateTime } from 'luxon';
import type { Executor } from '../db/index.ts';
import { recordsIn, type Period } from './periods.ts';

// The records of some groups for a period as CSV: UTF-8 with a byte-order mark (so spreadsheet programs
// read Vietnamese names right), one row per record, streamed from the database to the file so that the
// size of the export never decides the memory the bot needs.

export interface ExportRequest {
  chatIds: number[] | 'all';
  period: Period;
  zone: string;
  /** Column titles, in the reader's language. */
  header: string[];
  /** How each kind is written, in the reader's language. */
  kinds: Record<string, string>;
}

/**
 * Text typed by members is data, never a formula: a cell a spreadsheet would evaluate (starting with
 * =, +, -, @, tab or carriage return) gets a leading apostrophe, as OWASP advises against CSV injection.
 */
export function cell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export async function exportRecords(db: Executor, req: ExportRequest, out: Writable): Promise<number> {
  let q = db
    .selectFrom('records')
    .innerJoin('users', 'users.id', 'records.user_id')
    .leftJoin('chats', 'chats.id', 'records.chat_id')
    .leftJoin('articles', 'articles.id', 'records.article_id')
    .select([
      'records.created_at',
      'chats.title as chat_title',
      'records.user_id',
      'users.first_name',
      'users.last_name',
      'users.username',
      'records.kind',
      'records.article_id',
      'articles.title as article_title',
      'records.link',
      'records.note',
    ])
    .where(recordsIn(req.period))
    .orderBy('records.created_at')
    .orderBy('records.id');
  if (req.chatIds !== 'all') {
    if (req.chatIds.length === 0) return 0;
    q = q.where('records.chat_id', 'in', req.chatIds);
  }
  let count = 0;
  const rows = async function* () {
    for await (const r of q.stream(500)) {
      count += 1;
      yield [
        DateTime.fromISO(r.created_at, { zone: req.zone }).toISO({ suppressMilliseconds: true }),
        cell(r.chat_title ?? ''),
        String(r.user_id),
        cell([r.first_name, r.last_name].filter(Boolean).join(' ')),
        cell(r.username ?? ''),
        req.kinds[r.kind] ?? r.kind,
        r.article_id === null ? '' : String(r.article_id),
        cell(r.article_title ?? ''),
        cell(r.link ?? ''),
        cell(r.note ?? ''),
      ];
    }
  };
  await pipeline(Readable.from(rows()), stringify({ bom: true, header: true, columns: req.header }), out);
  return count;
}
