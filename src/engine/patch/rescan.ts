import type { Db } from '../../db/client.js';
import type { FindingRow } from '../../db/findings.js';
import { recordVerifyScan } from '../../db/scans.js';
import { type RefreshResult, refreshHostFindings } from '../findings/refresh.js';
import type { PackageManager, VersionScheme } from '../package-managers/types.js';
import type { Policy } from '../prioritize/index.js';
import type { PinnedPackage } from '../rollouts/types.js';
import { scanHost } from '../scan/scan-host.js';
import type { RemoteShell } from '../ssh/types.js';
import { compareVersions } from '../versioning/index.js';
import type { CheckResult } from './verify.js';

/** What the last scan learnt of the host: a rescan by the same module need not ask for its OS again. */
export interface KnownHost {
  id: number;
  name: string;
  osId: string | null;
  osVersion: string | null;
  osPretty: string | null;
}

async function scanAgain(shell: RemoteShell, host: KnownHost, manager: PackageManager, privileged: boolean) {
  const options = { refresh: 'never', privileged } as const;
  if (!host.osId || !host.osVersion || !host.osPretty) return scanHost(shell, options);
  const { osId, osVersion, osPretty } = host;
  return {
    status: 'ok',
    osId,
    osVersion,
    osPretty,
    packageManager: manager.id,
    scan: await manager.scan(shell, options),
  } as const;
}

/**
 * Scan the host again on the session we have, record it as a one-host "verify" scan (kept out of the
 * list of scans) and refresh its findings, so views and the next plan see the host as it is now.
 */
export async function rescanHost(
  db: Db,
  shell: RemoteShell,
  host: KnownHost,
  manager: PackageManager,
  requestedBy: string,
  options: { privileged: boolean; policy: Policy },
): Promise<RefreshResult> {
  const outcome = await scanAgain(shell, host, manager, options.privileged);
  await recordVerifyScan(db, host.id, host.name, requestedBy, outcome);
  return refreshHostFindings(db, host.id, options.policy, new Date(), undefined, {
    name: host.name,
    osId: outcome.osId,
    osVersion: outcome.osVersion,
    installed: outcome.scan.installed,
  });
}

/**
 * After the rescan, no open finding may remain that the planned versions fix: if one does, the install
 * did not take (or the advisory data disagrees), and the host is not what the plan promised.
 */
export function checkFindingsClosed(
  open: readonly Pick<FindingRow, 'vulnerability' | 'binaryPackages' | 'fixedVersion'>[],
  planned: readonly PinnedPackage[],
  scheme: VersionScheme,
): CheckResult {
  for (const finding of open) {
    const fixed = finding.fixedVersion;
    if (fixed === null) continue;
    const fixer = planned.find(
      (p) => finding.binaryPackages.includes(p.name) && compareVersions(scheme, p.to, fixed) >= 0,
    );
    if (fixer)
      return {
        ok: false,
        check: `findings: ${finding.vulnerability} is still open on ${fixer.name} ${fixer.to} (fixed in ${fixed})`,
      };
  }
  return { ok: true };
}
