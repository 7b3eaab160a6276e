import type { Sender } from '../telegram/sender.ts';

/** How one delivery is claimed, confirmed and released in the database (a push's articles, a report). */
export interface DeliveryClaim<C> {
  /** Takes the delivery just before it goes out; undefined if it is someone else's or done already. */
  take(): Promise<C | undefined>;
  /** Telegram accepted it. */
  confirm(claim: C, sent: { message_id: number }): Promise<void>;
  /** Telegram refused it: the delivery is free to be tried again. */
  release(claim: C): Promise<void>;
}

export type Delivered = 'sent' | 'not_claimed' | 'failed';

/**
 * Sends a bulk message at most once across crashes and replicas: claim as its turn comes (so a crash loses at
 * most the message on the wire, never a queue of claimed-but-unsent ones), send, then confirm, or release if
 * Telegram refused it. `prepare` fills in the payload at that moment (a chart is drawn then, paced by the sending).
 * Never throws: a failure is returned, and thrown errors of the claim's own writes are passed to `onError`.
 */
export async function deliverOnce<C>(
  sender: Sender,
  method: string,
  payload: Record<string, unknown>,
  claim: DeliveryClaim<C>,
  onError: (err: unknown) => void,
  prepare?: (payload: Record<string, unknown>) => void,
): Promise<Delivered> {
  let taken: C | undefined;
  let sent: { message_id: number } | null;
  try {
    sent = await sender.call<{ message_id: number } | null>(method, payload, {
      priority: 'bulk',
      onDispatch: async () => {
        taken = await claim.take();
        if (taken !== undefined) prepare?.(payload);
        return taken !== undefined;
      },
    });
  } catch (err) {
    if (taken !== undefined) await claim.release(taken).catch(() => undefined);
    onError(err);
    return 'failed';
  }
  if (sent === null || taken === undefined) return 'not_claimed';
  // Sent: whatever happens to the confirmation, the claim is never released (that could send it twice); one
  // left unconfirmed is reported at the next start as cut short.
  await claim.confirm(taken, sent).catch(onError);
  return 'sent';
}
