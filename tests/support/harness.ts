import { Writable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { createApp } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { createLogger } from '../../src/logger.ts';
import { postArticle } from '../../src/domain/articles.ts';
import type { Article } from '../../src/db/index.ts';
import type { BotDeps } from '../../src/telegram/context.ts';
import { freshDb } from './database.ts';
import { FakeTelegram, type TgUser } from './fake-telegram.ts';

// Command-level tests: Loa built by its own composition root (createApp) over real HTTP to the fake Bot API,
// with a fresh migrated database and a clock the test sets. Updates are handed to app.handleUpdate directly.

export const people = {
  owner: { id: 1001, first_name: 'Chủ', last_name: 'Bot', username: 'owner', language_code: 'vi' } satisfies TgUser,
  leader: { id: 2001, first_name: 'Lan', last_name: 'Trưởng', username: 'lan', language_code: 'vi' } satisfies TgUser,
  alice: { id: 3001, first_name: 'Alice', username: 'alice', language_code: 'en' } satisfies TgUser,
  bình: { id: 3002, first_name: 'Bình', last_name: 'Nguyễn', language_code: 'vi' } satisfies TgUser,
  otherLeader: { id: 4001, first_name: 'Other', last_name: 'Leader' } satisfies TgUser,
};

export interface Harness {
  tg: FakeTelegram;
  db: Db;
  config: Config;
  deps: BotDeps;
  logs: string[];
  clock: { now: Date };
  /** How far the clock moves for each update handed to the bot. */
  tickMs: number;
  /** Hands every queued update to the bot, one at a time, and waits until the sender is idle. */
  deliver(): Promise<void>;
  /**
   * Hands every queued update to the bot at once, all side by side (as a member's presses of different buttons
   * go in the lanes), and waits until they are handled and the sender is idle.
   */
  deliverTogether(): Promise<void>;
  /**
   * Loa built again over the same database, as a process started after a crash (to hand it an update the
   * first one handled, as Telegram or the inbox would after a SIGKILL).
   */
  restarted(): Promise<{ handleUpdate(update: Update): Promise<void>; idle(): Promise<void> }>;
  close(): Promise<void>;
}

export async function createHarness(
  opts: { env?: Record<string, string>; now?: Date; limits?: boolean } = {},
): Promise<Harness> {
  const tg = new FakeTelegram(
    undefined,
    opts.limits ? { limits: { globalPerSecond: 30, groupPerMinute: 20, privateGapMs: 900 } } : {},
  );
  await tg.start();
  const config = parseConfig({
    BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.url,
    DATABASE_URL: ':memory:',
    ADMIN_IDS: String(people.owner.id),
    // Every group served at once, as before admission existed; tests/commands/admission.test.ts sets owner.
    GROUP_ADMISSION: 'open',
    // Command tests are not about pacing; the limits are tested on the sender itself and end to end.
    SEND_GLOBAL_PER_SECOND: opts.limits ? '30' : '10000',
    SEND_GROUP_PER_MINUTE: opts.limits ? '20' : '10000',
    SEND_PRIVATE_PER_SECOND: opts.limits ? '1' : '10000',
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const log = createLogger('debug', [config.botToken], sink);
  const db = await freshDb();
  const clock = { now: opts.now ?? new Date('2026-11-30T02:00:00Z') }; // Monday 09:00 in Ho Chi Minh City
  // The real composition root, with a fresh database, the test's clock and the fake API's bot account.
  const app = await createApp(config, log, {
    db,
    clock: () => clock.now,
    botInfo: tg.bot as never,
    sendTimeoutMs: 5000,
  });
  const { deps } = app;
  const sender = deps.sender;
  const h: Harness = {
    tg,
    db,
    config,
    deps,
    logs,
    clock,
    tickMs: 600,
    async deliver() {
      for (let round = 0; round < 10; round++) {
        const updates = tg.takeUpdates();
        if (updates.length === 0) break;
        for (const u of updates) {
          // Members do not type twenty commands in the same millisecond: time moves on a little per update.
          clock.now = new Date(clock.now.getTime() + h.tickMs);
          await app.handleUpdate(u);
        }
        await sender.idle();
      }
      // Follow-up pushes run in the background; give them their turn.
      await new Promise((r) => setTimeout(r, 30));
      await sender.idle();
    },
    async deliverTogether() {
      await Promise.all(tg.takeUpdates().map((u) => app.handleUpdate(u)));
      await sender.idle();
    },
    async restarted() {
      const again = await createApp(config, log, {
        db,
        clock: () => clock.now,
        botInfo: tg.bot as never,
        sendTimeoutMs: 5000,
      });
      return { handleUpdate: (u) => again.handleUpdate(u), idle: () => again.deps.sender.idle() };
    },
    async close() {
      await sender.idle();
      await app.backend.close();
      await tg.stop();
    },
  };
  return h;
}

/** The plain text of the messages the bot sent to a chat. */
export function textsTo(tg: FakeTelegram, chatId: number): string[] {
  return tg.messagesTo(chatId).map((m) => m.text ?? m.caption ?? '');
}

export function lastTextTo(tg: FakeTelegram, chatId: number): string {
  return textsTo(tg, chatId).at(-1) ?? '';
}

/** An article an owner posted in private, approved for `day`: every group's, or one group's (`scopeChatId`). */
export async function ownersArticle(
  h: Pick<Harness, 'db' | 'clock'>,
  url: string,
  title: string,
  day = '2026-11-30',
  scopeChatId?: number,
): Promise<Article> {
  const posted = await postArticle(
    h.db,
    { url, title, proposedBy: people.owner.id, proposedIn: people.owner.id, scopeChatId },
    day,
    h.clock.now,
  );
  if (!posted.ok) throw new Error(`could not post ${url}: ${posted.reason}`);
  return posted.article;
}
