import { DateTime } from 'luxon';

// Cron expressions for tests and benchmarks that need a job to fire at a chosen moment, or not today.

const ZONE = 'Asia/Ho_Chi_Minh';

/** Fires once only: `seconds` from now (negative: that long ago), on today's date, in Ho Chi Minh City. */
export function cronIn(seconds: number): string {
  const t = DateTime.now().setZone(ZONE).plus({ seconds });
  return `${t.second} ${t.minute} ${t.hour} ${t.day} ${t.month} *`;
}

/** Midnight tomorrow only: a start today never finds the job due, nor does the catch-up. */
export function notToday(): string {
  const t = DateTime.now().setZone(ZONE).plus({ days: 1 });
  return `0 0 ${t.day} ${t.month} *`;
}
