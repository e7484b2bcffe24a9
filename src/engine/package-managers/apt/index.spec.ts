import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ShellCommand } from '../../shell/command.js';
import { type CommandResult, type RemoteShell, type RunOptions, SshError } from '../../ssh/types.js';
import { PackageScanError } from '../errors.js';
import { parseOsRelease } from '../os-release.js';
import type { ScanOptions } from '../types.js';
import { apt, aptRefreshCommand, aptScanCommand } from './index.js';

const capturedScan = readFileSync(new URL('fixtures/debian12-scan.txt', import.meta.url), 'utf8');
const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: '' });

/** Answers the apt module's commands with canned outputs and records what it was asked to run. */
class ScriptedShell implements RemoteShell {
  readonly hostName = 'web-01';
  readonly calls: { command: string; options: RunOptions | undefined }[] = [];
  constructor(private readonly answers: Map<string, CommandResult | (() => never)>) {}
  async run(command: ShellCommand, options?: RunOptions): Promise<CommandResult> {
    this.calls.push({ command, options });
    const answer = this.answers.get(command);
    if (answer === undefined) return { code: 127, stdout: '', stderr: `sh: 1: unknown command: ${command}` };
    return typeof answer === 'function' ? answer() : answer;
  }
}

function shellWith(scanStdout: string, refresh?: CommandResult | (() => never)): ScriptedShell {
  const answers = new Map<string, CommandResult | (() => never)>([[aptScanCommand, ok(scanStdout)]]);
  if (refresh) answers.set(aptRefreshCommand, refresh);
  return new ScriptedShell(answers);
}

const readOnly: ScanOptions = { refresh: 'never', privileged: false };

/** The captured scan output with one section's body replaced. */
function withSection(name: string, body: string): string {
  const pattern = new RegExp(`(@@patchops:section ${name}\\n)[\\s\\S]*?(?=@@patchops:(?:section|exit|end))`);
  return capturedScan.replace(pattern, `$1${body}`);
}

describe('apt.handles', () => {
  it('takes Debian-family hosts only', () => {
    expect(apt.handles(parseOsRelease('ID=debian\n'))).toBe(true);
    expect(apt.handles(parseOsRelease('ID=pop\nID_LIKE="ubuntu debian"\n'))).toBe(true);
    expect(apt.handles(parseOsRelease('ID=rocky\nID_LIKE="rhel centos fedora"\n'))).toBe(false);
  });
});

describe('apt scan on a captured Debian 12 host', () => {
  it('reads installed packages, updates and reboot state in one round trip', async () => {
    const shell = shellWith(capturedScan);
    const scan = await apt.scan(shell, readOnly);
    expect(shell.calls).toEqual([{ command: aptScanCommand, options: undefined }]);
    expect(scan.installed).toHaveLength(811);
    expect(scan.updates).toHaveLength(117);
    expect(scan.updates.filter((u) => u.security).length).toBe(66);
    expect(scan.rebootRequired).toBe(false);
    expect(scan.rebootPackages).toEqual([]);
    expect(scan.refreshed).toBe(false);
    // the lists were a few minutes old when captured
    expect(scan.warnings).toEqual([]);
  });

  it('sends every command under LC_ALL=C', () => {
    expect(aptScanCommand.startsWith('export LC_ALL=C\n')).toBe(true);
    expect(aptRefreshCommand).toBe('env LC_ALL=C apt-get -q update');
  });
});

