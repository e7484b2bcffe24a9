import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Config } from '../config/index.js';
import { readInventory } from '../engine/inventory/load.js';
import type { InventoryHost } from '../engine/inventory/types.js';
import type { SimFleet } from '../sim/index.js';

export interface InventorySource {
  hosts: InventoryHost[] | undefined;
  /** Things the loader skipped or changed (passwords dropped, non-SSH hosts...), one line per cause. */
  warnings: string[];
  /** A line for people: where the hosts came from. */
  description: string;
  /** A demo fleet started in-process, to be stopped with the process. */
  demo?: SimFleet;
}

/**
 * PATCHOPS_INVENTORY when set. Otherwise, for interactive commands with nothing configured, a small fleet
 * of simulated hosts, so a newcomer can try every command at once (PATCHOPS_DEMO=0 turns this off).
 */
export async function resolveInventory(config: Config, interactive: boolean): Promise<InventorySource> {
  const { env } = config;
  if (env.PATCHOPS_INVENTORY) {
    const { hosts, warnings } = readInventory(env.PATCHOPS_INVENTORY);
    return {
      hosts,
      warnings,
      description: `inventory: ${hosts.length} hosts from ${env.PATCHOPS_INVENTORY}`,
    };
  }
  if (env.PATCHOPS_DEMO === '1' || (env.PATCHOPS_DEMO === 'auto' && interactive)) {
    const { startSimFleet } = await import('../sim/index.js');
    const demo = await startSimFleet({ count: 5, seed: 1, latencyMs: 50 });
    const keyFile = demoKeyFile(env.PATCHOPS_DATA_DIR);
    return {
      hosts: demo.hosts.map((host) => ({ ...host, keyFile })),
      warnings: [],
      demo,
      description:
        'inventory: 5 simulated demo hosts (no PATCHOPS_INVENTORY set). Point PATCHOPS_INVENTORY at your inventory, or try a real lab fleet: `npm run lab -- up 5`.',
    };
  }
  return {
    hosts: undefined,
    warnings: [],
    description: 'inventory: none configured (PATCHOPS_INVENTORY); using the hosts already in the database',
  };
}

/** The simulator takes any key but wants one offered: a throwaway key kept in the data directory. */
function demoKeyFile(dataDir: string): string {
  const path = join(dataDir, 'demo_ed25519');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
  }
  return path;
}
