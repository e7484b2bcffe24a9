import { and, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { candidatesFor } from '../../db/findings.js';
import { hosts, installedPackages } from '../../db/schema/index.js';
import type { HostEcosystem } from '../advisories/types.js';
import { hostEcosystem } from '../matching/ecosystem.js';
import { type AdvisoryIndex, buildIndex, type VerdictCache } from '../matching/match.js';
import type { Policy } from '../prioritize/index.js';
import { advisoryNames, type RefreshResult, refreshHostFindings } from './refresh.js';

/**
 * Re-match every scanned host (after an advisory import, or a policy change). Advisories are loaded once
 * per ecosystem for the whole fleet, and each distinct (package, version) is compared once.
 */
export async function refreshAllFindings(db: Db, policy: Policy, now = new Date()): Promise<RefreshResult[]> {
  const scanned = await db
    .select({ id: hosts.id, osId: hosts.osId, osVersion: hosts.osVersion })
    .from(hosts)
    .where(and(isNull(hosts.retiredAt), isNotNull(hosts.lastScanAt)))
    .orderBy(hosts.name);
  const byEcosystem = new Map<string, { ecosystem: HostEcosystem; hostIds: number[] }>();
  for (const host of scanned) {
    const ecosystem = host.osId && host.osVersion ? hostEcosystem(host.osId, host.osVersion) : undefined;
    if (!ecosystem) continue;
    const group = byEcosystem.get(ecosystem.ecosystem) ?? { ecosystem, hostIds: [] };
    group.hostIds.push(host.id);
    byEcosystem.set(ecosystem.ecosystem, group);
  }
  const shared = new Map<string, { index: AdvisoryIndex; cache: VerdictCache }>();
  for (const [name, { ecosystem, hostIds }] of byEcosystem) {
    const packages = await db
      .selectDistinct({ name: installedPackages.name, sourceName: installedPackages.sourceName })
      .from(installedPackages)
      .where(inArray(installedPackages.hostId, hostIds));
    const index = buildIndex(await candidatesFor(db, name, advisoryNames(ecosystem, packages)));
    shared.set(name, { index, cache: new Map() });
  }
  const results: RefreshResult[] = [];
  for (const host of scanned) results.push(await refreshHostFindings(db, host.id, policy, now, shared));
  return results;
}