describe('apt scan refresh', () => {
  it("refreshes with sudo when 'auto' and privileged", async () => {
    const shell = shellWith(capturedScan, ok('Hit:1 http://deb.debian.org/debian bookworm InRelease\n'));
    const scan = await apt.scan(shell, { refresh: 'auto', privileged: true });
    expect(shell.calls.map((c) => [c.command, c.options?.sudo])).toEqual([
      [aptRefreshCommand, true],
      [aptScanCommand, undefined],
    ]);
    expect(scan.refreshed).toBe(true);
  });

  it('passes on the warnings of a refresh that succeeded', async () => {
    const stderr = 'W: GPG error: https://example.org stable InRelease: NO_PUBKEY 0123\nW: x\n';
    const scan = await apt.scan(shellWith(capturedScan, { code: 0, stdout: '', stderr }), {
      refresh: 'always',
      privileged: true,
    });
    expect(scan.refreshed).toBe(true);
    expect(scan.warnings).toEqual([
      'apt-get update: W: GPG error: https://example.org stable InRelease: NO_PUBKEY 0123',
      'apt-get update: W: x',
    ]);
  });

  it("does not refresh when 'auto' without privileges, nor when 'never'", async () => {
    for (const options of [{ refresh: 'auto', privileged: false }, readOnly] as const) {
      const shell = shellWith(capturedScan);
      await apt.scan(shell, options);
      expect(shell.calls.map((c) => c.command)).toEqual([aptScanCommand]);
    }
  });

  it("turns a failed refresh into a warning when 'auto'", async () => {
    const failed = {
      code: 100,
      stdout: '',
      stderr: 'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242\n',
    };
    const scan = await apt.scan(shellWith(capturedScan, failed), { refresh: 'auto', privileged: true });
    expect(scan.refreshed).toBe(false);
    expect(scan.updates).toHaveLength(117);
    expect(scan.warnings).toEqual([
      'package lists not refreshed: apt-get update failed (exit 100: E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242)',
    ]);
  });

  it("survives sudo refusing when 'auto', but not when 'always'", async () => {
    const refuse = () => {
      throw new SshError('sudo', 'web-01', 'sudo: a password is required');
    };
    const scan = await apt.scan(shellWith(capturedScan, refuse), { refresh: 'auto', privileged: true });
    expect(scan.warnings[0]).toMatch(/not refreshed.*a password is required/);
    const always = apt.scan(shellWith(capturedScan, refuse), { refresh: 'always', privileged: true });
    await expect(always).rejects.toThrowError(PackageScanError);
  });

  it("fails the scan when 'always' and apt-get update fails", async () => {
    const failed = {
      code: 100,
      stdout: '',
      stderr: 'W: Failed to fetch x\nE: Some index files failed to download.\n',
    };
    const scan = apt.scan(shellWith(capturedScan, failed), { refresh: 'always', privileged: false });
    await expect(scan).rejects.toThrowError(
      /^web-01: apt-get update failed \(exit 100: W: Failed to fetch x E: Some/,
    );
  });

  it('lets a lost connection during refresh fail the scan', async () => {
    const drop = () => {
      throw new SshError('disconnected', 'web-01', 'connection lost');
    };
    await expect(
      apt.scan(shellWith(capturedScan, drop), { refresh: 'auto', privileged: true }),
    ).rejects.toThrowError(SshError);
  });
});

describe('apt scan warnings and reboot state', () => {
  it('warns about stale lists with their age when it did not refresh', async () => {
    const stale = withSection('lists-age', '1795263339\n1795003339 /var/lib/apt/lists/x_InRelease\n');
    const scan = await apt.scan(shellWith(stale), readOnly);
    expect(scan.warnings).toEqual(['package lists are 3 days old: updates published since are not shown']);
  });

  it('says so when a host has never fetched lists', async () => {
    const none = withSection('lists-age', '1795263339\n1795003339 /var/lib/apt/lists/partial\n');
    const scan = await apt.scan(shellWith(none), readOnly);
    expect(scan.warnings).toEqual(['no apt package lists on this host: run apt-get update to see updates']);
  });

  it('reports reboot-required and the packages that asked for it', async () => {
    const reboot = withSection('reboot-required', 'required\nlinux-image-6.1.0-28-amd64\nlibc6\nlibc6\n');
    const scan = await apt.scan(shellWith(reboot), readOnly);
    expect(scan.rebootRequired).toBe(true);
    expect(scan.rebootPackages).toEqual(['linux-image-6.1.0-28-amd64', 'libc6']);
  });

  it('notes new packages, removals and kept-back packages of a full upgrade', async () => {
    const body = [
      'The following packages have been kept back:',
      '  nginx',
      'Remv oldpkg [1.0-1]',
      'Inst linux-image-6.1.0-29-amd64 (6.1.123-1 Debian-Security:12/stable-security [amd64])',
      'Inst bash [5.2.15-2+b8] (5.2.15-2+b9 Debian:12.9/stable [amd64])',
      '',
    ].join('\n');
    const scan = await apt.scan(shellWith(withSection('apt-get', body)), readOnly);
    expect(scan.updates.map((u) => u.name)).toEqual(['bash']);
    expect(scan.warnings).toEqual([
      'a full upgrade would also install 1 new package(s): linux-image-6.1.0-29-amd64 6.1.123-1',
      'a full upgrade would remove 1 package(s): oldpkg',
      '1 package(s) kept back (held, or dependency problems): nginx',
    ]);
  });
});

describe('apt scan failures name the host', () => {
  it('fails with apt-get errors when the simulation fails', async () => {
    const broken = withSection('apt-get', "E: Unmet dependencies. Try 'apt --fix-broken install'.\n").replace(
      /(section apt-get\n[\s\S]*?@@patchops:exit )0/,
      '$1100',
    );
    await expect(apt.scan(shellWith(broken), readOnly)).rejects.toThrowError(
      /^web-01: apt-get failed with exit 100: E: Unmet dependencies/,
    );
  });

  it('fails when dpkg-query is missing', async () => {
    const missing = withSection('dpkg-query', '').replace(/(section dpkg-query\n@@patchops:exit )0/, '$1127');
    const shell = new ScriptedShell(
      new Map([[aptScanCommand, { code: 0, stdout: missing, stderr: 'sh: 3: dpkg-query: not found\n' }]]),
    );
    await expect(apt.scan(shell, readOnly)).rejects.toThrowError(
      'web-01: dpkg-query failed with exit 127: sh: 3: dpkg-query: not found',
    );
  });

  it('fails on output cut short, with the shell exit status', async () => {
    const cut = capturedScan.slice(0, 5000);
    const shell = new ScriptedShell(
      new Map([[aptScanCommand, { code: 255, stdout: cut, stderr: 'Killed\n' }]]),
    );
    await expect(apt.scan(shell, readOnly)).rejects.toThrowError(
      'web-01: the apt scan script did not finish (exit 255): Killed',
    );
  });

  it('names the host and the line it cannot read', async () => {
    const garbled = withSection('apt-get', 'Reading package lists...\nInst bash [5.2.15-2+b8] garbage\n');
    const scan = apt.scan(shellWith(garbled), readOnly);
    await expect(scan).rejects.toThrowError(PackageScanError);
    await expect(apt.scan(shellWith(garbled), readOnly)).rejects.toThrowError(
      /^web-01: cannot parse apt-get -s output, line 2 .*"Inst bash \[5\.2\.15-2\+b8\] garbage"/,
    );
  });
});
