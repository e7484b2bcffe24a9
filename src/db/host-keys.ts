import { eq } from 'drizzle-orm';
import type { HostKeyStore, PinnedKey } from '../engine/ssh/host-keys.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { hostKeys, hosts } from './schema/index.js';

/** Pinned host keys live in Postgres, so every worker on every machine enforces the same pins. */
export function databaseHostKeyStore(db: Db): HostKeyStore {
  return {
    async pinned(hostName) {
      const rows = await db
        .select({ key: hostKeys })
        .from(hostKeys)
        .innerJoin(hosts, eq(hosts.id, hostKeys.hostId))
        .where(eq(hosts.name, hostName));
      return rows.map(({ key }) => ({
        type: key.keyType,
        base64: key.keyBase64,
        source: key.source,
        firstSeenAt: key.firstSeenAt,
      }));
    },
    async record(hostName, key) {
      await pinHostKeys(db, hostName, [key], 'engine');
    },
  };
}

/** Pin keys for a host (first-seen or imported from known_hosts); already pinned keys are left as they are. */
export async function pinHostKeys(
  db: Db,
  hostName: string,
  keys: PinnedKey[],
  actor: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [host] = await tx.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, hostName));
    if (!host) throw new Error(`unknown host '${hostName}'`);
    const added = await tx
      .insert(hostKeys)
      .values(
        keys.map((k) => ({
          hostId: host.id,
          keyType: k.type,
          keyBase64: k.base64,
          source: k.source,
          firstSeenAt: k.firstSeenAt,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: hostKeys.id, keyType: hostKeys.keyType });
    if (added.length > 0) {
      await audit(tx, {
        actor,
        action: 'host-key.pinned',
        subject: hostName,
        details: { keys: added.map((k) => k.keyType), source: keys[0]?.source },
      });
    }
    return added.length;
  });
}

/** Drop every pinned key of a host (an expected key change); the next connection pins anew under accept-new. */
export async function forgetHostKeys(db: Db, hostName: string, actor: string): Promise<number> {
  return db.transaction(async (tx) => {
    const [host] = await tx.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, hostName));
    if (!host) throw new Error(`unknown host '${hostName}'`);
    const removed = await tx
      .delete(hostKeys)
      .where(eq(hostKeys.hostId, host.id))
      .returning({ keyType: hostKeys.keyType, keyBase64: hostKeys.keyBase64 });
    await audit(tx, {
      actor,
      action: 'host-key.forgotten',
      subject: hostName,
      details: { keys: removed.map((k) => k.keyType) },
    });
    return removed.length;
  });
}
