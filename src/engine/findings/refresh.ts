import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  candidatesFor,
  type FindingRow,
  findingKey,
  openFindingsFirstSeen,
  threatData,
  writeHostFindings,
} from '../../db/findings.js';
import { hosts, hostTags, installedPackages } from '../../db/schema/index.js';
import type { AdvisorySeverity, HostEcosystem } from '../advisories/types.js';
import { hostEcosystem } from '../matching/ecosystem.js';
import {
  type AdvisoryIndex,
  buildIndex,
  type Match,
  matchHost,
  type VerdictCache,
} from '../matching/match.js';
import type { InstalledPackage } from '../package-managers/types.js';
import type { Policy } from '../prioritize/index.js';
import { prioritize } from '../prioritize/index.js';
import { compareVersions } from '../versioning/index.js';

export interface ScannedHost {
  name: string;
  osId: string;
  osVersion: string;
  installed: readonly InstalledPackage[];
}

export interface RefreshResult {
  host: string;
  /** Every open finding after the refresh. */
  current: FindingRow[];
  opened: FindingRow[];
  /** Open before, P1 now (a new KEV entry, a new EPSS score...). */
  escalated: FindingRow[];
  closed: number;
}

/** The first CVSS vectors and distribution rating among the advisories behind a match. */
function severityOf(match: Match, severities: ReadonlyMap<string, AdvisorySeverity>): AdvisorySeverity {
  const merged: AdvisorySeverity = {};
  for (const id of match.advisories) {
    const severity = severities.get(id);
    merged.cvssV3 ??= severity?.cvssV3;
    merged.cvssV4 ??= severity?.cvssV4;
    merged.distribution ??= severity?.distribution;
  }
  return merged;
}

/** Index and verdict cache per ecosystem, loaded once for a fleet-wide refresh. */
export type SharedMatching = ReadonlyMap<string, { index: AdvisoryIndex; cache: VerdictCache }>;

/** The names the ecosystem's advisories use for these packages. */
export function advisoryNames(
  ecosystem: HostEcosystem,
  installed: readonly { name: string; sourceName: string }[],
): string[] {
  return [...new Set(installed.map((p) => (ecosystem.matchOn === 'source' ? p.sourceName : p.name)))];
}

/**
 * Recompute one host's findings from its latest scan and the advisories we hold: match, prioritize, then
 * write (new ones open, gone ones close). Idempotent: run after every scan and after every import.
 */
export async function refreshHostFindings(
  db: Db,
  hostId: number,
  policy: Policy,
  now = new Date(),
  shared?: SharedMatching,
  /** The scan just recorded, when the caller has it: saves reading back what it wrote. */
  scanned?: ScannedHost,
): Promise<RefreshResult> {
  const host = scanned ?? (await db.select().from(hosts).where(eq(hosts.id, hostId)))[0];
  if (!host) throw new Error(`host #${hostId} does not exist`);
  const ecosystem = host.osId && host.osVersion ? hostEcosystem(host.osId, host.osVersion) : undefined;
  if (!ecosystem) {
    return { host: host.name, current: [], ...(await writeHostFindings(db, hostId, [], now)) };
  }
  const installed =
    scanned?.installed ??
    (await db.select().from(installedPackages).where(eq(installedPackages.hostId, hostId)));
  const context = shared?.get(ecosystem.ecosystem);
  const index = context
    ? context.index
    : buildIndex(await candidatesFor(db, ecosystem.ecosystem, advisoryNames(ecosystem, installed)));
  const matches = matchHost(ecosystem, installed, index, compareVersions, context?.cache);
  const [threat, firstSeen, tags] = await Promise.all([
    threatData(
      db,
      [...new Set(matches.flatMap((m) => m.cves))],
      [...new Set(matches.flatMap((m) => m.advisories))],
    ),
    openFindingsFirstSeen(db, hostId),
    db.select().from(hostTags).where(eq(hostTags.hostId, hostId)),
  ]);
  const hostTagMap = Object.fromEntries(tags.map((t) => [t.key, t.value]));
  const rows = matches.map((match): FindingRow => {
    const cve = match.cves[0];
    const kev = cve ? threat.kev.get(cve) : undefined;
    const epss = cve ? threat.epss.get(cve) : undefined;
    const severity = severityOf(match, threat.severity);
    const seen = firstSeen.get(findingKey(match)) ?? now;
    const risk = prioritize(
      {
        kev: kev
          ? { dateAdded: kev.dateAdded, dueDate: kev.dueDate, knownRansomware: kev.knownRansomware }
          : null,
        epss: epss ? { probability: epss.probability, percentile: epss.percentile } : null,
        cvssV3: severity.cvssV3 ?? null,
        cvssV4: severity.cvssV4 ?? null,
        distributionSeverity: severity.distribution ?? null,
        hostTags: hostTagMap,
        fixAvailable: match.fixedVersion !== null,
      },
      policy,
      seen,
    );
    return {
      ...match,
      priority: risk.priority,
      decision: risk.decision,
      dueDate: risk.dueDate,
      reasons: risk.reasons.map((r) => ({ code: r.code, text: r.text })),
      summary: risk.summary,
      scores: risk.scores,
      ssvc: risk.ssvc,
      firstSeenAt: seen,
    };
  });
  // Nothing matches and nothing was open: nothing to write (most hosts after a patch, every host in a new install).
  if (rows.length === 0 && firstSeen.size === 0)
    return { host: host.name, current: [], opened: [], escalated: [], closed: 0 };
  return { host: host.name, current: rows, ...(await writeHostFindings(db, hostId, rows, now)) };
}
