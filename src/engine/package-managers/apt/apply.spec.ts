import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ShellCommand } from '../../shell/command.js';
import type { CommandResult, RemoteShell, RunOptions } from '../../ssh/types.js';
import { InvalidPackageSpecError, PackageCommandError, PackageInstallError } from '../errors.js';
import {
  aptInstallCommand,
  aptPackageStatesCommand,
  aptPrecheckCommand,
  aptRebootRequiredCommand,
} from './apply-commands.js';
import { aptRefreshCommand } from './commands.js';
import { apt } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const reply = (code: number, stdout: string, stderr = ''): CommandResult => ({ code, stdout, stderr });

/** Answers commands in turn from a script of [command, result] pairs; records what it ran and how. */
class ScriptedShell implements RemoteShell {
  readonly hostName = 'web-01';
  readonly calls: { command: string; options: RunOptions | undefined }[] = [];
  constructor(private readonly script: [string, CommandResult][]) {}
  async run(command: ShellCommand, options?: RunOptions): Promise<CommandResult> {
    this.calls.push({ command, options });
    const next = this.script.shift();
    if (!next || next[0] !== command) return reply(127, '', `unexpected command: ${command.slice(0, 80)}`);
    return next[1];
  }
}

const web = (version: string) => [{ name: 'patchops-demo-web', arch: 'all', version }];
const options = { allowDowngrades: false, lockWaitSeconds: 30 };

describe('apt.precheck / packageStates / rebootRequired', () => {
  it('runs one read-only command without sudo', async () => {
    const shell = new ScriptedShell([
      [aptPrecheckCommand, reply(0, fixture('debian12-lab-precheck-locked.txt'))],
    ]);
    const result = await apt.precheck(shell, { minFreeMb: 500 });
    expect(result.problems.map((p) => p.code)).toEqual(['package-lock']);
    expect(shell.calls).toEqual([{ command: aptPrecheckCommand, options: undefined }]);
  });

  it('fails with the host name when the script did not finish', async () => {
    const shell = new ScriptedShell([[aptPrecheckCommand, reply(137, '@@patchops:section df\n', 'Killed')]]);
    await expect(apt.precheck(shell, { minFreeMb: 1 })).rejects.toThrowError(
      'web-01: precheck: the precheck script did not finish (exit 137): Killed',
    );
  });

  it('takes exit 1 of dpkg-query as "some unknown", anything else as failure', async () => {
    const names = ['patchops-demo-web', 'nope'];
    const ok = new ScriptedShell([
      [
        aptPackageStatesCommand(names),
        reply(1, fixture('debian12-lab-states.txt'), fixture('debian12-lab-states.stderr.txt')),
      ],
    ]);
    expect(await apt.packageStates(ok, names)).toEqual([
      { name: 'patchops-demo-web', arch: 'all', version: '1.0-1', healthy: true },
      { name: 'nope', arch: '', version: null, healthy: false },
    ]);
    const broken = new ScriptedShell([
      [aptPackageStatesCommand(names), reply(2, '', 'dpkg-query: error: parsing file')],
    ]);
    await expect(apt.packageStates(broken, names)).rejects.toThrowError(PackageCommandError);
    expect(await apt.packageStates(new ScriptedShell([]), [])).toEqual([]);
  });

  it('reads the reboot flag', async () => {
    const yes = new ScriptedShell([[aptRebootRequiredCommand, reply(0, 'required\n')]]);
    const no = new ScriptedShell([[aptRebootRequiredCommand, reply(0, 'not-required\n')]]);
    expect(await apt.rebootRequired(yes)).toBe(true);
    expect(await apt.rebootRequired(no)).toBe(false);
    const odd = new ScriptedShell([[aptRebootRequiredCommand, reply(127, '', 'sh: 1: [: not found')]]);
    await expect(apt.rebootRequired(odd)).rejects.toThrowError(PackageCommandError);
  });
});

