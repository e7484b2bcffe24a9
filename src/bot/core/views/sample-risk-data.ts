import type { Priority } from '../../../engine/prioritize/types.js';
import type {
  AcceptanceSummary,
  CveDetail,
  CveHostFinding,
  FeedStatus,
  FindingSummary,
  FindingsTotals,
} from '../views.js';

/* Realistic inputs for the findings, CVE, feed and acceptance views, for specs and trying renderers by hand. */

export const AS_OF = '2025-03-04';

export const XZ_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H';

export function finding(host: string, overrides: Partial<FindingSummary> = {}): FindingSummary {
  return {
    host,
    package: 'openssl',
    installedVersion: '3.0.11-1~deb12u2',
    fixedVersion: '3.0.15-1~deb12u1',
    cves: ['CVE-2024-5535'],
    advisories: ['DSA-5764-1'],
    priority: 'P3',
    decision: 'track*',
    dueDate: '2025-03-20',
    firstSeen: '2025-02-18',
    reasons: [
      { code: 'cvss', text: 'CVSS 9.1 network' },
      { code: 'exposure', text: 'internal' },
      { code: 'criticality', text: 'critical host' },
      { code: 'epss', text: 'EPSS 0.0045 (75th pct)' },
    ],
    summary: 'CVSS 9.1 network, internal, critical host',
    kev: null,
    epss: { probability: 0.0045, percentile: 0.75 },
    cvss: {
      v3: { score: 9.1, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H', severity: 'critical' },
      v4: null,
    },
    accepted: null,
    ...overrides,
  };
}

export function totalsOf(findings: readonly FindingSummary[], overrides: Partial<FindingsTotals> = {}) {
  const byPriority: Record<Priority, number> = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const f of findings) byPriority[f.priority]++;
  return {
    findings: findings.length,
    byPriority,
    kev: findings.filter((f) => f.kev !== null).length,
    overdue: findings.filter((f) => f.dueDate < AS_OF).length,
    accepted: findings.filter((f) => f.accepted?.state === 'approved').length,
    asOf: AS_OF,
    ...overrides,
  } satisfies FindingsTotals;
}

export function cveHost(host: string, overrides: Partial<CveHostFinding> = {}): CveHostFinding {
  return {
    host,
    package: 'xz-utils',
    installedVersion: '5.6.0-0.2',
    fixedVersion: '5.6.1+really5.4.5-1',
    priority: 'P2',
    dueDate: '2025-03-06',
    ssvc: {
      exploitation: 'none',
      automatable: 'yes',
      technicalImpact: 'total',
      missionWellBeing: 'high',
      exposure: 'internet',
      criticality: 'medium',
      decision: 'attend',
    },
    accepted: null,
    ...overrides,
  };
}

export function cveDetail(overrides: Partial<CveDetail> = {}): CveDetail {
  return {
    id: 'CVE-2024-3094',
    description: 'Malicious code was discovered in the upstream tarballs of xz, starting with version 5.6.0.',
    advisories: [
      { id: 'DEBIAN-CVE-2024-3094', source: 'osv' },
      { id: 'DSA-5649-1', source: 'osv' },
    ],
    fixedVersions: [
      { ecosystem: 'Debian:12', package: 'xz-utils', fixed: '5.6.1+really5.4.5-1' },
      { ecosystem: 'Ubuntu:24.04:LTS', package: 'xz-utils', fixed: null },
    ],
    scores: {
      cvssV3: { score: 10, vector: XZ_VECTOR, severity: 'critical' },
      epss: { probability: 0.84, percentile: 0.985 },
    },
    hosts: [
      cveHost('db-01', {
        priority: 'P4',
        dueDate: '2025-05-30',
        ssvc: {
          exploitation: 'none',
          automatable: 'yes',
          technicalImpact: 'total',
          missionWellBeing: 'medium',
          exposure: 'internal',
          criticality: 'medium',
          decision: 'track',
        },
      }),
      cveHost('web-01'),
    ],
    asOf: AS_OF,
    ...overrides,
  };
}

export function feed(source: string, overrides: Partial<FeedStatus> = {}): FeedStatus {
  return {
    source,
    kind: 'osv',
    records: 41_230,
    lastImportAt: '2025-03-04T06:00:00Z',
    lastChange: { added: 12, updated: 3, removed: 0 },
    lastError: null,
    ...overrides,
  };
}

export function acceptance(overrides: Partial<AcceptanceSummary> = {}): AcceptanceSummary {
  return {
    id: 'accept-12',
    cve: 'CVE-2024-3094',
    selector: 'web-*',
    hosts: ['web-01', 'web-02'],
    until: '2025-06-30',
    reason: 'vendor appliance; fix ships in Q2, WAF rule in place',
    state: 'pending',
    requestedBy: 'bob',
    requestedAt: '2025-03-04T09:15:00Z',
    decidedBy: null,
    decidedAt: null,
    denyReason: null,
    ...overrides,
  };
}
