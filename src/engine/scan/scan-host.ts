import type { HostScanOutcome } from '../../db/scans.js';
import { detectPackageManager, osReleaseCommand } from '../package-managers/index.js';
import { parseOsRelease } from '../package-managers/os-release.js';
import type { ScanOptions } from '../package-managers/types.js';
import type { RemoteShell } from '../ssh/types.js';

/** A scan problem that is not about SSH: unsupported OS, unreadable os-release, a package manager error. */
export class ScanError extends Error {
  constructor(
    readonly code: 'unsupported-os' | 'os-release' | 'package-manager',
    message: string,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

/** Detect the OS, pick its package-manager module, and let the module scan. */
export async function scanHost(
  shell: RemoteShell,
  options: ScanOptions,
): Promise<Extract<HostScanOutcome, { status: 'ok' }>> {
  const release = await shell.run(osReleaseCommand);
  if (release.code !== 0 || release.stdout.trim() === '') {
    throw new ScanError(
      'os-release',
      `${shell.hostName}: cannot read /etc/os-release (${release.stderr.trim() || `exit ${release.code}`})`,
    );
  }
  const os = parseOsRelease(release.stdout);
  const manager = detectPackageManager(os);
  if (!manager) {
    throw new ScanError(
      'unsupported-os',
      `${shell.hostName}: ${os.prettyName} is not supported yet (no package-manager module handles '${os.id}')`,
    );
  }
  const scan = await manager.scan(shell, options);
  return {
    status: 'ok',
    osId: os.id,
    osVersion: os.versionId,
    osPretty: os.prettyName,
    packageManager: manager.id,
    scan,
  };
}
