import { afterEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer.js';

describe('Coalescer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes the first change at once and collapses a burst into one trailing flush per interval', async () => {
    vi.useFakeTimers();
    const flushedAt: number[] = [];
    const coalescer = new Coalescer<string>(1000, async () => {
      flushedAt.push(Date.now());
    });
    const start = Date.now();
    // 1,000 changes over 5 seconds, one every 5 ms.
    for (let i = 0; i < 1000; i++) {
      coalescer.touch('run-1');
      await vi.advanceTimersByTimeAsync(5);
    }
    coalescer.touch('run-1', true);
    await vi.advanceTimersByTimeAsync(2000);
    const offsets = flushedAt.map((t) => t - start);
    expect(offsets[0]).toBe(0);
    expect(flushedAt.length).toBeGreaterThanOrEqual(5);
    expect(flushedAt.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < offsets.length - 1; i++)
      expect(offsets[i]! - offsets[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('keeps keys independent and never overlaps flushes of one key', async () => {
    const active = new Map<string, number>();
    let overlapped = false;
    const seen: string[] = [];
    const coalescer = new Coalescer<string>(10, async (key) => {
      active.set(key, (active.get(key) ?? 0) + 1);
      if (active.get(key)! > 1) overlapped = true;
      seen.push(key);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active.set(key, active.get(key)! - 1);
    });
    coalescer.touch('a');
    coalescer.touch('b');
    await new Promise((resolve) => setTimeout(resolve, 5));
    coalescer.touch('a', true); // arrives while the first flush of 'a' is still running
    await coalescer.idle();
    expect(seen.filter((k) => k === 'a')).toHaveLength(2);
    expect(seen.filter((k) => k === 'b')).toHaveLength(1);
    expect(overlapped).toBe(false);
  });
});
