import type { RemoteShell } from '../ssh/types.js';

export type VersionScheme = 'dpkg' | 'rpm' | 'apk';
export type PackageManagerId = 'apt' | 'dnf' | 'zypper' | 'apk';

/** Parsed /etc/os-release (the keys every distribution sets). */
export interface OsRelease {
  id: string; // debian, ubuntu, rhel, almalinux, rocky, sles, opensuse-leap, alpine
  idLike: string[];
  versionId: string; // "12", "22.04", "9.4", "3.20.1"
  versionCodename?: string;
  prettyName: string;
}

export interface InstalledPackage {
  name: string;
  version: string;
  arch: string;
  /** Source package (dpkg source:Package, rpm SOURCERPM name); equals name when the format has none. */
  sourceName: string;
  sourceVersion: string;
}

export interface AvailableUpdate {
  name: string;
  arch: string;
  installedVersion: string;
  version: string;
  /** Where the candidate comes from, e.g. "Debian-Security:12/stable-security" or "bookworm-updates". */
  origin: string;
  security: boolean;
}

export interface PackageScan {
  installed: InstalledPackage[];
  updates: AvailableUpdate[];
  rebootRequired: boolean;
  /** Packages that asked for the reboot, when the system says. */
  rebootPackages: string[];
  /** True when the package lists were refreshed (apt-get update, dnf makecache) during this scan. */
  refreshed: boolean;
  /** Non-fatal problems worth showing (stale lists, sudo unavailable for refresh...). */
  warnings: string[];
}

export interface ScanOptions {
  /** Refresh package metadata first; needs root or sudo. 'auto' refreshes when root or sudo -n works. */
  refresh: 'auto' | 'always' | 'never';
  /** The login is root or may use `sudo -n`. */
  privileged: boolean;
}

/** An exact package version to install (a patch) or to go back to (a rollback). */
export interface PinnedVersion {
  name: string;
  /** dpkg architecture; `all` for architecture-independent packages. */
  arch: string;
  version: string;
}

export interface PackageState {
  name: string;
  /** Empty when the package manager does not know the package at all. */
  arch: string;
  /** null = not installed (unknown, removed, or only its config files left). */
  version: string | null;
  /** dpkg status `install ok installed` (or `hold ok installed`): fully unpacked and configured. */
  healthy: boolean;
}

export type PrecheckProblemCode = 'disk-space' | 'package-lock' | 'broken-packages';

export interface PrecheckResult {
  ok: boolean;
  problems: { code: PrecheckProblemCode; message: string }[];
  /** What the precheck could not tell (no /proc/locks...): not problems, worth showing. */
  warnings?: string[];
}

export interface PrecheckOptions {
  /** Free space wanted on /var (and /), in MiB. */
  minFreeMb: number;
}

export interface InstallOptions {
  /** Needed for a rollback: apt refuses to go to a lower version without it. */
  allowDowngrades: boolean;
  /** How long apt waits for another apt or dpkg to release its lock before failing. */
  lockWaitSeconds: number;
  /**
   * How long we wait for the whole install before giving up on it (SshError 'command-timeout'); default
   * the lock wait plus 20 minutes. apt itself is not stopped by this: it runs on to completion on the host.
   */
  timeoutMs?: number;
}

export interface InstallResult {
  /** Whether dpkg changed anything (a package upgraded, downgraded, installed, reinstalled or removed). */
  changed: boolean;
  /** The last ~4 kB of apt's output, for the audit log. */
  output: string;
  /** The packages asked for, as dpkg reports them after the install (each at its pinned version). */
  packages?: PackageState[];
  /** The log file on the host with apt's whole output. */
  logPath?: string;
  /** True when a pinned version was unknown at first and `apt-get update` was run before the retry. */
  refreshed?: boolean;
}

/**
 * One module per package manager (apt, dnf, zypper, apk), each in its own folder. Parsing is pure and
 * tested on real outputs; the other methods only sequence commands on a RemoteShell.
 */
export interface PackageManager {
  readonly id: PackageManagerId;
  readonly versionScheme: VersionScheme;
  /** Does this module manage a host with this os-release? */
  handles(os: OsRelease): boolean;
  scan(shell: RemoteShell, options: ScanOptions): Promise<PackageScan>;
  /** Read-only checks before a patch: free space, a package-manager lock held by another process, broken packages. */
  precheck(shell: RemoteShell, options: PrecheckOptions): Promise<PrecheckResult>;
  /** The installed state of these packages (`name` or `name:arch`), in one command; unknown ones have version null. */
  packageStates(shell: RemoteShell, names: string[]): Promise<PackageState[]>;
  /** Install exactly these versions (root). Throws PackageInstallError when the package manager fails. */
  install(shell: RemoteShell, packages: PinnedVersion[], options: InstallOptions): Promise<InstallResult>;
  /** The host asks for a reboot (a new kernel, libc...). */
  rebootRequired(shell: RemoteShell): Promise<boolean>;
}
