import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OutputParseError } from '../errors.js';
import {
  classifyInstallFailure,
  decodeDevice,
  parseAptSummary,
  parseDf,
  parsePackageStates,
  parseProcLocks,
  readInstallOutput,
  readPrecheckOutput,
  summaryChanges,
} from './apply-parse.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('precheck output captured on a lab host (Debian 12 minbase, as user patchops)', () => {
  it('is ok on a fresh host', () => {
    expect(readPrecheckOutput(fixture('debian12-lab-precheck.txt'), 100)).toEqual({ ok: true, problems: [] });
  });

  it('reports too little space once per filesystem', () => {
    const result = readPrecheckOutput(fixture('debian12-lab-precheck.txt'), 100_000_000);
    expect(result.problems).toEqual([
      { code: 'disk-space', message: expect.stringMatching(/^\/ has \d+ MiB free, 100000000 MiB wanted$/) },
    ]);
  });

  it('names the holder of a lock taken by a perl fcntl lock', () => {
    expect(readPrecheckOutput(fixture('debian12-lab-precheck-locked.txt'), 100)).toEqual({
      ok: false,
      problems: [
        {
          code: 'package-lock',
          message: '/var/lib/dpkg/lock-frontend is locked by process 18367 (lockholder)',
        },
      ],
    });
  });

  it('names every lock a running apt-get holds', () => {
    const result = readPrecheckOutput(fixture('debian12-lab-precheck-apt-running.txt'), 100);
    expect(result.problems.map((p) => p.message)).toEqual([
      '/var/lib/dpkg/lock-frontend is locked by process 18620 (apt-get)',
      '/var/lib/dpkg/lock is locked by process 18620 (apt-get)',
      '/var/cache/apt/archives/lock is locked by process 18620 (apt-get)',
    ]);
  });

  it('ignores a lock on the same inode of another device (another overlay host, the machine itself)', () => {
    const text = fixture('debian12-lab-precheck-locked.txt').replace('00:27:1535203', '00:29:1535203');
    expect(readPrecheckOutput(text, 100).ok).toBe(true);
  });

  it('reports unfinished packages when dpkg --audit cannot run as a non-root user', () => {
    expect(readPrecheckOutput(fixture('debian12-lab-precheck-broken.txt'), 100)).toEqual({
      ok: false,
      problems: [
        {
          code: 'broken-packages',
          message:
            'dpkg left 1 package(s) unfinished: patchops-demo-web 1.0-2 (install ok unpacked); run dpkg --configure -a',
        },
      ],
    });
  });

  it('passes on what dpkg --audit says as root', () => {
    const audit = [
      'The following packages have been unpacked but not yet configured.',
      ' patchops-demo-web    patchops lab test package patchops-demo-web',
    ].join('\n');
    const text = fixture('debian12-lab-precheck.txt').replace(
      '@@patchops:section dpkg-audit\n',
      `@@patchops:section dpkg-audit\n${audit}\n`,
    );
    const [problem] = readPrecheckOutput(text, 100).problems;
    expect(problem?.code).toBe('broken-packages');
    expect(problem?.message).toMatch(/^dpkg --audit: The following packages have been unpacked/);
  });

  it('warns instead of guessing when /proc/locks cannot be read', () => {
    const text = fixture('debian12-lab-precheck.txt').replace(
      /(section proc-locks\n)@@patchops:exit 0/,
      '$1@@patchops:exit 1',
    );
    expect(readPrecheckOutput(text, 100)).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/\/proc\/locks/)],
    });
  });

  it('fails on output cut short', () => {
    expect(() => readPrecheckOutput('@@patchops:section df\nFilesystem', 1)).toThrowError(OutputParseError);
  });
});

