import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apt } from '../engine/package-managers/apt/index.js';
import { InvalidPackageSpecError, PackageInstallError } from '../engine/package-managers/errors.js';
import type { PinnedVersion } from '../engine/package-managers/types.js';
import { inventoryCommand, type ShellCommand } from '../engine/shell/command.js';
import { openSession, type SshSession } from '../engine/ssh/client.js';
import { MemoryHostKeyStore } from '../engine/ssh/host-keys.js';
import { remoteCommand } from '../engine/ssh/remote-command.js';
import { type CommandResult, type RemoteShell, type RunOptions, SshError } from '../engine/ssh/types.js';
import { type SimFleet, startSimFleet } from './fleet.js';
import { FleetPlan, generateHostPackages } from './host-model.js';
import { kernel } from './packages.js';
import { SimHost, simHealthCommand, simRebootCommand } from './sim-host.js';

/** A RemoteShell straight onto a SimHost, wrapping commands exactly as the SSH client does. */
class DirectShell implements RemoteShell {
  readonly hostName: string;
  rebooted = 0;
  constructor(private readonly host: SimHost) {
    this.hostName = host.name;
  }
  async run(command: ShellCommand, options?: RunOptions): Promise<CommandResult> {
    const sent = remoteCommand(command, {
      user: 'patchops',
      sudo: options?.sudo === true,
      timeoutMs: 60_000,
    });
    const { after, ...reply } = this.host.respond(sent.command, 'patchops');
    if (after === 'reboot') {
      this.rebooted += 1;
      this.host.rebooted();
    }
    return reply;
  }
}

const plan = new FleetPlan(11);
const model = { packagesPerHost: 400, updatesPerHost: 20 };
const simHost = (index = 0) => new SimHost(index, `web-${index}`, plan, model, Math.floor(Date.now() / 1000));
const options = { allowDowngrades: false, lockWaitSeconds: 60 };
const pin = (name: string, arch: string, version: string): PinnedVersion => ({ name, arch, version });

describe('simulated host: apply, verify, roll back', () => {
  it('passes the precheck and reads package states from its model', async () => {
    const shell = new DirectShell(simHost());
    expect(await apt.precheck(shell, { minFreeMb: 1024 })).toEqual({ ok: true, problems: [] });
    const scan = await apt.scan(shell, { refresh: 'never', privileged: true });
    const [first, second] = scan.installed;
    const states = await apt.packageStates(shell, [
      first!.name,
      `${second!.name}:${second!.arch}`,
      'no-such-pkg',
    ]);
    expect(states).toEqual([
      { name: first!.name, arch: first!.arch, version: first!.version, healthy: true },
      { name: second!.name, arch: second!.arch, version: second!.version, healthy: true },
      { name: 'no-such-pkg', arch: '', version: null, healthy: false },
    ]);
    expect(await apt.rebootRequired(shell)).toBe(false);
  });

  it('installs pinned updates: the scan then shows the new versions and no longer offers them', async () => {
    const shell = new DirectShell(simHost(1));
    const before = await apt.scan(shell, { refresh: 'never', privileged: true });
    const chosen = before.updates.filter((u) => !u.name.startsWith('linux-')).slice(0, 3);
    const result = await apt.install(
      shell,
      chosen.map((u) => pin(u.name, u.arch, u.version)),
      options,
    );
    expect(result.changed).toBe(true);
    expect(result.output).toContain(`${chosen.length} upgraded, 0 newly installed`);
    expect(result.packages?.map((p) => p.version)).toEqual(chosen.map((u) => u.version));

    const after = await apt.scan(shell, { refresh: 'never', privileged: true });
    expect(after.updates).toHaveLength(before.updates.length - chosen.length);
    for (const update of chosen) {
      expect(after.updates.some((u) => u.name === update.name)).toBe(false);
      expect(after.installed.find((p) => p.name === update.name)?.version).toBe(update.version);
    }
    expect(after.installed).toHaveLength(before.installed.length);

    // again: nothing to do
    const again = await apt.install(
      shell,
      chosen.map((u) => pin(u.name, u.arch, u.version)),
      options,
    );
    expect(again.changed).toBe(false);
    expect(again.output).toContain('is already the newest version');

    // roll back one: refused without downgrades, then done; its update is offered again
    const [first] = chosen;
    const back = [pin(first!.name, first!.arch, first!.installedVersion)];
    await expect(apt.install(shell, back, options)).rejects.toMatchObject({
      reason: 'apt-failed',
      output: expect.stringContaining('without --allow-downgrades'),
    });
    const rollback = await apt.install(shell, back, { ...options, allowDowngrades: true });
    expect(rollback.changed).toBe(true);
    const rolled = await apt.scan(shell, { refresh: 'never', privileged: true });
    expect(rolled.updates.find((u) => u.name === first!.name)).toMatchObject({
      installedVersion: first!.installedVersion,
      version: first!.version,
    });
  });

  it('rolls back a package that was already up to date to the version before the fleet update', async () => {
    const shell = new DirectShell(simHost(2));
    const generated = generateHostPackages(plan, 2, model);
    const current = generated.installed.find((p) => p.previous && !p.name.startsWith('linux-'))!;
    await apt.install(shell, [pin(current.name, current.arch, current.previous!.version)], {
      ...options,
      allowDowngrades: true,
    });
    const scan = await apt.scan(shell, { refresh: 'never', privileged: true });
    expect(scan.updates.find((u) => u.name === current.name)).toMatchObject({
      installedVersion: current.previous!.version,
      version: current.version,
    });
  });

  it('fails like apt on unknown versions and packages, after one refresh', async () => {
    const shell = new DirectShell(simHost(3));
    const error = await apt
      .install(shell, [pin('bash', 'amd64', '99.0-1')], options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageInstallError);
    expect(error).toMatchObject({
      reason: 'version-not-found',
      message: expect.stringContaining("Version '99.0-1'"),
    });
    await expect(apt.install(shell, [pin('no-such-pkg', 'all', '1.0-1')], options)).rejects.toMatchObject({
      reason: 'version-not-found',
    });
    await expect(apt.install(shell, [pin('$(id)', 'all', '1')], options)).rejects.toBeInstanceOf(
      InvalidPackageSpecError,
    );
  });

  it('needs root to install', async () => {
    const host = simHost(4);
    const plain: RemoteShell = {
      hostName: host.name,
      run: async (command) => host.respond(command, 'patchops'),
    };
    await expect(apt.install(plain, [pin('bash', 'amd64', '1.0-1')], options)).rejects.toBeInstanceOf(
      PackageInstallError,
    );
  });

  it('asks for a reboot after a kernel update, until the host reboots', async () => {
    const plan2 = new FleetPlan(11);
    const index = Array.from({ length: 200 }, (_, i) => i).find((i) =>
      generateHostPackages(plan2, i, model).newPackages.some((p) => p.name === kernel.newImage),
    )!;
    const host = new SimHost(index, 'k', plan2, { ...model, pendingReboots: false }, 0);
    const shell = new DirectShell(host);
    const scan = await apt.scan(shell, { refresh: 'never', privileged: true });
    const meta = scan.updates.find((u) => u.name === 'linux-image-amd64')!;
    expect(await apt.rebootRequired(shell)).toBe(false);
    const result = await apt.install(shell, [pin(meta.name, meta.arch, meta.version)], options);
    expect(result.output).toContain('1 upgraded, 1 newly installed');
    expect(await apt.rebootRequired(shell)).toBe(true);
    const after = await apt.scan(shell, { refresh: 'never', privileged: true });
    expect(after.installed.some((p) => p.name === kernel.newImage)).toBe(true);
    expect(after.rebootRequired).toBe(true);
    expect(after.rebootPackages).toContain(kernel.newImage);
    expect(after.warnings.join('\n')).not.toContain('newly install');

    expect((await shell.run(inventoryCommand(simRebootCommand), { sudo: true })).code).toBe(0);
    expect(shell.rebooted).toBe(1);
    expect(await apt.rebootRequired(shell)).toBe(false);
    expect((await shell.run(inventoryCommand(simHealthCommand))).code).toBe(0);
  });
});

