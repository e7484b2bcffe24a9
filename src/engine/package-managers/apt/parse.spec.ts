import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputParseError } from '../errors.js';
import { isSecurityOrigin, parseAptListUpgradable, parseAptSimulation, parseDpkgQuery } from './parse.js';
import { splitScanOutput } from './sections.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const captured = splitScanOutput(fixture('debian12-scan.txt'));
const capturedDpkg = captured.get('dpkg-query')!.text;
const capturedSimulation = captured.get('apt-get')!.text;

describe('parseDpkgQuery on this machine (Debian 12, 811 packages)', () => {
  const { installed, unsettled } = parseDpkgQuery(capturedDpkg);
  const byName = new Map(installed.map((p) => [p.name, p]));

  it('lists every installed package, none half-way', () => {
    expect(installed).toHaveLength(811);
    expect(unsettled).toEqual([]);
  });

  it('keeps the source package and its own version (binNMU, epoch only on the binary)', () => {
    expect(byName.get('bash')).toEqual({
      name: 'bash',
      version: '5.2.15-2+b8',
      arch: 'amd64',
      sourceName: 'bash',
      sourceVersion: '5.2.15-2',
    });
    expect(byName.get('bsdutils')).toMatchObject({ version: '1:2.38.1-5+deb12u3', sourceName: 'util-linux' });
    expect(byName.get('bsdutils')?.sourceVersion).toBe('2.38.1-5+deb12u3');
    expect(byName.get('g++')).toMatchObject({
      version: '4:12.2.0-3',
      sourceName: 'gcc-defaults',
      sourceVersion: '1.203',
    });
    expect(byName.get('systemd')?.version).toMatch(/~deb12u/);
    expect(byName.get('apt-transport-https')).toMatchObject({ arch: 'all', sourceName: 'apt' });
  });
});

const row = (...fields: string[]) => fields.join('\t');

