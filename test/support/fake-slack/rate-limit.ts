/** Slack's per-method rate limit, as a sliding window of the calls let through per key (token). */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Takes a slot at `now`, or says how many whole seconds until one frees (at least 1, as Slack sends). */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterSec: number } {
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.windowMs);
    this.hits.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= this.max && oldest !== undefined) {
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
    }
    recent.push(now);
    return { ok: true };
  }
}
