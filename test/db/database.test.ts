import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { auditLog } from '../../src/db/schema/index.js';
import { createTestDatabase } from '../support/postgres.js';

async function checkAppendOnlyAudit(database: Database) {
  const { db } = database;
  await db.insert(auditLog).values({ actor: 'alice', action: 'scan.requested', subject: 'scan-1' });
  const rows = await db.select().from(auditLog);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ actor: 'alice', action: 'scan.requested', subject: 'scan-1', details: {} });
  await expect(db.execute(sql`UPDATE audit_log SET actor = 'mallory'`)).rejects.toThrow();
  await expect(db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
  await expect(db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
  expect((await db.select().from(auditLog))[0]?.actor).toBe('alice');
}

describe('database', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('migrates Postgres, twice in parallel without conflict, and keeps the audit log append-only', async () => {
    const target = await createTestDatabase();
    cleanups.push(target.drop);
    const [first, second] = await Promise.all([
      openDatabase({ url: target.url }),
      openDatabase({ url: target.url }),
    ]);
    cleanups.push(first.close, second.close);
    expect(first.kind).toBe('postgres');
    await checkAppendOnlyAudit(first);
  });

  it('migrates embedded PGlite the same way', async () => {
    const database = await openDatabase({});
    cleanups.push(database.close);
    expect(database.kind).toBe('pglite');
    await checkAppendOnlyAudit(database);
  });
});