describe('precheck pieces', () => {
  it('decodes dev_t as glibc encodes it', () => {
    expect(decodeDevice('39')).toEqual({ major: 0, minor: 0x27 });
    expect(decodeDevice(String(0xfe00))).toEqual({ major: 0xfe, minor: 0 });
    expect(decodeDevice(String((259 << 8) | 1))).toEqual({ major: 259, minor: 1 });
    expect(decodeDevice(String(0x01000300))).toEqual({ major: 3, minor: 0x1000 });
  });

  it('reads /proc/locks lines: POSIX, OFD, waiters', () => {
    const locks = parseProcLocks(
      [
        '1: POSIX  ADVISORY  WRITE 18620 00:27:1535203 0 EOF',
        '2: OFDLCK ADVISORY  WRITE -1 fe:01:42 0 EOF',
        '2: -> POSIX  ADVISORY  WRITE 300 fe:01:42 0 EOF',
      ].join('\n'),
    );
    expect(locks).toEqual([
      { waiting: false, kind: 'POSIX', access: 'WRITE', pid: 18620, major: 0, minor: 0x27, inode: '1535203' },
      { waiting: false, kind: 'OFDLCK', access: 'WRITE', pid: -1, major: 0xfe, minor: 1, inode: '42' },
      { waiting: true, kind: 'POSIX', access: 'WRITE', pid: 300, major: 0xfe, minor: 1, inode: '42' },
    ]);
  });

  it('reads df -P with a filesystem name holding spaces', () => {
    const text = 'Filesystem 1024-blocks Used Available Capacity Mounted on\nmy disk 100 50 2048 50% /var\n';
    expect(parseDf(text)).toEqual([{ filesystem: 'my disk', availableKb: 2048, mountedOn: '/var' }]);
  });
});

describe('parsePackageStates', () => {
  const states = fixture('debian12-lab-states.txt');

  it('answers in the order asked, unknown names and architectures as not installed', () => {
    expect(
      parsePackageStates(states, [
        'patchops-demo-web',
        'patchops-demo-libssl3',
        'no-such-package',
        'patchops-demo-web:amd64',
      ]),
    ).toEqual([
      { name: 'patchops-demo-web', arch: 'all', version: '1.0-1', healthy: true },
      { name: 'patchops-demo-libssl3', arch: 'all', version: '3.0.11-1', healthy: true },
      { name: 'no-such-package', arch: '', version: null, healthy: false },
      { name: 'patchops-demo-web', arch: 'amd64', version: null, healthy: false },
    ]);
  });

  it('marks half-way packages unhealthy, removed ones not installed, keeps both architectures', () => {
    expect(parsePackageStates(fixture('debian12-lab-states-unpacked.txt'), ['patchops-demo-web'])).toEqual([
      { name: 'patchops-demo-web', arch: 'all', version: '1.0-2', healthy: false },
    ]);
    const text = [
      'libc6\tamd64\t2.36-9+deb12u4\tinstall ok installed',
      'libc6\ti386\t2.36-9+deb12u4\thold ok installed',
      'oldpkg\tamd64\t1.0-1\tdeinstall ok config-files',
      'gone\t\t\tunknown ok not-installed',
      '',
    ].join('\n');
    expect(parsePackageStates(text, ['libc6', 'oldpkg', 'gone'])).toEqual([
      { name: 'libc6', arch: 'amd64', version: '2.36-9+deb12u4', healthy: true },
      { name: 'libc6', arch: 'i386', version: '2.36-9+deb12u4', healthy: true },
      { name: 'oldpkg', arch: 'amd64', version: null, healthy: false },
      { name: 'gone', arch: '', version: null, healthy: false },
    ]);
  });

  it('refuses lines it cannot read', () => {
    expect(() => parsePackageStates('bash amd64 5.2\n', ['bash'])).toThrowError(OutputParseError);
    expect(() => parsePackageStates('ba$h\tamd64\t5.2-1\tinstall ok installed\n', ['bash'])).toThrowError(
      /invalid package name/,
    );
  });
});

