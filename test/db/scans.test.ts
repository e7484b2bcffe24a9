import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { latestScans, listHosts, syncInventory } from '../../src/db/hosts.js';
import {
  createScanRun,
  finishRunIfComplete,
  getScanRun,
  type HostScanOutcome,
  recordHostScan,
} from '../../src/db/scans.js';
import { auditLog, availableUpdates, hosts } from '../../src/db/schema/index.js';
import type { InventoryHost } from '../../src/engine/inventory/types.js';
import { createTestDatabase } from '../support/postgres.js';

const inventoryHost = (name: string, extra: Partial<InventoryHost> = {}): InventoryHost => ({
  name,
  address: '127.0.0.1',
  port: 22,
  groups: ['web'],
  tags: { env: 'test' },
  vars: {},
  ...extra,
});

const okOutcome = (updates: number): HostScanOutcome => ({
  status: 'ok',
  osId: 'debian',
  osVersion: '12',
  osPretty: 'Debian GNU/Linux 12 (bookworm)',
  packageManager: 'apt',
  scan: {
    installed: [
      { name: 'openssl', version: '3.0.1-1', arch: 'amd64', sourceName: 'openssl', sourceVersion: '3.0.1-1' },
    ],
    updates: Array.from({ length: updates }, (_, i) => ({
      name: `pkg${i}`,
      arch: 'amd64',
      installedVersion: '1.0-1',
      version: '1.0-2',
      origin: 'Debian-Security:12/stable-security',
      security: i % 2 === 0,
    })),
    rebootRequired: false,
    rebootPackages: [],
    refreshed: true,
    warnings: [],
  },
});

describe('scan state in Postgres', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;

  beforeAll(async () => {
    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });

  it('syncs the inventory: adds, updates groups and tags, retires hosts that left it', async () => {
    const first = await syncInventory(database.db, [inventoryHost('web-01'), inventoryHost('web-02')]);
    expect(first).toEqual({ added: ['web-01', 'web-02'], updated: [], retired: [] });
    const second = await syncInventory(database.db, [
      inventoryHost('web-01', { groups: ['web', 'prod'], tags: { env: 'prod' } }),
    ]);
    expect(second).toEqual({ added: [], updated: ['web-01'], retired: ['web-02'] });
    const listed = await listHosts(database.db);
    expect(listed.map((h) => [h.name, h.groups.sort(), h.tags])).toEqual([
      ['web-01', ['prod', 'web'], { env: 'prod' }],
    ]);
    await syncInventory(database.db, [inventoryHost('web-01'), inventoryHost('web-02')]);
    expect((await listHosts(database.db)).map((h) => h.name)).toEqual(['web-01', 'web-02']);
  });

  it('counts each host once even when its job runs twice, and finishes the run on the last host', async () => {
    const [web1, web2] = await listHosts(database.db);
    const run = await createScanRun(database.db, {
      selector: 'all',
      requestedBy: 'alice',
      refresh: 'auto',
      hostIds: [web1!.id, web2!.id],
    });

    const first = await recordHostScan(database.db, run.id, web1!.id, okOutcome(4));
    expect(first).toEqual({ recorded: true });
    expect((await getScanRun(database.db, run.id))?.run).toMatchObject({
      succeeded: 1,
      failed: 0,
      finishedAt: null,
    });
    const duplicate = await recordHostScan(database.db, run.id, web1!.id, okOutcome(9));
    expect(duplicate).toEqual({ recorded: false });
    expect((await getScanRun(database.db, run.id))?.run).toMatchObject({ succeeded: 1, failed: 0 });
    expect(
      await database.db.select().from(availableUpdates).where(eq(availableUpdates.hostId, web1!.id)),
    ).toHaveLength(4);

    const last = await recordHostScan(database.db, run.id, web2!.id, {
      status: 'failed',
      code: 'unreachable',
      message: 'web-02: connection refused',
    });
    expect(last).toEqual({ recorded: true });
    const finished = await finishRunIfComplete(database.db, run.id);
    expect(finished).toMatchObject({ succeeded: 1, failed: 1, status: 'done' });
    expect(finished?.finishedAt).toBeInstanceOf(Date);
    expect(await finishRunIfComplete(database.db, run.id)).toBeUndefined();

    const state = await getScanRun(database.db, run.id);
    expect(
      state?.hosts.map((h) => [h.hostName, h.status, h.updateCount, h.securityCount, h.errorCode]),
    ).toEqual([
      ['web-01', 'ok', 4, 2, null],
      ['web-02', 'failed', null, null, 'unreachable'],
    ]);
    const [host1] = await database.db.select().from(hosts).where(eq(hosts.id, web1!.id));
    expect(host1).toMatchObject({ osId: 'debian', packageManager: 'apt' });

    const { latest, ok } = await latestScans(database.db, [web1!.id, web2!.id]);
    expect(latest.get(web2!.id)?.status).toBe('failed');
    expect(ok.get(web2!.id)).toBeUndefined();
    expect(ok.get(web1!.id)?.updateCount).toBe(4);

    const actions = (
      await database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subject, `scan-${run.id}`))
    ).map((a) => a.action);
    expect(actions).toEqual(['scan.requested', 'scan.host.ok', 'scan.host.failed', 'scan.finished']);
  });

  it('marks a run failed when no host could be scanned', async () => {
    const [web1] = await listHosts(database.db);
    const run = await createScanRun(database.db, {
      selector: 'web-01',
      requestedBy: 'bob',
      refresh: 'never',
      hostIds: [web1!.id],
    });
    await recordHostScan(database.db, run.id, web1!.id, {
      status: 'failed',
      code: 'auth',
      message: 'denied',
    });
    expect((await finishRunIfComplete(database.db, run.id))?.status).toBe('failed');
  });

  it('closes a run exactly once when its last hosts finish at the same moment', async () => {
    const all = await listHosts(database.db);
    for (let round = 0; round < 5; round++) {
      const run = await createScanRun(database.db, {
        selector: 'all',
        requestedBy: 'x',
        refresh: 'never',
        hostIds: all.map((h) => h.id),
      });
      // Every host records, then every worker tries to close the run, all at once: one wins.
      const closers = await Promise.all(
        all.map(async (h) => {
          await recordHostScan(database.db, run.id, h.id, okOutcome(1));
          return finishRunIfComplete(database.db, run.id);
        }),
      );
      expect(closers.filter((finished) => finished !== undefined)).toHaveLength(1);
      const finishes = await database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subject, `scan-${run.id}`));
      expect(finishes.filter((a) => a.action === 'scan.finished')).toHaveLength(1);
    }
  });
});
