import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { advisories, advisoryAffected, findings, hosts } from './schema/index.js';

export type FindingRecord = typeof findings.$inferSelect & { hostName: string };

/** Open findings of some hosts, optionally only for one vulnerability. */
export async function openFindings(
  db: Db,
  filter: { hostIds?: number[]; vulnerability?: string },
): Promise<FindingRecord[]> {
  if (filter.hostIds?.length === 0) return [];
  const rows = await db
    .select({ finding: findings, hostName: hosts.name })
    .from(findings)
    .innerJoin(hosts, eq(hosts.id, findings.hostId))
    .where(
      and(
        eq(findings.status, 'open'),
        filter.hostIds ? inArray(findings.hostId, filter.hostIds) : undefined,
        filter.vulnerability ? eq(findings.vulnerability, filter.vulnerability) : undefined,
      ),
    );
  return rows.map((r) => ({ ...r.finding, hostName: r.hostName }));
}

/** Advisories that name a CVE, with the fixed versions they give per ecosystem and package. */
export async function advisoriesForCve(db: Db, cve: string) {
  const matching = await db
    .select()
    .from(advisories)
    .where(sql`${advisories.cves} @> ${JSON.stringify([cve])}::jsonb`);
  if (matching.length === 0) return { advisories: matching, affected: [] };
  const affected = await db
    .select()
    .from(advisoryAffected)
    .where(
      inArray(
        advisoryAffected.advisoryId,
        matching.map((a) => a.id),
      ),
    );
  return { advisories: matching, affected };
}
