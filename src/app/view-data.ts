import type { HostScanSummary, HostSummary, ScanRunSummary } from '../bot/core/views.js';
import type { HostRecord, LatestScan } from '../db/hosts.js';
import type { HostScanRow, ScanRunRow } from '../db/scans.js';

/** Rows from Postgres → the view data the core renders. */

export function runSummary(run: ScanRunRow): ScanRunSummary {
  return {
    id: `scan-${run.id}`,
    selector: run.selector,
    requestedBy: run.requestedBy,
    status: run.status,
    total: run.total,
    succeeded: run.succeeded,
    failed: run.failed,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export function hostScanSummary(row: HostScanRow): HostScanSummary {
  return {
    host: row.hostName,
    status: row.status,
    os: row.osPretty,
    installed: row.installedCount,
    updates: row.updateCount,
    securityUpdates: row.securityCount,
    rebootRequired: row.rebootRequired,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    warnings: row.warnings,
  };
}

export function hostSummary(
  host: HostRecord,
  latest: LatestScan | undefined,
  lastOk: LatestScan | undefined,
): HostSummary {
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    groups: host.groups,
    tags: host.tags,
    os: host.osPretty,
    packageManager: host.packageManager,
    updates: lastOk?.updateCount ?? null,
    securityUpdates: lastOk?.securityCount ?? null,
    rebootRequired: lastOk?.rebootRequired ?? null,
    lastScanAt: latest?.finishedAt.toISOString() ?? null,
    lastScanError: latest?.status === 'failed' ? `${latest.errorCode}: ${latest.errorMessage}` : null,
  };
}
