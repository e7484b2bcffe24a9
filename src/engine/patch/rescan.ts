import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { createScanRun, finishRunIfComplete, recordHostScan } from '../../db/scans.js';
import { findings } from '../../db/schema/index.js';
import { refreshHostFindings } from '../findings/refresh.js';
import type { VersionScheme } from '../package-managers/types.js';
import type { Policy } from '../prioritize/index.js';
import type { PinnedPackage } from '../rollouts/types.js';
import { scanHost } from '../scan/scan-host.js';
import type { RemoteShell } from '../ssh/types.js';
import { compareVersions } from '../versioning/index.js';
import type { CheckResult } from './verify.js';

/**
 * Scan the host again on the session we have, record it as a one-host "verify" scan (kept out of the
 * list of scans) and refresh its findings, so views and the next plan see the host as it is now.
 */
export async function rescanHost(
  db: Db,
  shell: RemoteShell,
  host: { id: number; name: string },
  requestedBy: string,
  options: { privileged: boolean; policy: Policy },
): Promise<void> {
  const outcome = await scanHost(shell, { refresh: 'never', privileged: options.privileged });
  const run = await createScanRun(db, {
    selector: host.name,
    requestedBy,
    refresh: 'never',
    hostIds: [host.id],
    purpose: 'verify',
  });
  await recordHostScan(db, run.id, host.id, outcome);
  await finishRunIfComplete(db, run.id);
  await refreshHostFindings(db, host.id, options.policy);
}

/**
 * After the rescan, no open finding may remain that the planned versions fix: if one does, the install
 * did not take (or the advisory data disagrees), and the host is not what the plan promised.
 */
export async function checkFindingsClosed(
  db: Db,
  hostId: number,
  planned: readonly PinnedPackage[],
  scheme: VersionScheme,
): Promise<CheckResult> {
  const open = await db
    .select({
      vulnerability: findings.vulnerability,
      binaries: findings.binaryPackages,
      fixed: findings.fixedVersion,
    })
    .from(findings)
    .where(and(eq(findings.hostId, hostId), eq(findings.status, 'open')));
  for (const finding of open) {
    if (finding.fixed === null) continue;
    const fixer = planned.find(
      (p) => finding.binaries.includes(p.name) && compareVersions(scheme, p.to, finding.fixed!) >= 0,
    );
    if (fixer)
      return {
        ok: false,
        check: `findings: ${finding.vulnerability} is still open on ${fixer.name} ${fixer.to} (fixed in ${finding.fixed})`,
      };
  }
  return { ok: true };
}
