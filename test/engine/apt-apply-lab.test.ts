/**
 * apt apply, verify and roll back on a real lab host (lab-01; lab-02 for the cross-host lock check), as the
 * non-root `patchops` user with sudo, through the real SSH client.
 *
 * The lab is shared with other people's tests and sessions: this file only brings lab-01..lab-02 up (an
 * idempotent `up`, never `down`) and resets lab-01 before and after, instead of useLabFleet's fresh start,
 * which takes the whole lab down first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apt } from '../../src/engine/package-managers/apt/index.js';
import { InvalidPackageSpecError, PackageInstallError } from '../../src/engine/package-managers/errors.js';
import type { PinnedVersion } from '../../src/engine/package-managers/types.js';
import type { ShellCommand } from '../../src/engine/shell/command.js';
import { openSession, type SshSession } from '../../src/engine/ssh/client.js';
import { MemoryHostKeyStore } from '../../src/engine/ssh/host-keys.js';
import { lookupKnownHosts, parseKnownHosts, pinsFromKnownHosts } from '../../src/engine/ssh/known-hosts.js';
import { type CommandResult, type RemoteShell, SshError } from '../../src/engine/ssh/types.js';
import { createLab, demoPackages, type Lab, type LabHost, labUserName } from '../../src/lab/index.js';
import { describeLab } from '../support/lab.js';

const web = (version: string): PinnedVersion => ({ name: demoPackages.web, arch: 'all', version });
const install = { allowDowngrades: false, lockWaitSeconds: 10 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeLab('apt apply on a real lab host (non-root login with sudo)', () => {
  let lab: Lab;
  let host: LabHost;
  let other: LabHost;
  const sessions: SshSession[] = [];
  const holders: ChildProcess[] = [];

  async function login(target: LabHost): Promise<SshSession> {
    const { entries } = parseKnownHosts(await readFile(lab.paths.knownHosts, 'utf8'));
    const pins = pinsFromKnownHosts(lookupKnownHosts(entries, [target.address], target.port), new Date());
    const session = await openSession(
      { name: target.name, address: target.address, port: target.port, user: labUserName },
      {
        connectTimeoutMs: 5_000,
        commandTimeoutMs: 60_000,
        defaultUser: labUserName,
        defaultKeyFile: lab.paths.clientKey,
        hostKeyPolicy: 'strict',
        hostKeys: new MemoryHostKeyStore({ [target.name]: pins }),
      },
    );
    sessions.push(session);
    return session;
  }

  /** What dpkg says inside the host, read from the machine through the chroot. */
  async function dpkgVersion(name: string, target = host): Promise<string> {
    const result = await lab.chrootExec(target, `dpkg-query -W -f='\${Version}' ${name}`);
    return result.stdout.trim();
  }

  async function dpkgLogLines(line: string): Promise<number> {
    const log = await lab.chrootExec(host, 'cat /var/log/dpkg.log');
    return log.stdout.split('\n').filter((l) => l.endsWith(line)).length;
  }

  /** A perl process inside the host holding an fcntl write lock on a lock file, as apt and dpkg take them. */
  async function holdLock(target: LabHost, file: string, seconds: number): Promise<ChildProcess> {
    const script = `use Fcntl; open(my $f, "+<", "${file}") or die "open: $!"; my $s = pack("s s x4 q q i x4", F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLK, $s) or die "lock: $!"; $| = 1; print "locked\\n"; sleep ${seconds};`;
    const child = spawn('chroot', [target.root, 'perl', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    holders.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('locked')) resolve();
      });
      child.stderr?.on('data', (chunk: Buffer) => reject(new Error(`lock holder: ${chunk.toString()}`)));
      child.on('exit', (code) => reject(new Error(`lock holder exited ${code} before locking`)));
    });
    return child;
  }

  function release(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    });
  }

  beforeAll(async () => {
    lab = createLab();
    const report = await lab.up(2);
    [host, other] = report.hosts as [LabHost, LabHost];
    await lab.resetHost(host);
  });

  afterAll(async () => {
    for (const child of holders) await release(child);
    for (const session of sessions) await session.close();
    if (host) await lab.resetHost(host);
  });

  it('prechecks a fresh host as ok, without root', async () => {
    const shell = await login(host);
    const result = await apt.precheck(shell, { minFreeMb: 100 });
    expect(result).toEqual({ ok: true, problems: [] });
    const greedy = await apt.precheck(shell, { minFreeMb: 1e12 });
    expect(greedy.problems.map((p) => p.code)).toEqual(['disk-space']);
  });

  it('reads package states with one dpkg-query; unknown packages are not installed', async () => {
    const shell = await login(host);
    expect(await apt.packageStates(shell, [demoPackages.web, 'patchops-no-such-package'])).toEqual([
      { name: demoPackages.web, arch: 'all', version: '1.0-1', healthy: true },
      { name: 'patchops-no-such-package', arch: '', version: null, healthy: false },
    ]);
  });

  it('installs a pinned version once, is a no-op the second time, and rolls back with downgrades allowed', async () => {
    const shell = await login(host);
    const upgradeLine = `upgrade ${demoPackages.web}:all 1.0-1 1.0-2`;

    const first = await apt.install(shell, [web('1.0-2')], install);
    expect(first.changed).toBe(true);
    expect(first.output).toContain(`Setting up ${demoPackages.web} (1.0-2)`);
    expect(first.packages).toEqual([
      { name: demoPackages.web, arch: 'all', version: '1.0-2', healthy: true },
    ]);
    expect(first.logPath).toMatch(/^\/var\/log\/patchops\/apply-\d{8}T\d{6}Z-\d+\.log$/);
    expect(await dpkgVersion(demoPackages.web)).toBe('1.0-2');
    expect(await dpkgLogLines(upgradeLine)).toBe(1);
    // apt's whole output stays on the host
    const log = await lab.chrootExec(host, `cat ${first.logPath}`);
    expect(log.stdout).toContain('1 upgraded, 0 newly installed');

    const again = await apt.install(shell, [web('1.0-2')], install);
    expect(again.changed).toBe(false);
    expect(again.output).toContain('is already the newest version (1.0-2)');
    expect(await dpkgLogLines(upgradeLine)).toBe(1);

    // a rollback is a downgrade: refused unless asked for
    const refused = await apt.install(shell, [web('1.0-1')], install).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PackageInstallError);
    expect((refused as PackageInstallError).output).toContain('-y was used without --allow-downgrades');
    expect(await dpkgVersion(demoPackages.web)).toBe('1.0-2');

    const rollback = await apt.install(shell, [web('1.0-1')], { ...install, allowDowngrades: true });
    expect(rollback.changed).toBe(true);
    expect(await dpkgVersion(demoPackages.web)).toBe('1.0-1');
    expect(await apt.packageStates(shell, [demoPackages.web])).toEqual([
      { name: demoPackages.web, arch: 'all', version: '1.0-1', healthy: true },
    ]);
  });

  it('sees a dpkg lock held inside the host, and only on that host', async () => {
    const shell = await login(host);
    const neighbour = await login(other);
    const holder = await holdLock(host, '/var/lib/dpkg/lock-frontend', 30);
    const locked = await apt.precheck(shell, { minFreeMb: 100 });
    expect(locked.ok).toBe(false);
    expect(locked.problems).toEqual([
      {
        code: 'package-lock',
        message: `/var/lib/dpkg/lock-frontend is locked by process ${holder.pid} (perl)`,
      },
    ]);
    // lab-02's lock file has the same inode number (both overlay the same base), on another device
    expect(await apt.precheck(neighbour, { minFreeMb: 100 })).toEqual({ ok: true, problems: [] });
    await release(holder);
    expect(await apt.precheck(shell, { minFreeMb: 100 })).toEqual({ ok: true, problems: [] });
  });

  it('reports a dpkg lock held by a real apt-get waiting at its prompt', async () => {
    const shell = await login(host);
    // apt-get upgrade without -y takes its locks, then waits for an answer on stdin
    const child = spawn('chroot', [host.root, 'sh', '-c', 'LC_ALL=C exec apt-get upgrade'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    holders.push(child);
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Do you want to continue?')) resolve();
      }),
    );
    const result = await apt.precheck(shell, { minFreeMb: 100 });
    expect(result.problems.map((p) => p.message)).toEqual([
      `/var/lib/dpkg/lock-frontend is locked by process ${child.pid} (apt-get)`,
      `/var/lib/dpkg/lock is locked by process ${child.pid} (apt-get)`,
      `/var/cache/apt/archives/lock is locked by process ${child.pid} (apt-get)`,
    ]);
    child.stdin.end('n\n');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await apt.precheck(shell, { minFreeMb: 100 })).ok).toBe(true);
  });

  it('reports packages dpkg left half-way as broken, even without root', async () => {
    const shell = await login(host);
    await lab.chrootExec(
      host,
      `dpkg --unpack ${lab.paths.repos}/updates/${demoPackages.tools}_2.1-1_all.deb`,
    );
    const result = await apt.precheck(shell, { minFreeMb: 100 });
    expect(result.problems).toEqual([
      {
        code: 'broken-packages',
        message: `dpkg left 1 package(s) unfinished: ${demoPackages.tools} 2.1-1 (install ok unpacked); run dpkg --configure -a`,
      },
    ]);
    expect(await apt.packageStates(shell, [demoPackages.tools])).toEqual([
      { name: demoPackages.tools, arch: 'all', version: '2.1-1', healthy: false },
    ]);
    await lab.chrootExec(host, 'dpkg --configure -a');
    expect((await apt.precheck(shell, { minFreeMb: 100 })).ok).toBe(true);
  });

  it('upgrades libssl3 and openssl together, and a kernel package asks for a reboot', async () => {
    const shell = await login(host);
    const pair = [demoPackages.libssl, demoPackages.openssl].map((name) => ({
      name,
      arch: 'all',
      version: '3.0.13-1',
    }));
    const result = await apt.install(shell, pair, install);
    expect(result.changed).toBe(true);
    expect(await dpkgVersion(demoPackages.libssl)).toBe('3.0.13-1');
    expect(await dpkgVersion(demoPackages.openssl)).toBe('3.0.13-1');

    expect(await apt.rebootRequired(shell)).toBe(false);
    await apt.install(shell, [{ name: demoPackages.kernel, arch: 'all', version: '5.10.0-2' }], install);
    expect(await dpkgVersion(demoPackages.kernel)).toBe('5.10.0-2');
    expect(await apt.rebootRequired(shell)).toBe(true);
  });

  it('fails with apt words on a version no repository has, after refreshing the lists once', async () => {
    const shell = await login(host);
    const error = await apt.install(shell, [web('9.9-9')], install).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageInstallError);
    expect(error).toMatchObject({ code: 'install-failed', reason: 'version-not-found' });
    expect((error as PackageInstallError).message).toContain(
      `Version '9.9-9' for '${demoPackages.web}' was not found`,
    );
  });

  it('lets apt finish when the caller gives up mid-install (client timeout, host-side deadline)', async () => {
    const shell = await login(host);
    const before = await dpkgVersion(demoPackages.epoch);
    expect(before).toBe('1:1.0~rc1-1');
    // apt waits for this lock; meanwhile our 1 s timeout fires and the host's `timeout -k 5 3` kills the
    // waiting script 2 s later. apt, in its own session, must go on once the lock is free.
    const holder = await holdLock(host, '/var/lib/dpkg/lock', 6);
    const started = Date.now();
    const error = await apt
      .install(shell, [{ name: demoPackages.epoch, arch: 'all', version: '1:1.0-1' }], {
        ...install,
        lockWaitSeconds: 60,
        timeoutMs: 1_000,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).code).toBe('command-timeout');
    // the host-side deadline has certainly fired (3 s + 5 s grace) before the lock is released
    await sleep(Math.max(0, 4_000 - (Date.now() - started)));
    expect(await dpkgVersion(demoPackages.epoch)).toBe(before);
    await release(holder);
    const deadline = Date.now() + 60_000;
    while ((await dpkgVersion(demoPackages.epoch)) !== '1:1.0-1' && Date.now() < deadline) await sleep(250);
    expect(await dpkgVersion(demoPackages.epoch)).toBe('1:1.0-1');
    // and its log on the host says how it ended
    let tail = '';
    while (!tail.includes('@@patchops:exit') && Date.now() < deadline) {
      tail = (await lab.chrootExec(host, 'tail -n 2 $(ls -t /var/log/patchops/apply-*.log | head -n 1)'))
        .stdout;
      if (!tail.includes('@@patchops:exit')) await sleep(250);
    }
    expect(tail).toContain('@@patchops:exit 0');
  });

  it('lets apt finish when the SSH connection drops mid-install', async () => {
    const shell = await login(host);
    const holder = await holdLock(host, '/var/lib/dpkg/lock-frontend', 6);
    const pending = apt
      .install(shell, [web('1.0-2')], { ...install, lockWaitSeconds: 60 })
      .catch((e: unknown) => e);
    await sleep(1_000);
    await shell.close();
    const error = await pending;
    expect(error).toBeInstanceOf(SshError);
    expect(await dpkgVersion(demoPackages.web)).toBe('1.0-1');
    await release(holder);
    const deadline = Date.now() + 60_000;
    while ((await dpkgVersion(demoPackages.web)) !== '1.0-2' && Date.now() < deadline) await sleep(250);
    expect(await dpkgVersion(demoPackages.web)).toBe('1.0-2');
    // put it back for the next test
    const again = await login(host);
    await apt.install(again, [web('1.0-1')], { ...install, allowDowngrades: true });
  });

  it('refuses injection attempts before any command reaches the host', async () => {
    const calls: string[] = [];
    const spy: RemoteShell = {
      hostName: host.name,
      run: async (command: ShellCommand): Promise<CommandResult> => {
        calls.push(command);
        return { code: 0, stdout: '', stderr: '' };
      },
    };
    for (const name of ['x;rm -rf /', '$(id)', '`id`', 'web && reboot', '-oAPT::Foo=1', 'web\nid']) {
      await expect(apt.packageStates(spy, [name])).rejects.toBeInstanceOf(InvalidPackageSpecError);
      await expect(
        apt.install(spy, [{ name, arch: 'all', version: '1.0-1' }], install),
      ).rejects.toBeInstanceOf(InvalidPackageSpecError);
    }
    await expect(apt.install(spy, [web('1.0-2;id')], install)).rejects.toBeInstanceOf(
      InvalidPackageSpecError,
    );
    await expect(apt.install(spy, [{ ...web('1.0-2'), arch: 'all $(id)' }], install)).rejects.toThrowError(
      /invalid package arch/,
    );
    expect(calls).toEqual([]);
    // and the real host is untouched
    expect(await dpkgVersion(demoPackages.web)).toBe('1.0-1');
  });
});