describe('apt.install', () => {
  it('runs with sudo and a timeout covering the lock wait; changed from apt summary', async () => {
    const command = aptInstallCommand(web('1.0-2'), options);
    const shell = new ScriptedShell([[command, reply(0, fixture('debian12-lab-install-upgrade.txt'))]]);
    const result = await apt.install(shell, web('1.0-2'), options);
    expect(result).toMatchObject({
      changed: true,
      packages: [{ name: 'patchops-demo-web', arch: 'all', version: '1.0-2', healthy: true }],
      logPath: expect.stringMatching(/^\/var\/log\/patchops\/apply-/),
    });
    expect(result.output).toMatch(/^Reading package lists/);
    expect(shell.calls[0]?.options).toEqual({ sudo: true, timeoutMs: 20 * 60_000 + 30_000 });
  });

  it('reports no change when apt had nothing to do', async () => {
    const command = aptInstallCommand(web('1.0-2'), options);
    const shell = new ScriptedShell([[command, reply(0, fixture('debian12-lab-install-noop.txt'))]]);
    expect((await apt.install(shell, web('1.0-2'), { ...options, timeoutMs: 5_000 })).changed).toBe(false);
    expect(shell.calls[0]?.options).toEqual({ sudo: true, timeoutMs: 5_000 });
  });

  it('refreshes the lists once and retries when a pinned version is unknown', async () => {
    const command = aptInstallCommand(web('1.0-2'), options);
    const notFound = fixture('debian12-lab-install-version-not-found.txt');
    const shell = new ScriptedShell([
      [command, reply(100, notFound)],
      [aptRefreshCommand, reply(0, 'Reading package lists...\n')],
      [command, reply(0, fixture('debian12-lab-install-upgrade.txt'))],
    ]);
    const result = await apt.install(shell, web('1.0-2'), options);
    expect(result).toMatchObject({ changed: true, refreshed: true });
    expect(shell.calls.map((c) => c.options?.sudo)).toEqual([true, true, true]);
  });

  it('fails once with the reason when the version is still unknown after the refresh', async () => {
    const command = aptInstallCommand(web('1.0-9'), options);
    const notFound = fixture('debian12-lab-install-version-not-found.txt');
    const shell = new ScriptedShell([
      [command, reply(100, notFound)],
      [aptRefreshCommand, reply(0, '')],
      [command, reply(100, notFound)],
    ]);
    const error = await apt.install(shell, web('1.0-9'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageInstallError);
    expect(error).toMatchObject({
      code: 'install-failed',
      reason: 'version-not-found',
      exitCode: 100,
      host: 'web-01',
    });
    expect((error as PackageInstallError).output).toContain("E: Version '1.0-9'");
    expect(shell.calls).toHaveLength(3);
  });

  it('fails on a lock that stayed taken, without refreshing', async () => {
    const command = aptInstallCommand(web('1.0-2'), options);
    const shell = new ScriptedShell([
      [command, reply(100, fixture('debian12-lab-install-lock-timeout.txt'))],
    ]);
    await expect(apt.install(shell, web('1.0-2'), options)).rejects.toMatchObject({ reason: 'lock-timeout' });
    expect(shell.calls).toHaveLength(1);
  });

  it('fails when apt succeeded but dpkg does not show the pinned version', async () => {
    const command = aptInstallCommand(web('1.0-2'), options);
    const stale = fixture('debian12-lab-install-upgrade.txt').replace(
      '1.0-2\tinstall ok installed',
      '1.0-1\tinstall ok installed',
    );
    const shell = new ScriptedShell([[command, reply(0, stale)]]);
    await expect(apt.install(shell, web('1.0-2'), options)).rejects.toMatchObject({
      reason: 'not-at-pinned-version',
      message: expect.stringContaining('patchops-demo-web is 1.0-1, not 1.0-2'),
    });
  });

  it('fails on an output cut short, pointing at the log that remains on the host', async () => {
    const command = aptInstallCommand(web('1.0-2'), options);
    const cut = fixture('debian12-lab-install-upgrade.txt').split('@@patchops:section summary')[0]!;
    const shell = new ScriptedShell([[command, reply(255, cut, 'Killed')]]);
    const error = (await apt
      .install(shell, web('1.0-2'), options)
      .catch((e: unknown) => e)) as PackageInstallError;
    expect(error.reason).toBe('output-unreadable');
    expect(error.message).toMatch(/apt may still be running, its log is \/var\/log\/patchops\/apply-/);
  });

  it('refuses injection before any command is built or run', async () => {
    const shell = new ScriptedShell([]);
    for (const name of ['x;rm -rf /', '$(id)', '`id`'])
      await expect(
        apt.install(shell, [{ name, arch: 'all', version: '1.0-1' }], options),
      ).rejects.toBeInstanceOf(InvalidPackageSpecError);
    await expect(apt.packageStates(shell, ['$(id)'])).rejects.toBeInstanceOf(InvalidPackageSpecError);
    expect(shell.calls).toEqual([]);
    expect(await apt.install(shell, [], options)).toEqual({ changed: false, output: '', packages: [] });
  });
});
