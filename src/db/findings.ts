import { and, eq, lt, sql } from 'drizzle-orm';
import type { AdvisoryCandidate } from '../engine/matching/match.js';
import type { PrioritizationScores, SsvcPath } from '../engine/prioritize/types.js';
import { anyOf } from './any-of.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import {
  advisories,
  advisoryAffected,
  epssScores,
  findings,
  kevEntries,
  type StoredReason,
} from './schema/index.js';

export interface FindingRow {
  package: string;
  binaryPackages: string[];
  vulnerability: string;
  installedVersion: string;
  fixedVersion: string | null;
  cves: readonly string[];
  advisories: readonly string[];
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  decision: string;
  dueDate: string;
  reasons: StoredReason[];
  summary: string;
  scores: PrioritizationScores;
  ssvc: SsvcPath;
  firstSeenAt: Date;
}

export const findingKey = (f: { package: string; vulnerability: string }) =>
  `${f.package}\u0000${f.vulnerability}`;

/** Open findings of a host by key, with when they were first seen (their due dates count from then). */
export async function openFindingsFirstSeen(db: Db, hostId: number): Promise<Map<string, Date>> {
  const rows = await db
    .select({
      package: findings.package,
      vulnerability: findings.vulnerability,
      firstSeenAt: findings.firstSeenAt,
    })
    .from(findings)
    .where(and(eq(findings.hostId, hostId), eq(findings.status, 'open')));
  return new Map(rows.map((r) => [findingKey(r), r.firstSeenAt]));
}

/**
 * Make the host's findings what the latest match says: upsert every row (a closed one reopens, first seen
 * now), close the open ones that are gone. Returns what was opened and what became P1, for alerts.
 */
export async function writeHostFindings(
  db: Db,
  hostId: number,
  rows: FindingRow[],
  now: Date,
): Promise<{ opened: FindingRow[]; escalated: FindingRow[]; closed: number }> {
  return db.transaction(async (tx) => {
    const before = await tx
      .select({
        package: findings.package,
        vulnerability: findings.vulnerability,
        priority: findings.priority,
      })
      .from(findings)
      .where(and(eq(findings.hostId, hostId), eq(findings.status, 'open')));
    const wasOpen = new Map(before.map((f) => [findingKey(f), f.priority]));
    if (rows.length > 0) {
      await tx.execute(sql`
        INSERT INTO ${findings} (host_id, package, binary_packages, vulnerability, installed_version, fixed_version,
          cves, advisories, status, priority, decision, due_date, reasons, summary, scores, ssvc, first_seen_at,
          last_seen_at)
        SELECT ${hostId}, r.package, r."binaryPackages", r.vulnerability, r."installedVersion", r."fixedVersion",
          r.cves, r.advisories, 'open', r.priority, r.decision, r."dueDate"::date, r.reasons, r.summary,
          r.scores, r.ssvc, r."firstSeenAt"::timestamptz, ${now}
        FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(package text, "binaryPackages" jsonb,
          vulnerability text, "installedVersion" text, "fixedVersion" text, cves jsonb, advisories jsonb,
          priority text, decision text, "dueDate" text, reasons jsonb, summary text, scores jsonb, ssvc jsonb,
          "firstSeenAt" text)
        ON CONFLICT (host_id, package, vulnerability) DO UPDATE SET
          binary_packages = excluded.binary_packages, installed_version = excluded.installed_version,
          fixed_version = excluded.fixed_version, cves = excluded.cves, advisories = excluded.advisories,
          priority = excluded.priority, decision = excluded.decision, due_date = excluded.due_date,
          reasons = excluded.reasons, summary = excluded.summary, scores = excluded.scores, ssvc = excluded.ssvc,
          last_seen_at = excluded.last_seen_at,
          first_seen_at = CASE WHEN ${findings.status} = 'closed' THEN excluded.first_seen_at ELSE ${findings.firstSeenAt} END,
          status = 'open', closed_at = NULL`);
    }
    const closed = await tx
      .update(findings)
      .set({ status: 'closed', closedAt: now })
      .where(and(eq(findings.hostId, hostId), eq(findings.status, 'open'), lt(findings.lastSeenAt, now)))
      .returning({ id: findings.id });
    const opened = rows.filter((r) => !wasOpen.has(findingKey(r)));
    if (opened.length > 0 || closed.length > 0) {
      await audit(tx, {
        actor: 'engine',
        action: 'findings.changed',
        subject: `host:${hostId}`,
        details: {
          opened: opened.map((r) => `${r.package} ${r.vulnerability}`).slice(0, 50),
          closed: closed.length,
        },
      });
    }
    const escalated = rows.filter(
      (r) => r.priority === 'P1' && wasOpen.has(findingKey(r)) && wasOpen.get(findingKey(r)) !== 'P1',
    );
    return { opened, escalated, closed: closed.length };
  });
}

/** Advisory candidates for some packages of one ecosystem. */
export async function candidatesFor(
  db: Db,
  ecosystem: string,
  packages: string[],
): Promise<({ package: string } & AdvisoryCandidate)[]> {
  if (packages.length === 0) return [];
  const rows = await db
    .select({
      package: advisoryAffected.package,
      advisoryId: advisoryAffected.advisoryId,
      ranges: advisoryAffected.ranges,
      versions: advisoryAffected.versions,
      cves: advisories.cves,
    })
    .from(advisoryAffected)
    .innerJoin(advisories, eq(advisories.id, advisoryAffected.advisoryId))
    .where(
      and(
        eq(advisoryAffected.ecosystem, ecosystem),
        anyOf(advisoryAffected.package, packages),
        sql`${advisories.withdrawn} IS NULL`,
      ),
    );
  return rows;
}

/** Threat data for CVEs: KEV entries, EPSS scores, and the advisories' severities. */
export async function threatData(db: Db, cves: string[], advisoryIds: string[]) {
  const [kev, epss, severities] = await Promise.all([
    cves.length ? db.select().from(kevEntries).where(anyOf(kevEntries.cve, cves)) : [],
    cves.length ? db.select().from(epssScores).where(anyOf(epssScores.cve, cves)) : [],
    advisoryIds.length
      ? db
          .select({ id: advisories.id, severity: advisories.severity })
          .from(advisories)
          .where(anyOf(advisories.id, advisoryIds))
      : [],
  ]);
  return {
    kev: new Map(kev.map((k) => [k.cve, k])),
    epss: new Map(epss.map((e) => [e.cve, e])),
    severity: new Map(severities.map((s) => [s.id, s.severity])),
  };
}
