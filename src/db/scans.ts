import { and, desc, eq, sql } from 'drizzle-orm';
import type { PackageScan } from '../engine/package-managers/types.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { availableUpdates, hostScans, hosts, installedPackages, scanRuns } from './schema.js';

export type ScanRunRow = typeof scanRuns.$inferSelect;
export type HostScanRow = typeof hostScans.$inferSelect & { hostName: string };

export interface NewScanRun {
  selector: string;
  requestedBy: string;
  refresh: 'auto' | 'always' | 'never';
  hostIds: number[];
}

export async function createScanRun(db: Db, run: NewScanRun): Promise<ScanRunRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(scanRuns)
      .values({
        selector: run.selector,
        requestedBy: run.requestedBy,
        refresh: run.refresh,
        total: run.hostIds.length,
      })
      .returning();
    const created = row!;
    await tx.insert(hostScans).values(run.hostIds.map((hostId) => ({ runId: created.id, hostId })));
    await audit(tx, {
      actor: run.requestedBy,
      action: 'scan.requested',
      subject: `scan-${created.id}`,
      details: { selector: run.selector, hosts: run.hostIds.length, refresh: run.refresh },
    });
    return created;
  });
}

/** Count an attempt and return the run, or undefined when the run is gone. */
export async function markScanAttempt(
  db: Db,
  runId: number,
  hostId: number,
): Promise<ScanRunRow | undefined> {
  return db.transaction(async (tx) => {
    await tx
      .update(hostScans)
      .set({ attempts: sql`${hostScans.attempts} + 1` })
      .where(and(eq(hostScans.runId, runId), eq(hostScans.hostId, hostId)));
    await tx
      .update(scanRuns)
      .set({ status: 'running' })
      .where(and(eq(scanRuns.id, runId), eq(scanRuns.status, 'queued')));
    const [run] = await tx.select().from(scanRuns).where(eq(scanRuns.id, runId));
    return run;
  });
}

export type HostScanOutcome =
  | {
      status: 'ok';
      osPretty: string;
      osId: string;
      osVersion: string;
      packageManager: string;
      scan: PackageScan;
    }
  | { status: 'failed'; code: string; message: string; osPretty?: string };

export interface OutcomeRecorded {
  /** False when this host already had a final result (a retried or duplicated job): nothing was changed. */
  recorded: boolean;
  run: ScanRunRow;
  runFinished: boolean;
}

const insertChunk = 1000;

async function replaceHostPackages(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  hostId: number,
  scan: PackageScan,
) {
  await tx.delete(installedPackages).where(eq(installedPackages.hostId, hostId));
  await tx.delete(availableUpdates).where(eq(availableUpdates.hostId, hostId));
  for (let i = 0; i < scan.installed.length; i += insertChunk) {
    await tx
      .insert(installedPackages)
      .values(scan.installed.slice(i, i + insertChunk).map((p) => ({ hostId, ...p })));
  }
  for (let i = 0; i < scan.updates.length; i += insertChunk) {
    await tx
      .insert(availableUpdates)
      .values(scan.updates.slice(i, i + insertChunk).map((u) => ({ hostId, ...u })));
  }
}

/**
 * Record a host's final scan result and advance the run, in one transaction. Only the first final result
 * of a (run, host) counts, so a job that runs twice (worker killed after commit, retried) changes nothing.
 */
export async function recordHostScan(
  db: Db,
  runId: number,
  hostId: number,
  outcome: HostScanOutcome,
): Promise<OutcomeRecorded> {
  return db.transaction(async (tx) => {
    const finishedAt = new Date();
    const ok = outcome.status === 'ok';
    const updated = await tx
      .update(hostScans)
      .set({
        status: outcome.status,
        finishedAt,
        ...(ok
          ? {
              osPretty: outcome.osPretty,
              packageManager: outcome.packageManager,
              installedCount: outcome.scan.installed.length,
              updateCount: outcome.scan.updates.length,
              securityCount: outcome.scan.updates.filter((u) => u.security).length,
              rebootRequired: outcome.scan.rebootRequired,
              refreshed: outcome.scan.refreshed,
              warnings: outcome.scan.warnings,
            }
          : { errorCode: outcome.code, errorMessage: outcome.message, osPretty: outcome.osPretty ?? null }),
      })
      .where(and(eq(hostScans.runId, runId), eq(hostScans.hostId, hostId), eq(hostScans.status, 'pending')))
      .returning({ id: hostScans.id });
    if (updated.length === 0) {
      const [run] = await tx.select().from(scanRuns).where(eq(scanRuns.id, runId));
      return { recorded: false, run: run!, runFinished: run!.finishedAt !== null };
    }
    if (ok) {
      await replaceHostPackages(tx, hostId, outcome.scan);
      await tx
        .update(hosts)
        .set({
          osId: outcome.osId,
          osVersion: outcome.osVersion,
          osPretty: outcome.osPretty,
          packageManager: outcome.packageManager,
          lastScanId: updated[0]!.id,
          lastScanAt: finishedAt,
        })
        .where(eq(hosts.id, hostId));
    }
    const [run] = await tx
      .update(scanRuns)
      .set({
        succeeded: ok ? sql`${scanRuns.succeeded} + 1` : scanRuns.succeeded,
        failed: ok ? scanRuns.failed : sql`${scanRuns.failed} + 1`,
        status: 'running',
      })
      .where(eq(scanRuns.id, runId))
      .returning();
    let current = run!;
    const runFinished = current.succeeded + current.failed >= current.total;
    if (runFinished) {
      const status = current.succeeded === 0 && current.total > 0 ? 'failed' : 'done';
      [current] = (await tx
        .update(scanRuns)
        .set({ status, finishedAt })
        .where(eq(scanRuns.id, runId))
        .returning()) as [ScanRunRow];
    }
    await audit(tx, {
      actor: 'engine',
      action: ok ? 'scan.host.ok' : 'scan.host.failed',
      subject: `scan-${runId}`,
      details: ok
        ? { hostId, updates: outcome.scan.updates.length, rebootRequired: outcome.scan.rebootRequired }
        : { hostId, code: outcome.code, message: outcome.message },
    });
    if (runFinished) {
      await audit(tx, {
        actor: 'engine',
        action: 'scan.finished',
        subject: `scan-${runId}`,
        details: { succeeded: current.succeeded, failed: current.failed },
      });
    }
    return { recorded: true, run: current, runFinished };
  });
}

export async function getScanRun(
  db: Db,
  runId: number,
): Promise<{ run: ScanRunRow; hosts: HostScanRow[] } | undefined> {
  const [run] = await db.select().from(scanRuns).where(eq(scanRuns.id, runId));
  if (!run) return undefined;
  const rows = await db
    .select({ scan: hostScans, hostName: hosts.name })
    .from(hostScans)
    .innerJoin(hosts, eq(hosts.id, hostScans.hostId))
    .where(eq(hostScans.runId, runId))
    .orderBy(hosts.name);
  return { run, hosts: rows.map((r) => ({ ...r.scan, hostName: r.hostName })) };
}

export async function listScanRuns(db: Db, limit = 10): Promise<ScanRunRow[]> {
  return db.select().from(scanRuns).orderBy(desc(scanRuns.id)).limit(limit);
}
