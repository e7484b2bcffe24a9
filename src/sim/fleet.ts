import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';
import type { InventoryHost } from '../engine/inventory/types.js';
import { simAddresses } from './addresses.js';
import { simHostKey } from './host-key.js';
import { FleetPlan } from './host-model.js';
import { SeededRandom } from './random.js';
import { SimHost, simHealthCommand, simRebootCommand } from './sim-host.js';
import { createSimServer } from './ssh-server.js';

export interface SimFleetOptions {
  count: number;
  /** Default 127.0.20.1; every host gets the next loopback address. */
  firstAddress?: string;
  /** The same port on every address; default 0, an ephemeral port per host (see each host's `port`). */
  port?: number;
  /** Added to every command's answer, like a network round trip plus the command's run time. Default 30. */
  latencyMs?: number;
  /** Default 400. */
  packagesPerHost?: number;
  /** Exact number of pending updates per host; default varies per host (0 to 50). */
  updatesPerHost?: number;
  seed: number | string;
  /** Login name written into the inventory; the simulator takes any. Default "patchops", with sudo. */
  user?: string;
  /** How long a host refuses connections after its reboot command. Default 200. */
  rebootDelayMs?: number;
  /** Some hosts start with a reboot pending, as their scans say (about 20%). Default true. */
  pendingReboots?: boolean;
}

export interface SimFleet {
  hosts: InventoryHost[];
  /** The hosts' public key, `ssh-ed25519 AAAA...`, the same for every host and every run with this seed. */
  hostKey: string;
  stop(): Promise<void>;
}

const roles = ['web', 'web', 'api', 'db', 'cache', 'worker'];
const maxHosts = 10_000;

/** Start N simulated Debian 12 hosts, each an in-process SSH server on its own loopback address. */
export async function startSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  const { count, seed } = options;
  if (!Number.isInteger(count) || count < 1 || count > maxHosts) {
    throw new RangeError(`count must be 1..${maxHosts}, got ${count}`);
  }
  const addresses = simAddresses(options.firstAddress ?? '127.0.20.1', count);
  const key = simHostKey(seed);
  const parsedKey = ssh2.utils.parseKey(key.privateKey);
  if (parsedKey instanceof Error) throw parsedKey;
  const plan = new FleetPlan(seed);
  const model = {
    packagesPerHost: options.packagesPerHost ?? 400,
    updatesPerHost: options.updatesPerHost,
    pendingReboots: options.pendingReboots,
  };
  const startedAt = Math.floor(Date.now() / 1000);
  const connections = new Set<Connection>();
  const lifecycle = { stopped: false, timers: new Set<NodeJS.Timeout>() };
  const serverOptions = {
    hostKey: parsedKey,
    latencyMs: options.latencyMs ?? 30,
    connections,
    rebootDelayMs: options.rebootDelayMs ?? 200,
    lifecycle,
  };
  const width = Math.max(3, String(count).length);

  const hosts = addresses.map((address, index) => {
    const random = new SeededRandom(seed, `inventory:${index}`);
    const role = random.pick(roles);
    const env = random.chance(0.7) ? 'prod' : 'staging';
    const name = `${role}-${String(index + 1).padStart(width, '0')}`;
    const server = createSimServer(new SimHost(index, name, plan, model, startedAt), serverOptions);
    return { name, address, role, env, server };
  });
  const servers = hosts.map((h) => h.server);
  const stop = async () => {
    lifecycle.stopped = true;
    for (const timer of lifecycle.timers) clearTimeout(timer);
    lifecycle.timers.clear();
    for (const connection of connections) connection.end();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  try {
    await Promise.all(hosts.map((h) => listen(h.server, options.port ?? 0, h.address)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    hosts: hosts.map(({ name, address, role, env, server }) => ({
      name,
      address,
      port: (server.address() as AddressInfo).port,
      user: options.user ?? 'patchops',
      become: true,
      groups: [role, env],
      tags: { role, env, os: 'debian-12' },
      vars: { simulated: true, reboot_command: simRebootCommand, health_checks: [simHealthCommand] },
    })),
    hostKey: key.publicKey,
    stop,
  };
}

function listen(server: ReturnType<typeof createSimServer>, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
