import { describe, expect, it } from 'vitest';
import { EditQueue, RateLimitedError } from './edit-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EditQueue', () => {
  it('keeps one edit in flight per message and sends only the latest of those that waited', async () => {
    const sent: string[] = [];
    const queue = new EditQueue<string>(async (key, item) => {
      await sleep(20);
      sent.push(`${key}=${item}`);
    });
    for (let i = 1; i <= 5; i++) queue.submit('a', `v${i}`);
    queue.submit('b', 'w1');
    await queue.idle();
    expect(sent.sort()).toEqual(['a=v1', 'a=v5', 'b=w1']);
  });

  it('pauses every edit for Retry-After on a 429, then sends the newest state', async () => {
    const sent: { key: string; item: string; at: number }[] = [];
    let limited = false;
    const queue = new EditQueue<string>(async (key, item) => {
      if (!limited) {
        limited = true;
        throw new RateLimitedError(150);
      }
      sent.push({ key, item, at: Date.now() });
    });
    const start = Date.now();
    queue.submit('a', 'v1');
    await sleep(10);
    queue.submit('a', 'v2');
    queue.submit('b', 'w1');
    await queue.idle();
    expect(queue.rateLimited).toBe(1);
    expect(sent.map((s) => `${s.key}=${s.item}`).sort()).toEqual(['a=v2', 'b=w1']);
    for (const s of sent) expect(s.at - start).toBeGreaterThanOrEqual(140);
  });

  it('reports other failures and goes on with the next edit', async () => {
    const errors: string[] = [];
    const sent: string[] = [];
    const queue = new EditQueue<string>(
      async (_key, item) => {
        if (item === 'bad') throw new Error('message_not_found');
        sent.push(item);
      },
      (key, error) => errors.push(`${key}: ${(error as Error).message}`),
    );
    queue.submit('a', 'bad');
    await queue.idle();
    queue.submit('a', 'good');
    await queue.idle();
    expect(errors).toEqual(['a: message_not_found']);
    expect(sent).toEqual(['good']);
  });
  it('still sends the newest state when the resume timer fires before the pause is over', async () => {
    let clock = 0;
    let limited = false;
    const sent: string[] = [];
    const queue = new EditQueue<string>(
      async (_key, item) => {
        if (!limited) {
          limited = true;
          throw new RateLimitedError(50);
        }
        sent.push(item);
      },
      () => {},
      () => clock,
    );
    queue.submit('a', 'v1');
    // The timer fires, but the queue's clock says the pause is not over yet.
    await sleep(80);
    expect(sent).toEqual([]);
    clock = 100;
    await sleep(80);
    expect(sent).toEqual(['v1']);
  });
});
