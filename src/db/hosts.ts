import { and, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { InventoryHost } from '../engine/inventory/types.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { hostGroups, hostScans, hosts, hostTags } from './schema/index.js';

export interface HostRecord extends InventoryHost {
  id: number;
  osId: string | null;
  osVersion: string | null;
  osPretty: string | null;
  packageManager: string | null;
  lastScanAt: Date | null;
}

export interface InventorySyncResult {
  added: string[];
  updated: string[];
  retired: string[];
}

const batchSize = 1000;

/** On conflict, take every inventory column from the row that was proposed. */
const upsertFromExcluded = Object.fromEntries(
  ['address', 'port', 'user', 'keyFile', 'become', 'bastion', 'zone', 'vars', 'retiredAt'].map((key) => {
    const column = hosts[key as keyof typeof hosts.$inferSelect];
    return [key, sql.raw(`excluded.${column.name}`)];
  }),
);

function hostColumns(host: InventoryHost) {
  return {
    address: host.address,
    port: host.port,
    user: host.user ?? null,
    keyFile: host.keyFile ?? null,
    become: host.become ?? false,
    bastion: host.bastion ?? null,
    zone: host.zone ?? null,
    vars: host.vars,
    retiredAt: null,
  };
}

/** Make the hosts table follow the inventory: upsert every host, retire inventory hosts that are gone. */
export async function syncInventory(db: Db, inventory: InventoryHost[]): Promise<InventorySyncResult> {
  return db.transaction(async (tx) => {
    const existing = new Set((await tx.select({ name: hosts.name }).from(hosts)).map((h) => h.name));
    const result: InventorySyncResult = {
      added: inventory.filter((h) => !existing.has(h.name)).map((h) => h.name),
      updated: inventory.filter((h) => existing.has(h.name)).map((h) => h.name),
      retired: [],
    };
    const ids = new Map<string, number>();
    for (let i = 0; i < inventory.length; i += batchSize) {
      const rows = await tx
        .insert(hosts)
        .values(
          inventory
            .slice(i, i + batchSize)
            .map((host) => ({ name: host.name, source: 'inventory' as const, ...hostColumns(host) })),
        )
        .onConflictDoUpdate({ target: hosts.name, set: upsertFromExcluded })
        .returning({ id: hosts.id, name: hosts.name });
      for (const row of rows) ids.set(row.name, row.id);
    }
    const hostIds = [...ids.values()];
    if (hostIds.length > 0) {
      await tx.delete(hostGroups).where(inArray(hostGroups.hostId, hostIds));
      await tx.delete(hostTags).where(inArray(hostTags.hostId, hostIds));
    }
    const groupRows = inventory.flatMap((h) =>
      [...new Set(h.groups)].map((name) => ({ hostId: ids.get(h.name)!, name })),
    );
    const tagRows = inventory.flatMap((h) =>
      Object.entries(h.tags).map(([key, value]) => ({ hostId: ids.get(h.name)!, key, value })),
    );
    for (let i = 0; i < groupRows.length; i += batchSize)
      await tx.insert(hostGroups).values(groupRows.slice(i, i + batchSize));
    for (let i = 0; i < tagRows.length; i += batchSize)
      await tx.insert(hostTags).values(tagRows.slice(i, i + batchSize));
    const names = inventory.map((h) => h.name);
    const retired = await tx
      .update(hosts)
      .set({ retiredAt: new Date() })
      .where(
        and(
          eq(hosts.source, 'inventory'),
          isNull(hosts.retiredAt),
          names.length > 0 ? notInArray(hosts.name, names) : undefined,
        ),
      )
      .returning({ name: hosts.name });
    result.retired = retired.map((r) => r.name);
    if (result.added.length > 0 || result.retired.length > 0) {
      await audit(tx, {
        actor: 'system',
        action: 'inventory.synced',
        details: { ...result, updated: result.updated.length },
      });
    }
    return result;
  });
}

/** Every active host with its groups and tags, sorted by name. */
export async function listHosts(db: Db): Promise<HostRecord[]> {
  const rows = await db.select().from(hosts).where(isNull(hosts.retiredAt)).orderBy(hosts.name);
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const groups = await db.select().from(hostGroups).where(inArray(hostGroups.hostId, ids));
  const tags = await db.select().from(hostTags).where(inArray(hostTags.hostId, ids));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    address: row.address,
    port: row.port,
    ...(row.user ? { user: row.user } : {}),
    ...(row.keyFile ? { keyFile: row.keyFile } : {}),
    become: row.become,
    ...(row.bastion ? { bastion: row.bastion } : {}),
    ...(row.zone ? { zone: row.zone } : {}),
    groups: groups.filter((g) => g.hostId === row.id).map((g) => g.name),
    tags: Object.fromEntries(tags.filter((t) => t.hostId === row.id).map((t) => [t.key, t.value])),
    vars: row.vars,
    osId: row.osId,
    osVersion: row.osVersion,
    osPretty: row.osPretty,
    packageManager: row.packageManager,
    lastScanAt: row.lastScanAt,
  }));
}

export interface LatestScan {
  hostId: number;
  status: 'ok' | 'failed';
  finishedAt: Date;
  updateCount: number | null;
  securityCount: number | null;
  rebootRequired: boolean | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** The latest finished scan of each host, and the latest successful one (whose counts stay valid). */
export async function latestScans(
  db: Db,
  hostIds: number[],
): Promise<{ latest: Map<number, LatestScan>; ok: Map<number, LatestScan> }> {
  if (hostIds.length === 0) return { latest: new Map(), ok: new Map() };
  const select = (okOnly: boolean) =>
    db
      .selectDistinctOn([hostScans.hostId], {
        hostId: hostScans.hostId,
        status: hostScans.status,
        finishedAt: hostScans.finishedAt,
        updateCount: hostScans.updateCount,
        securityCount: hostScans.securityCount,
        rebootRequired: hostScans.rebootRequired,
        errorCode: hostScans.errorCode,
        errorMessage: hostScans.errorMessage,
      })
      .from(hostScans)
      .where(
        and(
          inArray(hostScans.hostId, hostIds),
          okOnly ? eq(hostScans.status, 'ok') : sql`${hostScans.status} <> 'pending'`,
        ),
      )
      .orderBy(hostScans.hostId, desc(hostScans.finishedAt));
  const toMap = (rows: Awaited<ReturnType<typeof select>>) =>
    new Map(
      rows.map((r) => [r.hostId, { ...r, status: r.status as 'ok' | 'failed', finishedAt: r.finishedAt! }]),
    );
  const [latest, ok] = await Promise.all([select(false), select(true)]);
  return { latest: toMap(latest), ok: toMap(ok) };
}

/** Hosts change rarely and every job needs them (bastions too): read them at most once a few seconds. */
export function cachedHosts(db: Db, ttlMs = 3000): () => Promise<Map<string, HostRecord>> {
  let cache: { at: number; hosts: Promise<Map<string, HostRecord>> } | undefined;
  return () => {
    if (!cache || Date.now() - cache.at > ttlMs) {
      cache = { at: Date.now(), hosts: listHosts(db).then((all) => new Map(all.map((h) => [h.name, h]))) };
    }
    return cache.hosts;
  };
}
