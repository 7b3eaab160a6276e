import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FakeTelegram } from '../support/fake-telegram.ts';
import { startBot, tempDir, type BotProcess } from '../support/bot-process.ts';
import { people } from '../support/harness.ts';

const { owner, leader, alice, bình } = people;

describe('the bot process, end to end', () => {
  let tg: FakeTelegram;
  let bot: BotProcess;
  let cwd: string;
  before(async () => {
    tg = new FakeTelegram();
    await tg.start();
    cwd = tempDir();
    // What a newcomer sets: the token and (here) where the Bot API is. Everything else is the default.
    bot = startBot(
      { BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, ADMIN_IDS: String(owner.id), POLL_TIMEOUT_SECONDS: '1' },
      { cwd },
    );
    await bot.waitForLog(/polling for updates/);
  });
  after(async () => {
    await bot.stop('SIGKILL');
    await tg.stop();
  });

  it('creates the default SQLite file under ./data', () => {
    assert.ok(fs.existsSync(path.join(cwd, 'data/loa.sqlite')));
  });

  it('publishes its command menus in vi and en, for members and for admins', async () => {
    await tg.waitFor(() => tg.callsOf('setMyCommands').length >= 6, 5000, 'setMyCommands');
    const calls = tg.callsOf('setMyCommands');
    assert.ok(
      calls.some(
        (c) =>
          c.payload.language_code === 'en' &&
          c.payload.scope.type === 'all_chat_administrators' &&
          c.payload.commands.some((x: { command: string }) => x.command === 'approve'),
      ),
    );
    assert.ok(
      calls.some(
        (c) =>
          c.payload.language_code === 'vi' &&
          c.payload.scope.type === 'default' &&
          !c.payload.commands.some((x: { command: string }) => x.command === 'approve'),
      ),
    );
  });

  it('answers /start in a private chat', async () => {
    tg.send('private', alice, '/start');
    const msg = await tg.waitFor(() => tg.messagesTo(alice.id)[0], 10_000, 'the /start answer');
    assert.match(msg.text!, /I am Loa/);
  });

  it('registers a group an owner adds it to, and answers /help there for a member and a leader', async () => {
    const group = tg.addGroup(-5001, 'Chi đoàn E2E', [leader], { addedBy: owner });
    const greeting = await tg.waitFor(() => tg.messagesTo(group.id)[0], 10_000, 'the greeting');
    assert.match(greeting.text!, /Xin chào các bạn! Đây là Loa/);
    tg.send(group, bình, '/help');
    const help = await tg.waitFor(() => tg.messagesTo(group.id)[1], 10_000, '/help answer');
    assert.match(help.text!, /Các lệnh của Loa/);
    assert.doesNotMatch(help.text!, /\/approve/);
    tg.send(group, leader, '/help');
    const leaderHelp = await tg.waitFor(() => tg.messagesTo(group.id)[2], 10_000, 'leader /help answer');
    assert.match(leaderHelp.text!, /\/approve/);
  });

  it('a group someone else adds waits, silent, until the owner presses Allow (GROUP_ADMISSION=owner by default)', async () => {
    tg.send('private', owner, '/start');
    await tg.waitFor(() => tg.messagesTo(owner.id)[0], 10_000, 'the owner /start answer');
    const group = tg.addGroup(-5002, 'Nhóm lạ E2E', [leader], { addedBy: { id: 6666, first_name: 'Lạ' } });
    const waiting = await tg.waitFor(() => tg.messagesTo(group.id)[0], 10_000, 'the waiting notice');
    assert.match(waiting.text!, /đang chờ người vận hành Loa cho phép/);
    const request = await tg.waitFor(
      () => tg.messagesTo(owner.id).find((m) => /Nhóm lạ E2E/.test(m.text ?? '')),
      10_000,
      'the request to the owner',
    );
    tg.send(group, bình, '/help');
    // Handled (confirmed to the fake by the next offset) before the owner decides.
    await tg.waitFor(() => (tg.pendingUpdates() === 0 ? true : undefined), 10_000, 'the /help handled');
    tg.press(request, owner, request.reply_markup!.inline_keyboard[0]![0]!.callback_data!);
    const greeting = await tg.waitFor(() => tg.messagesTo(group.id)[1], 10_000, 'the greeting once allowed');
    assert.match(greeting.text!, /Xin chào các bạn! Đây là Loa/, '/help sent while waiting was not answered');
    tg.send(group, bình, '/help');
    const help = await tg.waitFor(() => tg.messagesTo(group.id)[2], 10_000, '/help once allowed');
    assert.match(help.text!, /Các lệnh của Loa/);
  });

  it('survives a hostile update and serves the next one', async () => {
    tg.enqueue({
      message: {
        message_id: 99,
        chat: { id: -5001, type: 'supergroup', title: 'x' },
        date: 0,
        text: '/shared \u0000\u202e<b>',
      },
    });
    tg.enqueue({ some_future_update_kind: { whatever: true } });
    tg.send('private', alice, '/help');
    await tg.waitFor(
      () => tg.messagesTo(alice.id).some((m) => /Loa commands/.test(m.text ?? '')),
      10_000,
      '/help after hostile updates',
    );
    assert.equal(tg.parseErrors, 0);
  });

  it('stops cleanly on SIGTERM with exit code 0, confirming what it handled', async () => {
    const code = await bot.stop('SIGTERM');
    assert.equal(code, 0);
    assert.match(bot.output(), /loa stopped/);
    assert.equal(tg.pendingUpdates(), 0, 'every handled update was confirmed to Telegram');
  });

  it('never printed the token', () => {
    assert.ok(!bot.output().includes(tg.token));
    assert.ok(!bot.output().includes(tg.token.split(':')[1]!));
  });
});

describe('start-up refusals', () => {
  it('a missing BOT_TOKEN gives one clear line and exit code 2', async () => {
    const bot = startBot({});
    const code = await bot.exited;
    assert.equal(code, 2);
    assert.equal(bot.output().trim(), 'loa: configuration error: BOT_TOKEN: is required');
  });

  it('a malformed value names the variable, without echoing the token', async () => {
    const token = '999:THIS-IS-A-SECRET-TOKEN-VALUE-123';
    const bot = startBot({ BOT_TOKEN: token, ADMIN_IDS: '12,abc' });
    assert.equal(await bot.exited, 2);
    assert.match(bot.output(), /ADMIN_IDS: "abc" is not a Telegram user id/);
    assert.ok(!bot.output().includes(token));
  });

  it('a database that cannot be opened gives a clear message and a non-zero exit', async () => {
    const tg = new FakeTelegram();
    await tg.start();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'not-a-folder'), 'x');
    const bot = startBot({
      BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      DATABASE_URL: path.join(dir, 'not-a-folder/loa.sqlite'),
    });
    const code = await bot.exited;
    await tg.stop();
    assert.notEqual(code, 0);
    assert.match(bot.output(), /cannot open the database/);
  });
});
