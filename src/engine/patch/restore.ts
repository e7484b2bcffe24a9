import type { PackageManager } from '../package-managers/types.js';
import type { RemoteShell } from '../ssh/types.js';
import type { HostPatchSettings } from './host-settings.js';
import { type CheckResult, checkServicesAndHealth, checkVersions, type ExpectedVersion } from './verify.js';

/**
 * Put the recorded versions back (downgrading) and verify again: the versions, the services, the health
 * checks. Packages that were not installed before are left in place: removing them could take others along.
 */
export async function restoreVersions(
  manager: PackageManager,
  shell: RemoteShell,
  before: readonly ExpectedVersion[],
  settings: HostPatchSettings,
  lockWaitSeconds: number,
): Promise<CheckResult> {
  const wanted = before.filter((p): p is ExpectedVersion & { version: string } => p.version !== null);
  const states = await manager.packageStates(
    shell,
    wanted.map((p) => p.name),
  );
  const changed = wanted.filter(
    (p) => states.find((s) => s.name === p.name && s.arch === p.arch)?.version !== p.version,
  );
  if (changed.length > 0) {
    try {
      await manager.install(shell, changed, { allowDowngrades: true, lockWaitSeconds });
    } catch (error) {
      return {
        ok: false,
        check: `rollback install: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  const versions = await checkVersions(shell, manager, wanted);
  if (!versions.ok) return versions;
  return checkServicesAndHealth(shell, settings);
}
