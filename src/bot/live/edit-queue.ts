/** A platform said "too many requests": nothing more of this kind until `retryAfterMs` has passed. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited, retry after ${retryAfterMs} ms`);
    this.name = 'RateLimitedError';
  }
}

/**
 * Sends message edits so that a chat platform's rate limit is respected without losing the last state:
 * one edit in flight per message, a newer edit replaces one still waiting (only the latest view matters),
 * and a 429 pauses every edit for its Retry-After, then sends the latest.
 */
export class EditQueue<T> {
  private readonly waiting = new Map<string, T>();
  private readonly inFlight = new Set<string>();
  private pausedUntil = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  /** 429s answered so far, for tests and benchmarks. */
  rateLimited = 0;

  constructor(
    private readonly send: (key: string, item: T) => Promise<void>,
    private readonly onError: (key: string, error: unknown) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  submit(key: string, item: T): void {
    this.waiting.set(key, item);
    this.pump();
  }

  private pump(): void {
    const paused = this.pausedUntil - this.now();
    if (paused > 0) {
      // Timers may fire a little early: wait out the rest, or nothing would send until the next submit.
      this.resumeAfter(paused);
      return;
    }
    for (const [key, item] of this.waiting) {
      if (this.inFlight.has(key)) continue;
      this.waiting.delete(key);
      this.inFlight.add(key);
      void this.deliver(key, item);
    }
  }

  private async deliver(key: string, item: T): Promise<void> {
    try {
      await this.send(key, item);
    } catch (error) {
      if (error instanceof RateLimitedError) {
        this.rateLimited++;
        // A newer edit may have arrived meanwhile; it supersedes this one.
        if (!this.waiting.has(key)) this.waiting.set(key, item);
        this.pauseFor(error.retryAfterMs);
      } else {
        this.onError(key, error);
      }
    } finally {
      this.inFlight.delete(key);
      this.pump();
    }
  }

  private pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.resumeAfter(this.pausedUntil - this.now());
  }

  private resumeAfter(ms: number): void {
    clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => this.pump(), Math.max(0, ms));
    this.resumeTimer.unref();
  }

  /** Wait until every edit is sent (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.waiting.size > 0 || this.inFlight.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    clearTimeout(this.resumeTimer);
    this.waiting.clear();
  }
}
