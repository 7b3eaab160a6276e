import { FakeTelegram } from './support/fake-telegram.ts';
import { botEnv, startBot, tempDir } from './support/bot-process.ts';
import { people } from './support/harness.ts';
const { owner, leader, alice, bình } = people;
const tg = new FakeTelegram();
await tg.start();
const bot = startBot(botEnv(tg, tempDir(), { ADMIN_IDS: String(owner.id), DAILY_PUSH_CRON: '0 0 1 1 *' }));
await bot.waitForLog(/polling for updates/);
const g = tg.addGroup(-9001, 'Chi đoàn Phường 5', [leader]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const steps: [any, any, string][] = [
  ['private', owner, '/start'], ['private', leader, '/start'], ['private', alice, '/start'],
  [g, bình, '/start'], [g, bình, '/help'], [g, leader, '/help'], ['private', alice, '/help'],
  [g, alice, '/submit https://tuoitre.vn/bai-viet-1 Bài về an toàn giao thông'],
  [g, leader, '/queue'], [g, leader, '/approve 1'], ['private', owner, '/post https://nhandan.vn/x Tin <quan trọng> & "mới" --date 2026-11-28'],
  [g, bình, '/today'], [g, leader, '/push'], [g, bình, '/shared 1'], [g, alice, '/rebutted 2 https://facebook.com/p/123 Đã trả lời tin đồn'],
  [g, bình, '/me'], ['private', alice, '/me'], [g, alice, '/undo'], [g, bình, '/shared 99'], [g, bình, '/approve 2'], [g, bình, '/rebutted javascript:x'],
  ['private', owner, '/push'], ['private', alice, '/articles'],
];
for (const [c, u, t] of steps) { tg.send(c, u, t); await sleep(400); }
const push = tg.messagesTo(g.id).find((m) => /📣/.test(m.text ?? ''));
if (push) { tg.press(push, bình, push.reply_markup!.inline_keyboard.at(-1)![0]!.callback_data!); await sleep(300); tg.press(push, bình, push.reply_markup!.inline_keyboard.at(-1)![0]!.callback_data!); await sleep(300); tg.press(push, alice, push.reply_markup!.inline_keyboard[0]![1]!.callback_data!); }
await sleep(1500);
const names: Record<number, string> = { [owner.id]: 'owner(private)', [leader.id]: 'leader(private)', [alice.id]: 'alice(private,en)', [g.id]: 'GROUP' };
for (const m of tg.messages) console.log(`--- to ${names[m.chat.id] ?? m.chat.id}${m.reply_markup ? ' [buttons: ' + m.reply_markup.inline_keyboard.map(r => r.map(b => b.text).join(' | ')).join(' / ') + ']' : ''}\n${m.text}`);
console.log('--- toasts:', JSON.stringify(tg.callbackAnswers.map(a => a.text)));
console.log('--- reactions:', JSON.stringify(tg.reactions));
console.log('--- errors:', tg.calls.filter(c => c.status >= 400).map(c => `${c.method} ${c.status} ${c.description}`));
await bot.stop(); await tg.stop();
