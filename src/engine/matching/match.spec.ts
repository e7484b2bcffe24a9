import { describe, expect, it } from 'vitest';
import type { HostEcosystem } from '../advisories/types.js';
import type { InstalledPackage } from '../package-managers/types.js';
import { compareVersions } from '../versioning/index.js';
import { hostEcosystem } from './ecosystem.js';
import { type AdvisoryCandidate, affectedBy, buildIndex, matchHost } from './match.js';

const debian12: HostEcosystem = { ecosystem: 'Debian:12', scheme: 'dpkg', matchOn: 'source' };

const pkg = (name: string, version: string, source = name, sourceVersion = version): InstalledPackage => ({
  name,
  version,
  arch: 'amd64',
  sourceName: source,
  sourceVersion,
});

const candidate = (
  advisoryId: string,
  cves: string[],
  ranges: AdvisoryCandidate['ranges'],
  versions: string[] = [],
) => ({
  advisoryId,
  cves,
  ranges,
  versions,
});

describe('hostEcosystem', () => {
  it.each([
    ['debian', '12', 'Debian:12', 'dpkg'],
    ['ubuntu', '22.04', 'Ubuntu:22.04:LTS', 'dpkg'],
    ['ubuntu', '23.10', 'Ubuntu:23.10', 'dpkg'],
    ['almalinux', '9.4', 'AlmaLinux:9', 'rpm'],
    ['rocky', '9.3', 'Rocky Linux:9', 'rpm'],
    ['alpine', '3.20.1', 'Alpine:v3.20', 'apk'],
    ['sles', '15.5', 'SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
    ['opensuse-leap', '15.6', 'openSUSE:Leap 15.6', 'rpm'],
  ])('%s %s → %s', (id, version, ecosystem, scheme) => {
    expect(hostEcosystem(id, version)).toMatchObject({ ecosystem, scheme });
  });

  it('has no ecosystem for unknown distributions', () => {
    expect(hostEcosystem('gentoo', '2.14')).toBeUndefined();
  });
});

describe('affectedBy', () => {
  const check = (version: string, c: AdvisoryCandidate) => affectedBy('dpkg', version, c, compareVersions);

  it('treats introduced ≤ v < fixed as affected, with the fix', () => {
    const c = candidate('DSA-1', ['CVE-2024-1'], [{ introduced: '0', fixed: '1:1.0-1' }]);
    expect(check('1:1.0~rc1-1', c)).toEqual({ affected: true, fixed: '1:1.0-1' });
    expect(check('1:1.0-1', c)).toEqual({ affected: false, fixed: null });
    expect(check('1.9-1', c)).toEqual({ affected: true, fixed: '1:1.0-1' }); // no epoch sorts below epoch 1
  });

  it('honours introduced, last_affected, open ranges and explicit versions', () => {
    expect(check('2.0-1', candidate('X', [], [{ introduced: '2.1-1', fixed: '2.2-1' }])).affected).toBe(
      false,
    );
    expect(check('2.1-1', candidate('X', [], [{ introduced: '2.0-1', lastAffected: '2.1-1' }]))).toEqual({
      affected: true,
      fixed: null,
    });
    expect(
      check('2.1-2', candidate('X', [], [{ introduced: '2.0-1', lastAffected: '2.1-1' }])).affected,
    ).toBe(false);
    expect(check('9.9-9', candidate('X', [], [{ introduced: '0' }]))).toEqual({
      affected: true,
      fixed: null,
    });
    expect(check('1.5-1', candidate('X', [], [], ['1.5-1'])).affected).toBe(true);
  });
});

describe('matchHost', () => {
  const index = buildIndex([
    {
      package: 'openssl',
      ...candidate(
        'DSA-5001-1',
        ['CVE-2024-0001', 'CVE-2024-0002'],
        [{ introduced: '0', fixed: '3.0.13-1' }],
      ),
    },
    {
      package: 'openssl',
      ...candidate('DEBIAN-CVE-2024-0001', ['CVE-2024-0001'], [{ introduced: '0', fixed: '3.0.12-1' }]),
    },
    { package: 'openssl', ...candidate('DEBIAN-CVE-2024-0009', ['CVE-2024-0009'], [{ introduced: '0' }]) },
    {
      package: 'zlib',
      ...candidate('DSA-5002-1', ['CVE-2024-0100'], [{ introduced: '0', fixed: '1.2.13-1' }]),
    },
  ]);

  it('matches on source packages, groups binaries, merges advisories of one CVE with the highest fix', () => {
    const installed = [
      pkg('libssl3', '3.0.11-1', 'openssl', '3.0.11-1'),
      pkg('openssl', '3.0.11-1'),
      pkg('zlib1g', '1:1.2.13.dfsg-1', 'zlib', '1:1.2.13.dfsg-1'),
    ];
    expect(matchHost(debian12, installed, index, compareVersions)).toEqual([
      {
        package: 'openssl',
        binaryPackages: ['libssl3', 'openssl'],
        installedVersion: '3.0.11-1',
        vulnerability: 'CVE-2024-0001',
        cves: ['CVE-2024-0001'],
        advisories: ['DSA-5001-1', 'DEBIAN-CVE-2024-0001'],
        fixedVersion: '3.0.13-1',
      },
      expect.objectContaining({ vulnerability: 'CVE-2024-0002', fixedVersion: '3.0.13-1' }),
      expect.objectContaining({ vulnerability: 'CVE-2024-0009', fixedVersion: null }),
    ]);
  });

  it('finds nothing once the fixed version is installed', () => {
    const installed = [pkg('libssl3', '3.0.13-1', 'openssl', '3.0.13-1')];
    expect(matchHost(debian12, installed, index, compareVersions).map((m) => m.vulnerability)).toEqual([
      'CVE-2024-0009',
    ]);
  });

  it('names the advisory when it has no CVE, and matches binary names on RPM ecosystems', () => {
    const rpmIndex = buildIndex([
      {
        package: 'openssh',
        ...candidate('ALSA-2024:4312', [], [{ introduced: '0', fixed: '8.7p1-38.el9_4.1' }]),
      },
    ]);
    const alma: HostEcosystem = { ecosystem: 'AlmaLinux:9', scheme: 'rpm', matchOn: 'binary' };
    const found = matchHost(
      alma,
      [pkg('openssh', '8.7p1-38.el9', 'openssh-8.7p1-38.el9.src')],
      rpmIndex,
      compareVersions,
    );
    expect(found).toMatchObject([
      { vulnerability: 'ALSA-2024:4312', cves: [], fixedVersion: '8.7p1-38.el9_4.1' },
    ]);
  });
});
