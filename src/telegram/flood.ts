// More than `limit` commands within `windowMs` and a member is ignored for `penaltyMs`, told once.

export type FloodVerdict = 'ok' | 'just_blocked' | 'blocked';

export class FloodGuard {
  private readonly hits = new Map<number, number[]>();
  private readonly blockedUntil = new Map<number, number>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 10_000,
    private readonly penaltyMs = 60_000,
  ) {}

  hit(userId: number, now: number): FloodVerdict {
    const until = this.blockedUntil.get(userId);
    if (until !== undefined) {
      if (now < until) return 'blocked';
      this.blockedUntil.delete(userId);
    }
    const recent = (this.hits.get(userId) ?? []).filter((t) => t > now - this.windowMs);
    recent.push(now);
    this.hits.set(userId, recent);
    if (recent.length > this.limit) {
      this.hits.delete(userId);
      this.blockedUntil.set(userId, now + this.penaltyMs);
      return 'just_blocked';
    }
    if (this.hits.size > 100_000) this.prune(now);
    return 'ok';
  }

  private prune(now: number): void {
    for (const [id, times] of this.hits) if (times.every((t) => t <= now - this.windowMs)) this.hits.delete(id);
  }
}
