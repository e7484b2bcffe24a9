import { and, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { PackageScan } from '../engine/package-managers/types.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { auditLog, availableUpdates, hostScans, hosts, installedPackages, scanRuns } from './schema/index.js';

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
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Common table expressions that bring a host's package rows to what the scan found, writing only what
 * changed: a rescan after a patch changes a few of 400 rows, and rewriting them all would be most of the
 * database's work in a large rollout. Rows travel as one JSON parameter: building a 400-row INSERT with
 * the query builder costs more CPU than the database spends on it.
 */
function packageChanges(hostId: number, scan: PackageScan) {
  return sql`
    found_installed AS MATERIALIZED (
      SELECT * FROM json_to_recordset(${JSON.stringify(scan.installed)}::json)
        AS p(name text, arch text, version text, "sourceName" text, "sourceVersion" text)
    ), gone_installed AS (
      DELETE FROM ${installedPackages} i WHERE i.host_id = ${hostId} AND NOT EXISTS (
        SELECT 1 FROM found_installed f WHERE f.name = i.name AND f.arch = i.arch AND f.version = i.version)
    ), new_installed AS (
      INSERT INTO ${installedPackages} (host_id, name, arch, version, source_name, source_version)
      SELECT ${hostId}, name, arch, version, "sourceName", "sourceVersion" FROM found_installed
      ON CONFLICT DO NOTHING
    ), found_updates AS MATERIALIZED (
      SELECT * FROM json_to_recordset(${JSON.stringify(scan.updates)}::json)
        AS u(name text, arch text, "installedVersion" text, version text, origin text, security boolean)
    ), gone_updates AS (
      DELETE FROM ${availableUpdates} a WHERE a.host_id = ${hostId} AND NOT EXISTS (
        SELECT 1 FROM found_updates f WHERE f.name = a.name AND f.arch = a.arch)
    ), new_updates AS (
      INSERT INTO ${availableUpdates} (host_id, name, arch, installed_version, version, origin, security)
      SELECT ${hostId}, name, arch, "installedVersion", version, origin, security FROM found_updates
      ON CONFLICT (host_id, name, arch) DO UPDATE SET
        installed_version = excluded.installed_version, version = excluded.version,
        origin = excluded.origin, security = excluded.security
      WHERE (${availableUpdates}.installed_version, ${availableUpdates}.version, ${availableUpdates}.origin,
        ${availableUpdates}.security) IS DISTINCT FROM
        (excluded.installed_version, excluded.version, excluded.origin, excluded.security)
    )`;
}

function hostScanFields(outcome: HostScanOutcome) {
  if (outcome.status === 'failed')
    return {
      status: outcome.status,
      errorCode: outcome.code,
      errorMessage: outcome.message,
      osPretty: outcome.osPretty ?? null,
    };
  return {
    status: outcome.status,
    osPretty: outcome.osPretty,
    packageManager: outcome.packageManager,
    installedCount: outcome.scan.installed.length,
    updateCount: outcome.scan.updates.length,
    securityCount: outcome.scan.updates.filter((u) => u.security).length,
    rebootRequired: outcome.scan.rebootRequired,
    refreshed: outcome.scan.refreshed,
    warnings: outcome.scan.warnings,
  };
}

/** The host as this scan found it: its packages, its OS, its latest scan. */
async function storeHostState(
  tx: Tx,
  hostId: number,
  outcome: Extract<HostScanOutcome, { status: 'ok' }>,
  hostScanId: number,
  finishedAt: Date,
) {
  await tx.execute(sql`WITH ${packageChanges(hostId, outcome.scan)} SELECT 1`);
  await tx
    .update(hosts)
    .set({
      osId: outcome.osId,
      osVersion: outcome.osVersion,
      osPretty: outcome.osPretty,
      packageManager: outcome.packageManager,
      lastScanId: hostScanId,
      lastScanAt: finishedAt,
    })
    .where(eq(hosts.id, hostId));
}

/**
 * The rescan a rollout makes of a host it patched, as one statement (it runs once per patched host): a
 * finished one-host run of purpose 'verify' (kept out of the list of scans), its result, the host's new
 * packages and state, and the audit entry.
 */
export async function recordVerifyScan(
  db: Db,
  hostId: number,
  hostName: string,
  requestedBy: string,
  outcome: Extract<HostScanOutcome, { status: 'ok' }>,
): Promise<void> {
  const at = new Date();
  const { scan } = outcome;
  const security = scan.updates.filter((u) => u.security).length;
  const details = JSON.stringify({
    hostId,
    purpose: 'verify',
    by: requestedBy,
    updates: scan.updates.length,
  });
  await db.execute(sql`
    WITH ${packageChanges(hostId, scan)},
    run AS (
      INSERT INTO ${scanRuns} (selector, requested_by, refresh, purpose, status, total, succeeded, finished_at)
      VALUES (${hostName}, ${requestedBy}, 'never', 'verify', 'done', 1, 1, ${at})
      RETURNING id
    ), scan AS (
      INSERT INTO ${hostScans} (run_id, host_id, status, finished_at, os_pretty, package_manager, installed_count,
        update_count, security_count, reboot_required, refreshed, warnings)
      SELECT run.id, ${hostId}, 'ok', ${at}, ${outcome.osPretty}, ${outcome.packageManager},
        ${scan.installed.length}, ${scan.updates.length}, ${security},
        ${scan.rebootRequired}, ${scan.refreshed}, ${JSON.stringify(scan.warnings)}::jsonb
      FROM run
      RETURNING id, run_id
    ), host AS (
      UPDATE ${hosts} SET os_id = ${outcome.osId}, os_version = ${outcome.osVersion},
        os_pretty = ${outcome.osPretty}, package_manager = ${outcome.packageManager},
        last_scan_id = (SELECT id FROM scan), last_scan_at = ${at}
      WHERE id = ${hostId}
    )
    INSERT INTO ${auditLog} (actor, action, subject, details)
    SELECT 'engine', 'scan.host.ok', 'scan-' || scan.run_id, ${details}::jsonb FROM scan`);
}

/**
 * Record a host's final scan result in one transaction. Only the first final result of a (run, host)
 * counts, so a job that runs twice (worker killed after commit, retried) changes nothing. The run row is
 * not touched here: hundreds of hosts finishing at once would queue on its lock.
 */
export async function recordHostScan(
  db: Db,
  runId: number,
  hostId: number,
  outcome: HostScanOutcome,
): Promise<OutcomeRecorded> {
  const recorded = await db.transaction(async (tx) => {
    const finishedAt = new Date();
    const ok = outcome.status === 'ok';
    const updated = await tx
      .update(hostScans)
      .set({ finishedAt, ...hostScanFields(outcome) })
      .where(and(eq(hostScans.runId, runId), eq(hostScans.hostId, hostId), eq(hostScans.status, 'pending')))
      .returning({ id: hostScans.id });
    if (updated.length === 0) return false;
    if (outcome.status === 'ok') await storeHostState(tx, hostId, outcome, updated[0]!.id, finishedAt);
    await audit(tx, {
      actor: 'engine',
      action: ok ? 'scan.host.ok' : 'scan.host.failed',
      subject: `scan-${runId}`,
      details: ok
        ? { hostId, updates: outcome.scan.updates.length, rebootRequired: outcome.scan.rebootRequired }
        : { hostId, code: outcome.code, message: outcome.message },
    });
    return true;
  });
  return { recorded };
}

/**
 * Close the run when no host is pending. Runs after the host's commit, so of two hosts finishing
 * together at least the later one sees none pending; the finished_at guard lets only one close it.
 * Also called at worker start, for a worker that died between the two steps.
 */
export async function finishRunIfComplete(db: Db, runId: number): Promise<ScanRunRow | undefined> {
  return db.transaction(async (tx) => {
    const counts = tx
      .select({
        ok: sql<number>`count(*) FILTER (WHERE ${hostScans.status} = 'ok')::int`.as('ok_count'),
        failed: sql<number>`count(*) FILTER (WHERE ${hostScans.status} = 'failed')::int`.as('failed_count'),
        pending: sql<number>`count(*) FILTER (WHERE ${hostScans.status} = 'pending')::int`.as(
          'pending_count',
        ),
      })
      .from(hostScans)
      .where(eq(hostScans.runId, runId))
      .as('counts');
    const [finished] = await tx
      .update(scanRuns)
      .set({
        succeeded: sql`${counts.ok}`,
        failed: sql`${counts.failed}`,
        status: sql`CASE WHEN ${counts.ok} = 0 AND ${scanRuns.total} > 0 THEN 'failed' ELSE 'done' END`,
        finishedAt: new Date(),
      })
      .from(counts)
      .where(and(eq(scanRuns.id, runId), isNull(scanRuns.finishedAt), eq(counts.pending, 0)))
      .returning(getTableColumns(scanRuns));
    if (!finished) return undefined;
    await audit(tx, {
      actor: 'engine',
      action: 'scan.finished',
      subject: `scan-${runId}`,
      details: { succeeded: finished.succeeded, failed: finished.failed },
    });
    return finished;
  });
}

/** Runs not finished yet, for the worker's start-up check. */
export async function unfinishedRunIds(db: Db): Promise<number[]> {
  const rows = await db.select({ id: scanRuns.id }).from(scanRuns).where(isNull(scanRuns.finishedAt));
  return rows.map((r) => r.id);
}

/** While a run is going its counters are derived from its hosts; the run row gets them when it finishes. */
function withLiveCounts(run: ScanRunRow, hostRows: { status: string }[]): ScanRunRow {
  if (run.finishedAt) return run;
  return {
    ...run,
    succeeded: hostRows.filter((h) => h.status === 'ok').length,
    failed: hostRows.filter((h) => h.status === 'failed').length,
  };
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
  const hostRows = rows.map((r) => ({ ...r.scan, hostName: r.hostName }));
  return { run: withLiveCounts(run, hostRows), hosts: hostRows };
}

export async function listScanRuns(db: Db, limit = 10): Promise<ScanRunRow[]> {
  const runs = await db
    .select()
    .from(scanRuns)
    .where(eq(scanRuns.purpose, 'scan'))
    .orderBy(desc(scanRuns.id))
    .limit(limit);
  const live = runs.filter((r) => !r.finishedAt).map((r) => r.id);
  if (live.length === 0) return runs;
  const statuses = await db
    .select({ runId: hostScans.runId, status: hostScans.status })
    .from(hostScans)
    .where(inArray(hostScans.runId, live));
  return runs.map((run) =>
    withLiveCounts(
      run,
      statuses.filter((s) => s.runId === run.id),
    ),
  );
}
