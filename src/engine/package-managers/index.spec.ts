import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectPackageManager, osReleaseCommand, packageManagerById, packageManagers } from './index.js';
import { parseOsRelease } from './os-release.js';

const osOf = (name: string) =>
  parseOsRelease(readFileSync(new URL(`fixtures/os-release/${name}`, import.meta.url), 'utf8'));

describe('detectPackageManager', () => {
  it('gives apt to Debian and Ubuntu', () => {
    expect(detectPackageManager(osOf('debian-12.txt'))?.id).toBe('apt');
    expect(detectPackageManager(osOf('ubuntu-22.04.txt'))?.id).toBe('apt');
  });

  it('gives apt to a derivative through ID_LIKE', () => {
    const mint = parseOsRelease('ID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_ID="21.3"\n');
    const other = parseOsRelease('ID=my-distro\nID_LIKE=debian\n');
    expect(detectPackageManager(mint)?.id).toBe('apt');
    expect(detectPackageManager(other)?.versionScheme).toBe('dpkg');
  });

  it.each(['almalinux-9.txt', 'rocky-9.txt', 'sles-15.txt', 'opensuse-leap-15.6.txt', 'alpine-3.20.txt'])(
    'has no module yet for %s',
    (file) => {
      expect(detectPackageManager(osOf(file))).toBeUndefined();
    },
  );

  it('finds modules by id', () => {
    expect(packageManagerById('apt')).toBe(packageManagers[0]);
    expect(packageManagerById('dnf')).toBeUndefined();
  });
});

describe('osReleaseCommand', () => {
  it('reads /etc/os-release, falling back to /usr/lib/os-release', () => {
    expect(osReleaseCommand).toBe('cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release');
  });

  it('runs on this machine and yields an os-release that parses', () => {
    const os = parseOsRelease(execFileSync('sh', ['-c', osReleaseCommand], { encoding: 'utf8' }));
    expect(os.id).toMatch(/^[a-z0-9._-]+$/);
    expect(os.prettyName).not.toBe('');
  });
});
