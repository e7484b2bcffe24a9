import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { auditLog, feedImports } from '../../src/db/schema/index.js';
import { startAdvisorySync } from '../../src/engine/advisories/sync-worker.js';
import { DEFAULT_POLICY } from '../../src/engine/prioritize/index.js';
import { EngineQueues } from '../../src/engine/queues/index.js';
import { createLogger } from '../../src/logger.js';
import { uniquePrefix } from '../support/cli.js';
import { createTestDatabase } from '../support/postgres.js';

const fixtures = new URL('../fixtures/advisories/', import.meta.url).pathname;

describe('scheduled advisory sync (BullMQ job scheduler)', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let redis: Redis;
  let queues: EngineQueues;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    queues = new EngineQueues({ connection: redis, prefix, scanAttempts: 1 });
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    await database?.close();
    await target?.drop();
  });

  it('imports every configured source on schedule, and turns a failing source into an alert', async () => {
    const sync = await startAdvisorySync({
      db: database.db,
      queues,
      connection: redis,
      prefix,
      policy: DEFAULT_POLICY,
      sources: [`${fixtures}osv`, `${fixtures}kev.json`, '/nonexistent/feed.json'],
      schedule: '* * * * * *', // every second
      logger: createLogger('silent'),
    });
    try {
      const deadline = Date.now() + 20_000;
      let imports: (typeof feedImports.$inferSelect)[] = [];
      while (Date.now() < deadline) {
        imports = await database.db.select().from(feedImports);
        if (imports.some((i) => i.status === 'failed')) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const first = (feed: string, status: string) =>
        imports.find((i) => i.feed === feed && i.status === status);
      expect(first('osv', 'ok')).toMatchObject({ records: 6, added: 6 });
      expect(first('kev', 'ok')).toMatchObject({ records: 1, added: 1 });
      // Nothing could be read, so not even its kind is known.
      expect(first('unknown', 'failed')).toMatchObject({ source: '/nonexistent/feed.json' });
      expect(first('unknown', 'failed')?.error).toMatch(/nonexistent/);
      const audited = await database.db.select().from(auditLog).where(eq(auditLog.actor, 'scheduler'));
      expect(audited.map((a) => a.action)).toContain('advisories.imported');
      const alerts = (await queues.events.getJobs(['waiting']))
        .map((j) => j.data)
        .filter((e) => e.type === 'alert');
      expect(
        alerts.some(
          (a) =>
            a.subject === 'advisories' &&
            /\/nonexistent\/feed\.json.*previous data kept|previous data kept.*\/nonexistent/.test(a.message),
        ),
      ).toBe(true);
    } finally {
      await sync.close();
    }
  });
});
