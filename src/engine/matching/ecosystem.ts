import type { HostEcosystem } from '../advisories/types.js';

/**
 * The OSV ecosystem a host's advisories are published under, from /etc/os-release ID and VERSION_ID.
 * Undefined for distributions without an OSV feed (or not supported yet): such hosts get no findings.
 */
export function hostEcosystem(osId: string, versionId: string): HostEcosystem | undefined {
  const [major = '', minor = ''] = versionId.split('.');
  switch (osId) {
    case 'debian':
      return /^\d+$/.test(major)
        ? { ecosystem: `Debian:${major}`, scheme: 'dpkg', matchOn: 'source' }
        : undefined;
    case 'ubuntu': {
      if (!/^\d+$/.test(major) || !/^\d+$/.test(minor)) return undefined;
      // LTS releases are the even years' April releases, and OSV names them so.
      const lts = Number(major) % 2 === 0 && minor === '04' ? ':LTS' : '';
      return { ecosystem: `Ubuntu:${major}.${minor}${lts}`, scheme: 'dpkg', matchOn: 'source' };
    }
    case 'almalinux':
      return { ecosystem: `AlmaLinux:${major}`, scheme: 'rpm', matchOn: 'binary' };
    case 'rocky':
      return { ecosystem: `Rocky Linux:${major}`, scheme: 'rpm', matchOn: 'binary' };
    case 'alpine':
      // Alpine's secdb and OSV name the origin (source) package, as apk's `o:` field does.
      return minor ? { ecosystem: `Alpine:v${major}.${minor}`, scheme: 'apk', matchOn: 'source' } : undefined;
    case 'sles':
    case 'sled':
      return minor
        ? { ecosystem: `SUSE:Linux Enterprise Server ${major} SP${minor}`, scheme: 'rpm', matchOn: 'binary' }
        : { ecosystem: `SUSE:Linux Enterprise Server ${major}`, scheme: 'rpm', matchOn: 'binary' };
    case 'opensuse-leap':
      return { ecosystem: `openSUSE:Leap ${major}.${minor}`, scheme: 'rpm', matchOn: 'binary' };
    default:
      return undefined;
  }
}