describe('parseDpkgQuery edge cases', () => {
  it('keeps foreign-architecture copies, skips removed ones, keeps and reports half-way states', () => {
    const text = [
      row('install ok installed', 'libc6', 'amd64', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4', 'glibc'),
      row('install ok installed', 'libc6', 'i386', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4', 'glibc'),
      row(
        'deinstall ok config-files',
        'linux-image-6.1.0-18-amd64',
        'amd64',
        '6.1.76-1',
        'linux',
        '6.1.76-1',
        '',
      ),
      row(
        'install ok half-installed',
        'libssl3',
        'amd64',
        '3.0.15-1~deb12u1',
        'openssl',
        '3.0.15-1~deb12u1',
        '',
      ),
      row('install ok unpacked', 'openssl', 'amd64', '3.0.15-1~deb12u1', 'openssl', '3.0.15-1~deb12u1', ''),
      row('install reinstreq half-installed', 'libfoo1', 'amd64', '1.0-1', 'foo', '1.0-1', 'foo'),
      row('hold ok installed', 'nginx', 'amd64', '1.22.1-9', 'nginx', '1.22.1-9', ''),
      row('install ok triggers-pending', 'man-db', 'amd64', '2.11.2-2', 'man-db', '2.11.2-2', ''),
      '',
    ].join('\n');
    const { installed, unsettled } = parseDpkgQuery(text);
    expect(installed.map((p) => `${p.name}:${p.arch}`)).toEqual([
      'libc6:amd64',
      'libc6:i386',
      'libssl3:amd64',
      'openssl:amd64',
      'libfoo1:amd64',
      'nginx:amd64',
      'man-db:amd64',
    ]);
    expect(unsettled).toEqual([
      { name: 'libssl3', status: 'install ok half-installed' },
      { name: 'openssl', status: 'install ok unpacked' },
      { name: 'libfoo1', status: 'install reinstreq half-installed' },
    ]);
  });

  it('falls back to the raw Source field when dpkg is older than 1.19', () => {
    const text = [
      row(
        'install ok installed',
        'bsdutils',
        'amd64',
        '1:2.29.2-1+deb9u1',
        '',
        '',
        'util-linux (2.29.2-1+deb9u1)',
      ),
      row('install ok installed', 'libssl1.1', 'amd64', '1.1.0l-1~deb9u6', '', '', 'openssl'),
      row('install ok installed', 'bash', 'amd64', '4.4-5', '', '', ''),
    ].join('\n');
    expect(parseDpkgQuery(text).installed.map((p) => [p.sourceName, p.sourceVersion])).toEqual([
      ['util-linux', '2.29.2-1+deb9u1'],
      ['openssl', '1.1.0l-1~deb9u6'],
      ['bash', '4.4-5'],
    ]);
  });

  it.each([
    [
      row('install ok installed', 'bash', 'amd64', '5.2'),
      /line 1 \(expected 7 tab-separated fields, got 4\)/,
    ],
    [row('install ok', 'bash', 'amd64', '5.2', 'bash', '5.2', ''), /status is not/],
    [row('install ok confused', 'bash', 'amd64', '5.2', 'bash', '5.2', ''), /unknown dpkg state "confused"/],
    [row('install ok installed', 'Bash Shell', 'amd64', '5.2', 'bash', '5.2', ''), /invalid package name/],
    [row('install ok installed', 'bash', 'amd64', '5.2 beta', 'bash', '5.2', ''), /invalid version/],
    [row('install ok installed', 'bash', 'amd64', 'x:5.2', 'bash', '5.2', ''), /invalid version/],
  ])('rejects %j with a clear error', (line, message) => {
    expect(() => parseDpkgQuery(`${line}\n`)).toThrowError(OutputParseError);
    expect(() => parseDpkgQuery(`${line}\n`)).toThrowError(message);
  });
});

describe('parseAptSimulation on this machine', () => {
  const simulation = parseAptSimulation(capturedSimulation);
  const listed = parseAptListUpgradable(fixture('debian12-apt-list-upgradable.txt'));
  const key = (u: { name: string; installedVersion: string; version: string; arch: string }) =>
    `${u.name} ${u.arch} ${u.installedVersion} -> ${u.version}`;

  it('finds the 117 updates that apt list --upgradable shows, with the same versions', () => {
    expect(simulation.updates).toHaveLength(117);
    expect(listed).toHaveLength(117);
    expect(simulation.updates.map(key).sort()).toEqual(listed.map(key).sort());
  });

  it('agrees with apt list --upgradable on which updates are security updates', () => {
    const securityOf = (updates: { name: string; security: boolean }[]) =>
      updates
        .filter((u) => u.security)
        .map((u) => u.name)
        .sort();
    expect(securityOf(simulation.updates)).toEqual(securityOf(listed));
    expect(securityOf(simulation.updates).length).toBeGreaterThan(40);
  });

  it('keeps every origin of a candidate, security or not', () => {
    const gcrypt = simulation.updates.find((u) => u.name === 'libgcrypt20');
    expect(gcrypt).toEqual({
      name: 'libgcrypt20',
      arch: 'amd64',
      installedVersion: '1.10.1-3',
      version: '1.10.1-3+deb12u1',
      origin: 'Debian:12.15/oldstable, Debian-Security:12/oldstable-security',
      security: true,
    });
    expect(simulation.updates.find((u) => u.name === 'bash')).toMatchObject({
      origin: 'Debian:12.15/oldstable',
      security: false,
    });
  });

  it('reads lines with trailing broken-dependency notes', () => {
    expect(simulation.updates.find((u) => u.name === 'libpam-modules-bin')?.version).toBe('1.5.2-6+deb12u2');
    expect(simulation.newPackages).toEqual([]);
    expect(simulation.removals).toEqual([]);
    expect(simulation.messages).toEqual([]);
  });

  it('reads a non-root run that carries apt\'s "only a simulation" note the same way', () => {
    const nonRoot = parseAptSimulation(fixture('debian12-apt-get-s-dist-upgrade.nonroot.txt'));
    expect(nonRoot).toEqual(simulation);
  });
});

describe('parseAptSimulation on Ubuntu-shaped output (hand-written)', () => {
  const simulation = parseAptSimulation(fixture('ubuntu2204-apt-get-s-dist-upgrade.handwritten.txt'));
  const update = (name: string, arch = 'amd64') =>
    simulation.updates.find((u) => u.name === name && u.arch === arch);

  it('separates updates from new packages, removals, kept-back and phased packages', () => {
    expect(simulation.updates).toHaveLength(13);
    expect(simulation.newPackages.map((p) => p.name)).toEqual([
      'linux-modules-5.15.0-119-generic',
      'linux-image-5.15.0-119-generic',
      'linux-headers-5.15.0-119',
      'linux-headers-5.15.0-119-generic',
    ]);
    expect(simulation.removals).toEqual(['python3-distro-info']);
    expect(simulation.keptBack).toEqual(['python3-software-properties', 'software-properties-common']);
    expect(simulation.deferred).toEqual(['ubuntu-advantage-tools']);
  });

  it('splits a foreign-architecture name from its :arch suffix', () => {
    expect(update('libc6', 'i386')).toMatchObject({ installedVersion: '2.35-0ubuntu3.6', security: true });
    expect(update('libc6', 'amd64')).toBeDefined();
  });

  it('classifies jammy-security as security and jammy-updates alone as not', () => {
    expect(update('libssl3')).toMatchObject({ origin: 'Ubuntu:22.04/jammy-security', security: true });
    expect(update('libstdc++6')).toMatchObject({ version: '12.3.0-1ubuntu1~22.04.1', security: false });
    expect(update('snapd')?.security).toBe(false);
  });

  it('reads epochs, labels with spaces and repositories without a Release file', () => {
    expect(update('docker-ce')).toMatchObject({
      installedVersion: '5:26.1.4-1~ubuntu.22.04~jammy',
      version: '5:27.1.1-1~ubuntu.22.04~jammy',
      origin: 'Docker CE:jammy',
      security: false,
    });
    expect(update('libfoo')).toMatchObject({ origin: 'localhost', security: false });
  });

  it('reads apt 3 headings for kept-back and phased packages', () => {
    const apt3 = parseAptSimulation(
      'Not upgrading:\n  foo bar\nNot upgrading yet due to phasing:\n  baz\nSummary:\n',
    );
    expect(apt3.keptBack).toEqual(['foo', 'bar']);
    expect(apt3.deferred).toEqual(['baz']);
  });
});

describe('parseAptSimulation errors', () => {
  it('names the line it cannot read', () => {
    const text = 'Reading package lists...\nInst bash [5.2] 5.2.1 Debian:12/stable amd64\n';
    expect(() => parseAptSimulation(text)).toThrowError(
      /apt-get -s output, line 2 .*"Inst bash \[5\.2\] 5\.2\.1/,
    );
  });

  it('rejects a version with spaces or a broken name', () => {
    expect(() => parseAptSimulation('Inst Bad_Name [1] (2 Debian:12/stable [amd64])')).toThrowError(
      /package name/,
    );
    expect(() => parseAptSimulation('Inst ok [1 0] (2 Debian:12/stable [amd64])')).toThrowError(
      /installed version/,
    );
  });

  it('passes on apt warnings and errors', () => {
    const text = 'W: Some index files failed to download.\nE: Unmet dependencies.\n';
    expect(parseAptSimulation(text).messages).toEqual([
      'W: Some index files failed to download.',
      'E: Unmet dependencies.',
    ]);
  });
});

describe('isSecurityOrigin', () => {
  it.each([
    ['Debian-Security:12/stable-security', true],
    ['Debian-Security:12/oldstable-security', true],
    ['Debian-Security:10/oldoldstable', true], // label alone decides on Debian
    ['Ubuntu:22.04/jammy-security', true],
    ['UbuntuESM:22.04/jammy-infra-security', true],
    ['Debian:9.13/stable/updates', true],
    ['stretch/updates', true],
    ['Debian:12.15/oldstable', false],
    ['Debian:12-updates/oldstable-updates', false],
    ['Ubuntu:22.04/jammy-updates', false],
    ['Example:1.0/updates', false], // a third-party suite merely called "updates"
    ['localhost', false],
    ['Docker CE:jammy', false],
  ])('%s → %s', (origin, expected) => {
    expect(isSecurityOrigin(origin)).toBe(expected);
  });
});

describe('parseAptSimulation properties', () => {
  const name = fc.stringMatching(/^[a-z0-9][a-z0-9+.-]{1,20}$/);
  const version = fc.stringMatching(/^(?:[0-9]{1,2}:)?[0-9][A-Za-z0-9.+~]{0,8}(?:-[A-Za-z0-9.+~]{1,8})?$/);
  const arch = fc.constantFrom('amd64', 'arm64', 'i386', 'all');
  const origin = fc.constantFrom(
    'Debian:12.5/stable',
    'Debian-Security:12/stable-security',
    'Ubuntu:24.04/noble-updates',
    'Ubuntu:24.04/noble-security',
    'Docker CE:jammy',
    'localhost',
  );

  it('reads back any well-formed Inst line', () => {
    fc.assert(
      fc.property(
        name,
        fc.boolean(),
        version,
        version,
        fc.array(origin, { minLength: 1, maxLength: 3 }),
        arch,
        (pkg, foreign, old, candidate, origins, pkgArch) => {
          const fullName = foreign ? `${pkg}:${pkgArch}` : pkg;
          const line = `Inst ${fullName} [${old}] (${candidate} ${origins.join(', ')} [${pkgArch}]) []`;
          const [update] = parseAptSimulation(line).updates;
          expect(update).toEqual({
            name: pkg,
            arch: pkgArch,
            installedVersion: old,
            version: candidate,
            origin: origins.join(', '),
            security: origins.some((o) => o.endsWith('-security')),
          });
        },
      ),
    );
  });
});
