import type { FakeTelegram, TgUser } from '../tests/support/fake-telegram.ts';

/** During a push: 100 people, five a second (a sixth of Telegram's 30 a second). */
export const PRIVATE_ASKS = 100;
export const PRIVATE_ASK_GAP_MS = 200;

/**
 * Members asking /me in private while something else runs (a push), one every `gapMs`, each a different person.
 * Resolves with each answer's latency: from the update handed to the bot (getUpdates or the webhook) to the reply.
 */
export async function askPrivatelyDuring(
  tg: FakeTelegram,
  count: number,
  gapMs: number,
  firstId: number,
  timeoutMs = 120_000,
): Promise<number[]> {
  const members: TgUser[] = Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    first_name: `Đoàn viên ${i}`,
  }));
  const asked: number[] = [];
  for (const m of members) {
    asked.push(tg.send('private', m, '/me'));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await tg.waitFor(() => members.every((m) => tg.messagesTo(m.id).length > 0), timeoutMs, 'the private answers');
  return members.map((m, i) => tg.messagesTo(m.id)[0]!.at - tg.handedOutAt.get(asked[i]!)!).sort((a, b) => a - b);
}