describe('install output captured on a lab host', () => {
  it('an upgrade: log path, tail, summary, dpkg state after', () => {
    const output = readInstallOutput(fixture('debian12-lab-install-upgrade.txt'));
    expect(output.complete).toBe(true);
    expect(output.logPath).toMatch(/^\/var\/log\/patchops\/apply-20261121T\d{6}Z-\d+\.log$/);
    expect(output.aptExitCode).toBe(0);
    expect(output.tail).toContain('Setting up patchops-demo-web (1.0-2) ...');
    expect(output.tail).not.toContain('@@patchops');
    expect(output.summary).toEqual({
      upgraded: 1,
      newlyInstalled: 0,
      downgraded: 0,
      reinstalled: 0,
      removed: 0,
      notUpgraded: 5,
    });
    expect(summaryChanges(output.summary!)).toBe(true);
    expect(parsePackageStates(output.statesText, ['patchops-demo-web'])[0]?.version).toBe('1.0-2');
  });

  it('a second run changes nothing', () => {
    const output = readInstallOutput(fixture('debian12-lab-install-noop.txt'));
    expect(output.tail).toContain('patchops-demo-web is already the newest version (1.0-2).');
    expect(summaryChanges(output.summary!)).toBe(false);
  });

  it('a downgrade counts as a change; refused without --allow-downgrades', () => {
    const done = readInstallOutput(fixture('debian12-lab-install-downgrade.txt'));
    expect(done.summary?.downgraded).toBe(1);
    expect(summaryChanges(done.summary!)).toBe(true);
    const refused = readInstallOutput(fixture('debian12-lab-install-downgrade-refused.txt'));
    expect(refused.aptExitCode).toBe(100);
    expect(classifyInstallFailure(refused.tail)).toEqual({
      reason: 'apt-failed',
      message: 'E: Packages were downgraded and -y was used without --allow-downgrades.',
    });
  });

  it('tells an unknown version and a lock that stayed taken', () => {
    const unknown = readInstallOutput(fixture('debian12-lab-install-version-not-found.txt'));
    expect(classifyInstallFailure(unknown.tail)).toEqual({
      reason: 'version-not-found',
      message: "E: Version '1.0-9' for 'patchops-demo-web' was not found",
    });
    const locked = readInstallOutput(fixture('debian12-lab-install-lock-timeout.txt'));
    expect(classifyInstallFailure(locked.tail).reason).toBe('lock-timeout');
    // the chroot's "Can not write log (Is /dev/pts mounted?)" is not apt's reason
    const upgrade = readInstallOutput(fixture('debian12-lab-install-upgrade.txt'));
    expect(classifyInstallFailure(upgrade.tail).message).not.toMatch(/dev\/pts/);
  });

  it('drops the first line when tail -c cut it in half', () => {
    const long = `${'x'.repeat(5000)}\nline two\n`.slice(-4096);
    const stdout = `@@patchops:section log\n/l\n@@patchops:section apt-get\n${long}@@patchops:exit 0\n\n@@patchops:end\n`;
    expect(readInstallOutput(stdout).tail).toBe('line two\n');
  });

  it('keeps what came when the output was cut short', () => {
    const output = readInstallOutput(
      '@@patchops:section log\n/var/log/patchops/apply-x.log\n@@patchops:section apt-get\nReading',
    );
    expect(output).toMatchObject({
      complete: false,
      logPath: '/var/log/patchops/apply-x.log',
      aptExitCode: undefined,
    });
  });

  it('reads every form of apt summary line', () => {
    expect(
      parseAptSummary('2 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.')?.newlyInstalled,
    ).toBe(1);
    expect(
      parseAptSummary('0 upgraded, 0 newly installed, 1 reinstalled, 0 to remove and 3 not upgraded.'),
    ).toMatchObject({
      reinstalled: 1,
      notUpgraded: 3,
    });
    expect(parseAptSummary('nothing here')).toBeUndefined();
  });
});
