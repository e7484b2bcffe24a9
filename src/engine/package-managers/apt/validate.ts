import { InvalidPackageSpecError } from '../errors.js';
import type { PinnedVersion } from '../types.js';

/**
 * The one place where package names, architectures and versions are checked before they go anywhere near
 * a shell. Every command of the apt module interpolates them through `sh` (quoted) as well, but a value
 * that is not a Debian name or version has no business in a command at all: it is refused with a clear
 * error before any command is built. None of the three may start with "-", so none can pass for an option.
 */

/** Debian policy §5.6.1: at least two characters, lowercase letters, digits, + - . , starting alphanumeric. */
export const debianPackageName = /^[a-z0-9][a-z0-9+.-]+$/;
/** dpkg architecture names (amd64, arm64, all, musl-linux-amd64, ...). */
export const debianArch = /^[a-z0-9][a-z0-9-]*$/;
/**
 * Debian policy §5.6.12: [epoch:]upstream[-revision]; the upstream part starts with a digit and may hold
 * a colon only when there is an epoch. Characters: letters, digits, . + ~ - and the epoch's colon.
 */
const debianVersionShape = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*)$/;
const maxLength = 200;

export function isDebianPackageName(name: string): boolean {
  return name.length <= maxLength && debianPackageName.test(name);
}

export function isDebianArch(arch: string): boolean {
  return arch.length <= 64 && debianArch.test(arch);
}

export function isDebianVersion(version: string): boolean {
  if (version.length > maxLength) return false;
  const match = debianVersionShape.exec(version);
  if (!match) return false;
  const upstream = match[2]!;
  return !upstream.includes(':') || match[1] !== undefined;
}

export function assertPackageName(name: unknown): string {
  if (typeof name !== 'string' || !isDebianPackageName(name))
    throw new InvalidPackageSpecError('name', name, 'not a Debian package name ([a-z0-9][a-z0-9+.-]+)');
  return name;
}

export function assertArch(arch: unknown): string {
  if (typeof arch !== 'string' || !isDebianArch(arch))
    throw new InvalidPackageSpecError(
      'arch',
      arch,
      'not a Debian architecture ([a-z0-9-]+, not starting with -)',
    );
  return arch;
}

export function assertVersion(version: unknown): string {
  if (typeof version !== 'string' || !isDebianVersion(version))
    throw new InvalidPackageSpecError(
      'version',
      version,
      'not a Debian version ([epoch:]upstream[-revision])',
    );
  return version;
}

/** A name as dpkg-query takes it: `name` or `name:arch`. */
export function assertPackageQuery(query: unknown): { name: string; arch?: string } {
  if (typeof query !== 'string')
    throw new InvalidPackageSpecError('name', query, 'not a Debian package name ([a-z0-9][a-z0-9+.-]+)');
  const colon = query.indexOf(':');
  if (colon < 0) return { name: assertPackageName(query) };
  try {
    return { name: assertPackageName(query.slice(0, colon)), arch: assertArch(query.slice(colon + 1)) };
  } catch {
    throw new InvalidPackageSpecError('name', query, 'not a Debian package name, optionally with :arch');
  }
}

/** Every field checked, and no package named twice (apt cannot install two versions of one package). */
export function assertPinnedVersions(packages: readonly PinnedVersion[]): PinnedVersion[] {
  const seen = new Set<string>();
  return packages.map((pkg) => {
    if (typeof pkg !== 'object' || pkg === null)
      throw new InvalidPackageSpecError('package', pkg, 'not a {name, arch, version} object');
    const pinned = {
      name: assertPackageName(pkg.name),
      arch: assertArch(pkg.arch),
      version: assertVersion(pkg.version),
    };
    const key = pinned.arch === 'all' ? pinned.name : `${pinned.name}:${pinned.arch}`;
    if (seen.has(key) || seen.has(pinned.name))
      throw new InvalidPackageSpecError('package', key, 'named twice in one install');
    seen.add(key);
    if (pinned.arch === 'all') seen.add(pinned.name);
    return pinned;
  });
}

/** What apt-get install is told: `name:arch=version`, or `name=version` for Architecture: all packages. */
export function aptInstallArgument(pkg: PinnedVersion): string {
  return pkg.arch === 'all' ? `${pkg.name}=${pkg.version}` : `${pkg.name}:${pkg.arch}=${pkg.version}`;
}
