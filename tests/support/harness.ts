import { parseConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { backend, closeDb, freshDb } from './database.ts';
import { UpdateTransactions } from '../../src/telegram/unit-of-work.ts';
import { createLogger } from '../../src/logger.ts';
import { createBot } from '../../src/telegram/bot.ts';
import { createApi } from '../../src/telegram/api.ts';
import type { BotDeps } from '../../src/telegram/context.ts';
import { Roles } from '../../src/telegram/roles.ts';
import { Sender } from '../../src/telegram/sender.ts';
import { deactivateChat, migrateChat } from '../../src/domain/chats.ts';
import { FakeTelegram, type TgUser } from './fake-telegram.ts';
import { Writable } from 'node:stream';

// Command-level tests: the real bot (createBot) and sender over real HTTP to the fake Bot API, a fresh
// migrated database, and a clock the test sets. Updates are handed to bot.handleUpdate directly.

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
  const api = createApi(config.botToken, config.apiRoot);
  const sender = new Sender(
    api,
    config.limits,
    log,
    {
      onChatGone: (chatId) => deactivateChat(db, chatId, clock.now),
      onChatMigrated: (oldId, newId) => db.transaction().execute((tx) => migrateChat(tx, oldId, newId, clock.now)),
    },
    5000,
  );
  const roles = new Roles(config.adminIds, sender, config.adminCacheSeconds * 1000, () => clock.now.getTime());
  // On PostgreSQL each update runs in its transaction, holding its update_id, as in the bot's process.
  const transactions = backend === 'postgres' ? new UpdateTransactions(db, 8) : undefined;
  const deps: BotDeps = {
    config,
    db,
    log,
    sender,
    roles,
    clock: () => clock.now,
    ...(transactions ? { unitOfWork: transactions.unitOf } : {}),
  };
  const bot = createBot(config, deps, tg.bot as never);
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
          if (transactions) await transactions.handle(u, clock.now, (x) => bot.handleUpdate(x));
          else await bot.handleUpdate(u);
        }
        await sender.idle();
      }
      // Follow-up pushes run in the background; give them their turn.
      await new Promise((r) => setTimeout(r, 30));
      await sender.idle();
    },
    async close() {
      await sender.idle();
      await closeDb(db);
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
