import { type ShellCommand, sh } from '../shell/command.js';
import { apt } from './apt/index.js';
import type { OsRelease, PackageManager, PackageManagerId } from './types.js';

export {
  type InstallFailureReason,
  InvalidPackageSpecError,
  OutputParseError,
  PackageCommandError,
  PackageInstallError,
  PackageScanError,
} from './errors.js';
export { parseOsRelease } from './os-release.js';

/** Every package-manager module; dnf, zypper and apk join as a folder each (see readme.md). */
export const packageManagers: readonly PackageManager[] = [apt];

/** The module that manages a host with this os-release, or undefined when none does yet. */
export function detectPackageManager(os: OsRelease): PackageManager | undefined {
  return packageManagers.find((manager) => manager.handles(os));
}

export function packageManagerById(id: PackageManagerId): PackageManager | undefined {
  return packageManagers.find((manager) => manager.id === id);
}

/**
 * First command sent to a host. os-release(5): /etc/os-release is usually a symlink to
 * /usr/lib/os-release, and a system may ship only the latter.
 */
export const osReleaseCommand: ShellCommand = sh`cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release`;
