import { type SQLWrapper, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { auditLog } from './schema/index.js';

export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
}

/** Executor: the database or an open transaction, so an audit row commits with the change it describes. */
export type DbExecutor = Pick<Db, 'insert' | 'select' | 'update' | 'delete' | 'execute'>;

export async function audit(db: DbExecutor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject ?? null,
    details: entry.details ?? {},
  });
}

/**
 * Run an UPDATE … RETURNING and audit it in one statement (a CTE): one round trip, and the audit row exists
 * exactly when rows changed. Returns how many rows changed.
 */
export async function auditedUpdate(db: DbExecutor, update: SQLWrapper, entry: AuditEntry): Promise<number> {
  const result = await db.execute(sql`
    WITH changed AS (${update.getSQL()})
    INSERT INTO ${auditLog} (actor, action, subject, details)
    SELECT ${entry.actor}, ${entry.action}, ${entry.subject ?? null}, ${JSON.stringify(entry.details ?? {})}::jsonb
    FROM (SELECT 1 FROM changed LIMIT 1) AS any_change
    RETURNING (SELECT count(*) FROM changed)::int AS changed`);
  // node-postgres and PGlite both answer with `rows`; drizzle types the result per driver.
  const rows = (result as unknown as { rows: { changed: number }[] }).rows;
  return rows[0]?.changed ?? 0;
}
