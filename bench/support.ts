import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { stringify } from 'yaml';
import type { InventoryHost } from '../src/engine/inventory/types.js';
import { createTestDatabase } from '../test/support/postgres.js';

export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Timed {
  code: number | null;
  seconds: number;
  /** Peak RSS of the measured process, from GNU time. */
  maxRssMb: number;
  stdout: string;
  stderr: string;
}

/** Run a command under GNU time: wall seconds and peak RSS of exactly that process tree's leader. */
export function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '@@time %M', command, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kb = Number(/@@time (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ code, seconds, maxRssMb: kb / 1024, stdout, stderr: stderr.replace(/@@time \d+\n?/, '') });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** A patchops inventory of these hosts (root and the given key by default), each with these variables. */
export function inventoryYaml(
  hosts: Pick<InventoryHost, 'name' | 'address' | 'port' | 'user' | 'become'>[],
  keyFile: string,
  vars?: Record<string, unknown>,
): string {
  const entries = Object.fromEntries(
    hosts.map((h) => [
      h.name,
      {
        address: h.address,
        port: h.port,
        ...(h.user ? { user: h.user } : {}),
        ...(h.become ? { become: true } : {}),
        ...(vars ? { vars } : {}),
      },
    ]),
  );
  // Written out per host: YAML aliases for the shared vars would trip the loader's alias limit at 1,000 hosts.
  return stringify(
    { defaults: { user: 'root', key_file: keyFile }, hosts: entries },
    { aliasDuplicateObjects: false },
  );
}

/** The scan a plan needs, in a process of its own (the built CLI). */
export async function scanAll(env: Record<string, string>): Promise<void> {
  const scan = await timed(
    process.execPath,
    [cliPath, 'exec', '--json', '--', '/patch scan all --refresh never'],
    {
      ...process.env,
      ...env,
      PATCHOPS_SCAN_CONCURRENCY: '100',
      LOG_LEVEL: 'warn',
    },
  );
  if (scan.code !== 0) throw new Error(`scan failed (exit ${scan.code}): ${scan.stdout.slice(-2000)}`);
}

/**
 * Simulated hosts in a process of their own (3 updates each, `latencyMs` per command), a database, an
 * inventory with a health check and pinned host keys, and a first scan: ready for `plan all`.
 */
export async function startScannedSimFleet(count: number, latencyMs: number, work: string) {
  const fleetProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./sim-fleet.ts', import.meta.url).pathname,
      String(count),
      String(latencyMs),
      '3',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: fleetProcess.stdout! }).once('line', resolve);
    fleetProcess.once('exit', (code) => reject(new Error(`simulated fleet exited (${code})`)));
  });
  const { hosts, hostKey } = JSON.parse(firstLine) as { hosts: InventoryHost[]; hostKey: string };
  const database = await createTestDatabase();
  const keyFile = join(work, 'sim_key');
  writeFileSync(keyFile, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
  const inventory = join(work, 'sim-inventory.yml');
  writeFileSync(
    inventory,
    inventoryYaml(hosts, keyFile, { reboot_command: 'true', health_checks: ['/usr/bin/sim-health'] }),
  );
  const knownHosts = join(work, 'sim_known_hosts');
  writeFileSync(knownHosts, hosts.map((h) => `[${h.address}]:${h.port} ${hostKey}`).join('\n'));
  const env = {
    DATABASE_URL: database.url,
    PATCHOPS_INVENTORY: inventory,
    PATCHOPS_KNOWN_HOSTS: knownHosts,
    PATCHOPS_HOST_KEY_POLICY: 'strict',
    PATCHOPS_QUEUE_PREFIX: `bench-${process.pid}`,
    PATCHOPS_DEMO: '0',
  };
  await scanAll(env);
  return {
    env,
    async close() {
      fleetProcess.stdin!.end();
      await database.drop();
    },
  };
}

/** A patchops process (the built CLI), ready once its log says `ready`; its other warnings are shown. */
export async function startCliProcess(
  args: string[],
  env: Record<string, string>,
  ready: string,
  nodeFlags: string[] = [],
) {
  const child = spawn(process.execPath, [...nodeFlags, cliPath, ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.includes(ready)) resolve();
      else if (!line.includes('"level":30')) console.error(line);
    });
    child.once('exit', (code) => reject(new Error(`patchops ${args[0]} exited (${code})`)));
  });
  return {
    pid: child.pid!,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
