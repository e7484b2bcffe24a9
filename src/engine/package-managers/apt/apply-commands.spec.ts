import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPackageSpecError } from '../errors.js';
import {
  aptInstallCommand,
  aptPackageStatesCommand,
  readInstallCommand,
  readPackageStatesCommand,
} from './apply-commands.js';
import {
  aptInstallArgument,
  assertPinnedVersions,
  isDebianPackageName,
  isDebianVersion,
} from './validate.js';

const hostile = [
  'x;rm -rf /',
  '$(id)',
  '`id`',
  'a b',
  "it's",
  'web&&reboot',
  'web|sh',
  '-oAPT::Get::Foo=1',
  '--allow-unauthenticated',
  'web\nid',
  'web>out',
  'Web',
  'w',
  '',
  'a*',
  'web=1.0',
  '../etc',
];

describe('validators', () => {
  it('accept Debian names, architectures and versions', () => {
    for (const name of [
      'libssl3',
      'g++',
      'libstdc++6',
      'linux-image-6.1.0-28-amd64',
      'python3.11',
      'xz-utils',
    ])
      expect(isDebianPackageName(name), name).toBe(true);
    for (const version of [
      '1.0-1',
      '1:1.0~rc1-1',
      '2:1.8-58+deb9u1',
      '6.1.123-1',
      '3.0.15-1~deb12u1',
      '1.2.3',
      '1:2.38.1-5+deb12u3',
    ])
      expect(isDebianVersion(version), version).toBe(true);
  });

  it.each(hostile)('refuse %j as a name, before any command is built', (name) => {
    expect(isDebianPackageName(name)).toBe(false);
    expect(() => aptPackageStatesCommand([name])).toThrowError(InvalidPackageSpecError);
    expect(() =>
      aptInstallCommand([{ name, arch: 'amd64', version: '1.0-1' }], {
        allowDowngrades: false,
        lockWaitSeconds: 0,
      }),
    ).toThrowError(InvalidPackageSpecError);
  });

  it('refuse hostile versions and architectures', () => {
    for (const version of ['1.0;id', '$(id)', '`id`', '1.0 -o', '-1', 'a1.0', '1:2:3:x y', '1.0\n', '1:']) {
      expect(isDebianVersion(version), version).toBe(false);
      expect(() => assertPinnedVersions([{ name: 'bash', arch: 'amd64', version }])).toThrowError(
        /invalid package version/,
      );
    }
    for (const arch of ['amd64;id', 'AMD64', '', 'all $(id)', '-o'])
      expect(() => assertPinnedVersions([{ name: 'bash', arch, version: '1.0-1' }])).toThrowError(
        /invalid package arch/,
      );
    // a colon in the upstream version only with an epoch
    expect(isDebianVersion('1.0:2-1')).toBe(false);
    expect(isDebianVersion('1:1.0:2-1')).toBe(true);
  });

  it('refuse a package named twice', () => {
    const pkg = { name: 'bash', arch: 'amd64', version: '5.2-1' };
    expect(() => assertPinnedVersions([pkg, { ...pkg, version: '5.2-2' }])).toThrowError(/named twice/);
    expect(() => assertPinnedVersions([{ ...pkg, arch: 'all' }, pkg])).toThrowError(/named twice/);
  });

  it('say which value is wrong without echoing control characters raw', () => {
    expect(() => aptPackageStatesCommand(['web\nid'])).toThrowError(
      'invalid package name "web\\nid": not a Debian package name',
    );
  });

  it('never let a random string through that is not a plain Debian word', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (isDebianPackageName(text)) expect(text).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
        if (isDebianVersion(text)) expect(text).toMatch(/^[0-9][A-Za-z0-9.+~:-]*$/);
      }),
    );
  });
});

describe('install command', () => {
  const options = { allowDowngrades: false, lockWaitSeconds: 120 };

  it('pins name:arch=version, name=version for arch all, with the options asked for', () => {
    expect(aptInstallArgument({ name: 'libssl3', arch: 'amd64', version: '3.0.15-1~deb12u1' })).toBe(
      'libssl3:amd64=3.0.15-1~deb12u1',
    );
    const command = aptInstallCommand(
      [
        { name: 'libssl3', arch: 'amd64', version: '3.0.15-1~deb12u1' },
        { name: 'tzdata', arch: 'all', version: '2024a-0+deb12u1' },
      ],
      options,
    );
    expect(command).toContain(
      "install -y -q --no-remove --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=120 'libssl3:amd64=3.0.15-1~deb12u1' tzdata=2024a-0+deb12u1 </dev/null",
    );
    expect(command).not.toContain('--allow-downgrades');
    expect(command).toContain('export LC_ALL=C DEBIAN_FRONTEND=noninteractive');
    expect(command).toMatch(/^setsid -w sh -c /m);
    expect(
      aptInstallCommand([{ name: 'tzdata', arch: 'all', version: '2024a-0+deb12u1' }], {
        ...options,
        allowDowngrades: true,
      }),
    ).toContain(' --allow-downgrades tzdata=2024a-0+deb12u1');
  });

  it('refuses a lock wait that is not whole seconds', () => {
    const pkg = [{ name: 'bash', arch: 'amd64', version: '5.2-1' }];
    for (const lockWaitSeconds of [-1, 1.5, Number.NaN, 1e9])
      expect(() => aptInstallCommand(pkg, { ...options, lockWaitSeconds })).toThrowError(RangeError);
  });

  it('is read back exactly by the recognisers (the simulator relies on them)', () => {
    const packages = [
      { name: 'patchops-demo-epoch', arch: 'all', version: '1:1.0~rc1-1' },
      { name: 'libc6', arch: 'i386', version: '2.36-9+deb12u4' },
    ];
    for (const allowDowngrades of [false, true]) {
      const command = aptInstallCommand(packages, { allowDowngrades, lockWaitSeconds: 7 });
      expect(readInstallCommand(command)).toEqual({ packages, allowDowngrades, lockWaitSeconds: 7 });
      expect(readInstallCommand(`${command} `)).toBeUndefined();
      expect(readInstallCommand(command.replace('libc6:i386', 'libc6:i386;id'))).toBeUndefined();
    }
    const states = aptPackageStatesCommand(['bash', 'libc6:i386']);
    expect(readPackageStatesCommand(states)).toEqual(['bash', 'libc6:i386']);
    expect(readPackageStatesCommand(`${states};id`)).toBeUndefined();
    expect(readPackageStatesCommand('true')).toBeUndefined();
  });
});
