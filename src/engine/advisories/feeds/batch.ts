/** Collects items and hands them on in batches of a fixed size. */
export class Batch<T> {
  private items: T[] = [];

  constructor(
    private readonly size: number,
    private readonly handler: (batch: T[]) => void | Promise<void>,
    private readonly signal?: AbortSignal,
  ) {}

  /** True when the batch is full: the caller then awaits flush() (no promise per item on hot paths). */
  push(item: T): boolean {
    this.items.push(item);
    return this.items.length >= this.size;
  }

  async flush(): Promise<void> {
    this.signal?.throwIfAborted();
    if (this.items.length === 0) return;
    const full = this.items;
    this.items = [];
    await this.handler(full);
  }
}
