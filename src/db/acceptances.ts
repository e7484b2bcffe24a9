import { and, eq, inArray } from 'drizzle-orm';
import { anyOf } from './any-of.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { riskAcceptances } from './schema/index.js';

export type AcceptanceRow = typeof riskAcceptances.$inferSelect;

export async function createAcceptance(
  db: Db,
  request: {
    cve: string;
    selector: string;
    hostIds: number[];
    until: string;
    reason: string;
    requestedBy: string;
  },
): Promise<AcceptanceRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(riskAcceptances).values(request).returning();
    await audit(tx, {
      actor: request.requestedBy,
      action: 'acceptance.requested',
      subject: `accept-${row!.id}`,
      details: {
        cve: request.cve,
        selector: request.selector,
        hosts: request.hostIds.length,
        until: request.until,
        reason: request.reason,
      },
    });
    return row!;
  });
}

export async function acceptanceById(db: Db, id: number): Promise<AcceptanceRow | undefined> {
  const [row] = await db.select().from(riskAcceptances).where(eq(riskAcceptances.id, id));
  return row;
}

/**
 * Approve or deny a pending acceptance. The update is conditional on the row still being pending, so two
 * approvers clicking at once (or a retried request) decide it once; the loser gets undefined.
 */
export async function decideAcceptance(
  db: Db,
  id: number,
  decision: { status: 'approved' | 'denied'; actor: string; reason?: string },
): Promise<AcceptanceRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(riskAcceptances)
      .set({
        status: decision.status,
        decidedBy: decision.actor,
        decidedAt: new Date(),
        denyReason: decision.reason ?? null,
      })
      .where(and(eq(riskAcceptances.id, id), eq(riskAcceptances.status, 'pending')))
      .returning();
    if (row) {
      await audit(tx, {
        actor: decision.actor,
        action: decision.status === 'approved' ? 'acceptance.approved' : 'acceptance.denied',
        subject: `accept-${id}`,
        details: decision.reason ? { reason: decision.reason } : {},
      });
    }
    return row;
  });
}

/** Acceptances of these CVEs that are approved or pending (expired ones are filtered by the caller's day). */
export async function acceptancesFor(db: Db, cves: string[]): Promise<AcceptanceRow[]> {
  if (cves.length === 0) return [];
  return db
    .select()
    .from(riskAcceptances)
    .where(and(anyOf(riskAcceptances.cve, cves), inArray(riskAcceptances.status, ['approved', 'pending'])));
}