describe('simulated fleet over SSH: install and reboot', () => {
  let fleet: SimFleet;
  const sessions: SshSession[] = [];
  const keyDir = mkdtempSync(join(tmpdir(), 'patchops-sim-key-'));
  const keyFile = join(keyDir, 'id_ed25519');
  writeFileSync(keyFile, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });

  const login = async (index: number) => {
    const host = fleet.hosts[index]!;
    const session = await openSession(
      { name: host.name, address: host.address, port: host.port, user: 'patchops' },
      {
        connectTimeoutMs: 2_000,
        commandTimeoutMs: 10_000,
        defaultUser: 'patchops',
        hostKeyPolicy: 'accept-new',
        hostKeys: new MemoryHostKeyStore({}),
        defaultKeyFile: keyFile,
      },
    );
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    fleet = await startSimFleet({
      count: 3,
      seed: 5,
      latencyMs: 1,
      firstAddress: '127.0.23.1',
      rebootDelayMs: 200,
    });
  });

  afterAll(async () => {
    for (const session of sessions) await session.close().catch(() => {});
    await fleet?.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('inventories the reboot command and the health check', () => {
    expect(fleet.hosts[0]!.vars).toMatchObject({
      reboot_command: simRebootCommand,
      health_checks: [simHealthCommand],
    });
  });

  it('installs an update through sudo and the host-side deadline wrapper', async () => {
    const session = await login(0);
    const scan = await apt.scan(session, { refresh: 'never', privileged: true });
    const update = scan.updates.find((u) => !u.name.startsWith('linux-'));
    if (!update) return;
    const result = await apt.install(session, [pin(update.name, update.arch, update.version)], options);
    expect(result.changed).toBe(true);
    const again = await apt.scan(session, { refresh: 'never', privileged: true });
    expect(again.updates.some((u) => u.name === update.name)).toBe(false);
  });

  it('drops the connection on reboot, refuses connections for a moment, then answers again', async () => {
    const session = await login(1);
    const closed = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        session.run(inventoryCommand('true')).catch((error: unknown) => {
          if (error instanceof SshError) {
            clearInterval(timer);
            resolve();
          }
        });
      }, 20);
    });
    const reply = await session.run(inventoryCommand(simRebootCommand), { sudo: true });
    expect(reply.code).toBe(0);
    await closed;
    const refused = await login(1).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SshError);
    expect((refused as SshError).transient).toBe(true);
    const started = Date.now();
    let back: SshSession | undefined;
    while (!back && Date.now() - started < 5_000) {
      back = await login(1).catch(() => undefined);
      if (!back) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(back).toBeDefined();
    expect((await back!.run(inventoryCommand(simHealthCommand))).code).toBe(0);
  });
});
