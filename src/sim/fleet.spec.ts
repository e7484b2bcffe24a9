import ssh2, { type Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryHost } from '../engine/inventory/types.js';
import { apt } from '../engine/package-managers/apt/index.js';
import { detectPackageManager, osReleaseCommand } from '../engine/package-managers/index.js';
import { parseOsRelease } from '../engine/package-managers/os-release.js';
import { type ShellCommand, sh } from '../engine/shell/command.js';
import type { CommandResult, RemoteShell, RunOptions } from '../engine/ssh/types.js';
import { type SimFleet, startSimFleet } from './fleet.js';

const clientKey = ssh2.utils.generateKeyPairSync('ed25519').private;

/** Just enough of an SSH client to drive the apt module: the real one lives in src/engine/ssh. */
class ClientShell implements RemoteShell {
  constructor(
    readonly hostName: string,
    private readonly client: Client,
  ) {}

  run(command: ShellCommand, options?: RunOptions): Promise<CommandResult> {
    const text = options?.sudo ? sh`sudo -n sh -c ${command}` : command;
    return new Promise((resolve, reject) => {
      this.client.exec(text, (error, stream) => {
        if (error) return reject(error);
        let stdout = '';
        let stderr = '';
        let code = -1;
        stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        stream.on('exit', (exitCode: number) => (code = exitCode));
        stream.on('close', () => resolve({ code, stdout, stderr }));
      });
    });
  }
}

function connect(
  host: InventoryHost,
  hostKey: string,
  auth: { privateKey?: string; password?: string },
): Promise<Client> {
  const pinned = Buffer.from(hostKey.split(' ')[1]!, 'base64');
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      host: host.address,
      port: host.port,
      username: host.user ?? 'patchops',
      ...auth,
      hostVerifier: (key: Buffer) => key.equals(pinned),
      readyTimeout: 5000,
    });
  });
}

describe('simulated fleet over SSH', () => {
  let fleet: SimFleet;
  const clients: Client[] = [];
  const shellFor = async (host: InventoryHost) => {
    const client = await connect(host, fleet.hostKey, { privateKey: clientKey });
    clients.push(client);
    return new ClientShell(host.name, client);
  };

  beforeAll(async () => {
    fleet = await startSimFleet({
      count: 4,
      seed: 'spec',
      latencyMs: 5,
      packagesPerHost: 300,
      updatesPerHost: 12,
    });
  });
  afterAll(async () => {
    for (const client of clients) client.end();
    await fleet.stop();
  });

  it('puts each host on its own loopback address, with inventory groups and tags', () => {
    expect(fleet.hosts.map((h) => h.address)).toEqual([
      '127.0.20.1',
      '127.0.20.2',
      '127.0.20.3',
      '127.0.20.4',
    ]);
    for (const host of fleet.hosts) {
      expect(host.port).toBeGreaterThan(0);
      expect(host.name).toMatch(/^(web|api|db|cache|worker)-00[1-4]$/);
      expect(host.groups).toEqual([host.tags.role, host.tags.env]);
    }
    expect(fleet.hostKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA/);
  });

  it('is detected as Debian and scanned by the apt module with the counts asked for', async () => {
    for (const host of fleet.hosts) {
      const shell = await shellFor(host);
      const release = await shell.run(osReleaseCommand);
      expect(detectPackageManager(parseOsRelease(release.stdout))?.id).toBe('apt');
      const scan = await apt.scan(shell, { refresh: 'never', privileged: false });
      // 300 packages, plus the new kernel ABI package on hosts whose kernel is patched
      expect(scan.installed.length === 300 || scan.installed.length === 301).toBe(true);
      expect(scan.updates).toHaveLength(12);
      for (const update of scan.updates) expect(update.version).not.toBe(update.installedVersion);
    }
  });

  it('refreshes through sudo, which the simulator accepts for any user', async () => {
    const shell = await shellFor(fleet.hosts[0]!);
    const scan = await apt.scan(shell, { refresh: 'auto', privileged: true });
    expect(scan.refreshed).toBe(true);
    expect(scan.warnings.filter((w) => w.includes('package lists'))).toEqual([]);
  });

  it('answers an unknown command with exit 127 and says why', async () => {
    const shell = await shellFor(fleet.hosts[1]!);
    const result = await shell.run(sh`uname -a`);
    expect(result).toEqual({
      code: 127,
      stdout: '',
      stderr: 'sh: 1: uname: not found (patchops simulator)\n',
    });
  });

  it('refuses a client that offers no key', async () => {
    await expect(connect(fleet.hosts[0]!, fleet.hostKey, { password: 'secret' })).rejects.toThrowError(
      /authentication methods failed/,
    );
  });

  it('keeps its host key for the same seed, so pinned keys survive a restart', async () => {
    const again = await startSimFleet({ count: 1, seed: 'spec', firstAddress: '127.0.22.1', latencyMs: 0 });
    const other = await startSimFleet({ count: 1, seed: 'other', firstAddress: '127.0.22.2', latencyMs: 0 });
    try {
      expect(again.hostKey).toBe(fleet.hostKey);
      expect(other.hostKey).not.toBe(fleet.hostKey);
      expect(again.hosts[0]?.name).toBe(fleet.hosts[0]?.name);
    } finally {
      await Promise.all([again.stop(), other.stop()]);
    }
  });
});
