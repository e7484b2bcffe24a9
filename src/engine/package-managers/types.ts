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

/**
 * One module per package manager (apt, dnf, zypper, apk), each in its own folder. Parsing is pure and
 * tested on real outputs; scan() only sequences commands on a RemoteShell. Apply and rollback join the
 * interface with the rollout work.
 */
export interface PackageManager {
  readonly id: PackageManagerId;
  readonly versionScheme: VersionScheme;
  /** Does this module manage a host with this os-release? */
  handles(os: OsRelease): boolean;
  scan(shell: RemoteShell, options: ScanOptions): Promise<PackageScan>;
}
