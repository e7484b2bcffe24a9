/**
 * Runs at most one flush per key per interval: the first change flushes at once, later changes within
 * the interval collapse into one trailing flush. Chat platforms rate-limit message edits, and a
 * 1,000-host operation must cost a bounded number of edits, not one per host.
 */
export class Coalescer<K> {
  private readonly lastFlush = new Map<K, number>();
  private readonly pending = new Map<K, NodeJS.Timeout>();
  private readonly running = new Map<K, Promise<void>>();

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (key: K) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Something changed for key; `final` flushes right away (the last state must never wait). */
  touch(key: K, final = false): void {
    if (this.pending.has(key) && !final) return;
    const wait = final ? 0 : Math.max(0, (this.lastFlush.get(key) ?? 0) + this.intervalMs - this.now());
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.run(key);
      }, wait),
    );
  }

  private async run(key: K): Promise<void> {
    // Flushes of one key never overlap, so an older state cannot overwrite a newer one.
    const previous = this.running.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      this.lastFlush.set(key, this.now());
      await this.flush(key).catch(() => {});
    });
    this.running.set(key, next);
    await next;
    if (this.running.get(key) === next) this.running.delete(key);
  }

  /** Wait until nothing is scheduled or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.running.size > 0) {
      await Promise.all(this.running.values());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  forget(key: K): void {
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.lastFlush.delete(key);
  }
}
