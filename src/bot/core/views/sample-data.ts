import type { HostScanSummary, HostSummary, ScanRunSummary } from '../views.js';

/* Realistic view inputs for specs and for trying the renderers by hand. */

export function hostSummary(name: string, overrides: Partial<HostSummary> = {}): HostSummary {
  return {
    name,
    address: `10.0.0.${name.length}`,
    port: 22,
    groups: [],
    tags: {},
    os: 'Debian 12',
    packageManager: 'apt',
    updates: 3,
    securityUpdates: 1,
    rebootRequired: false,
    lastScanAt: '2025-03-04T09:15:30Z',
    lastScanError: null,
    ...overrides,
  };
}

export function hostScan(host: string, overrides: Partial<HostScanSummary> = {}): HostScanSummary {
  return {
    host,
    status: 'ok',
    os: 'Ubuntu 24.04',
    installed: 612,
    updates: 8,
    securityUpdates: 2,
    rebootRequired: false,
    error: null,
    warnings: [],
    ...overrides,
  };
}

export function scanRun(overrides: Partial<ScanRunSummary> = {}): ScanRunSummary {
  return {
    id: 'scan-42',
    selector: 'web-*',
    requestedBy: 'alice',
    status: 'done',
    total: 3,
    succeeded: 2,
    failed: 1,
    createdAt: '2025-03-04T09:15:00Z',
    finishedAt: '2025-03-04T09:16:05Z',
    ...overrides,
  };
}
