import { describe, expect, it } from 'vitest';
import { parseOsvEcosystem } from './ecosystems.js';

describe('parseOsvEcosystem', () => {
  it.each([
    ['Debian:12', 'debian', '12', undefined, 'dpkg', 'source'],
    ['Debian:11', 'debian', '11', undefined, 'dpkg', 'source'],
    ['Ubuntu:22.04:LTS', 'ubuntu', '22.04', undefined, 'dpkg', 'source'],
    ['Ubuntu:24.04:LTS', 'ubuntu', '24.04', undefined, 'dpkg', 'source'],
    ['Ubuntu:24.10', 'ubuntu', '24.10', undefined, 'dpkg', 'source'],
    ['Ubuntu:Pro:16.04:LTS', 'ubuntu', '16.04', 'Pro', 'dpkg', 'source'],
    ['Ubuntu:Pro:FIPS-updates:20.04:LTS', 'ubuntu', '20.04', 'Pro:FIPS-updates', 'dpkg', 'source'],
    ['AlmaLinux:9', 'almalinux', '9', undefined, 'rpm', 'binary'],
    ['Rocky Linux:9', 'rocky', '9', undefined, 'rpm', 'binary'],
    ['Alpine:v3.20', 'alpine', '3.20', undefined, 'apk', 'source'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'suse', '15.5', 'Linux Enterprise Server', 'rpm', 'binary'],
    ['SUSE:Linux Enterprise Server 15', 'suse', '15', 'Linux Enterprise Server', 'rpm', 'binary'],
    ['SUSE:Linux Micro 6.0', 'suse', '6.0', 'Linux Micro', 'rpm', 'binary'],
    ['openSUSE:Leap 15.6', 'opensuse', '15.6', 'Leap', 'rpm', 'binary'],
    ['openSUSE:Tumbleweed', 'opensuse', 'tumbleweed', 'Tumbleweed', 'rpm', 'binary'],
  ])('%s', (ecosystem, distribution, release, variant, scheme, matchOn) => {
    expect(parseOsvEcosystem(ecosystem)).toEqual({
      ecosystem,
      distribution,
      release,
      ...(variant ? { variant } : {}),
      scheme,
      matchOn,
    });
  });

  it.each([
    'PyPI',
    'npm',
    'Debian',
    'Ubuntu',
    'Debian:sid',
    'Ubuntu:Pro',
    'Ubuntu:22.04:ESM',
    'Alpine:3.20',
    'AlmaLinux:9.4',
    'Red Hat:enterprise_linux:9::appstream',
    'Mageia:9',
    'Linux',
  ])('does not handle %s', (ecosystem) => {
    expect(parseOsvEcosystem(ecosystem)).toBeUndefined();
  });
});
