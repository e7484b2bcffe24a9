import { readFileSync } from 'node:fs';
import type { Db } from '../db/client.js';
import { pinHostKeys } from '../db/host-keys.js';
import type { InventoryHost } from '../engine/inventory/types.js';
import { lookupKnownHosts, parseKnownHosts, pinsFromKnownHosts } from '../engine/ssh/known-hosts.js';
import type { Logger } from '../logger.js';

/** Pin the keys a known_hosts file lists for inventory hosts (by name or address); audited per host. */
export async function importKnownHosts(
  db: Db,
  path: string,
  inventory: InventoryHost[],
  logger: Logger,
): Promise<number> {
  const parsed = parseKnownHosts(readFileSync(path, 'utf8'));
  for (const problem of parsed.problems)
    logger.warn(`${path}:${problem.line}: ${problem.message} (line skipped)`);
  const importedAt = new Date();
  let pinned = 0;
  for (const host of inventory) {
    const pins = pinsFromKnownHosts(
      lookupKnownHosts(parsed.entries, [host.name, host.address], host.port),
      importedAt,
    );
    if (pins.length > 0) pinned += await pinHostKeys(db, host.name, pins, 'known_hosts');
  }
  if (pinned > 0) logger.info({ pinned, path }, 'host keys imported from known_hosts');
  return pinned;
}
