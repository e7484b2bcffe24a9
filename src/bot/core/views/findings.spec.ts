import { describe, expect, it } from 'vitest';
import { renderView } from '../../adapters/console/render.js';
import { findingsView } from './findings.js';
import { AS_OF, finding, totalsOf } from './sample-risk-data.js';

const kev = { dateAdded: '2024-05-02', dueDate: '2024-05-23', knownRansomware: true };

const findings = [
  finding('web-02', {
    priority: 'P4',
    dueDate: '2025-05-20',
    summary: 'EPSS 0.001 (12th pct), CVSS 4.4 local',
  }),
  finding('web-01', {
    priority: 'P1',
    decision: 'act',
    dueDate: '2025-03-06',
    package: 'xz-utils',
    installedVersion: '5.6.0-0.2',
    fixedVersion: null,
    cves: ['CVE-2024-3094', 'CVE-2024-1111', 'CVE-2024-2222', 'CVE-2024-3333'],
    kev,
    summary: 'KEV since 2024-05-02 (ransomware), EPSS 0.94 (99th pct), CVSS 10.0 network, internet-facing',
  }),
  finding('db-01', {
    priority: 'P1',
    decision: 'act',
    dueDate: '2025-03-01',
    kev,
    summary: 'KEV since 2024-05-02',
  }),
  finding('db-02', {
    priority: 'P1',
    dueDate: '2025-03-01',
    accepted: {
      id: 'accept-3',
      state: 'approved',
      until: '2025-04-30',
      requestedBy: 'bob',
      reason: 'vendor fix in Q2',
    },
  }),
  finding('web-03', {
    priority: 'P2',
    dueDate: '2025-03-04',
    accepted: { id: 'accept-4', state: 'pending', until: '2025-04-30', requestedBy: 'bob', reason: 'soon' },
  }),
];

describe('findingsView', () => {
  const view = findingsView('all', findings, totalsOf(findings));

  it('puts what to do today first: P1 overdue, then by due date, accepted risks last', () => {
    expect(renderView(view)).toBe(
      [
        '✗ Findings · all',
        '5 findings: 3 P1 · 1 P2 · 0 P3 · 1 P4 · 2 KEV · 2 overdue · 1 accepted',
        'P   due         host    package   installed → fixed                    CVEs                             why',
        `──  ──────────  ──────  ────────  ${'─'.repeat(35)}  ${'─'.repeat(31)}  ${'─'.repeat(80)}`,
        'P1  overdue 3d  db-01   openssl   3.0.11-1~deb12u2 → 3.0.15-1~deb12u1  CVE-2024-5535                    KEV since 2024-05-02',
        'P1  in 2d       web-01  xz-utils  5.6.0-0.2 → no fix yet               CVE-2024-3094, CVE-2024-1111 +2  KEV since 2024-05-02 (ransomware), EPSS 0.94 (99th pct), CVSS 10.0 network, int…',
        'P2  today       web-03  openssl   3.0.11-1~deb12u2 → 3.0.15-1~deb12u1  CVE-2024-5535                    acceptance accept-4 pending · CVSS 9.1 network, internal, critical host',
        'P4  in 77d      web-02  openssl   3.0.11-1~deb12u2 → 3.0.15-1~deb12u1  CVE-2024-5535                    EPSS 0.001 (12th pct), CVSS 4.4 local',
        'P1  accepted    db-02   openssl   3.0.11-1~deb12u2 → 3.0.15-1~deb12u1  CVE-2024-5535                    accepted until 2025-04-30 (accept-3) · CVSS 9.1 network, internal, critical host',
        'One CVE in detail: /patch cve <CVE-ID>',
      ].join('\n'),
    );
  });

  it('keeps the data at the top level for --json, with the documented field names', () => {
    expect(view).toMatchObject({ kind: 'findings', selector: 'all', filters: {}, totals: { asOf: AS_OF } });
    const json = JSON.parse(JSON.stringify(view));
    expect(Object.keys(json.findings[0]).sort()).toEqual(
      [
        'accepted',
        'advisories',
        'cves',
        'cvss',
        'decision',
        'dueDate',
        'epss',
        'firstSeen',
        'fixedVersion',
        'host',
        'installedVersion',
        'kev',
        'package',
        'priority',
        'reasons',
        'summary',
      ].sort(),
    );
    expect(json.findings.map((f: { host: string }) => f.host)).toEqual([
      'db-01',
      'web-01',
      'web-03',
      'web-02',
      'db-02',
    ]);
  });

  it('is an error when a P1 is overdue, a warning with P1s in time, info otherwise', () => {
    expect(view.tone).toBe('error');
    const inTime = [finding('a', { priority: 'P1', dueDate: '2025-03-05' })];
    expect(findingsView('all', inTime, totalsOf(inTime)).tone).toBe('warning');
    const calm = [finding('a')];
    expect(findingsView('all', calm, totalsOf(calm)).tone).toBe('info');
  });

  it('bounds the table to 50 rows and says when the caller sent fewer than matched', () => {
    const many = Array.from({ length: 80 }, (_, i) => finding(`web-${String(i).padStart(3, '0')}`));
    const limited = findingsView('web-*', many, totalsOf(many, { findings: 500 }), { limit: 80 });
    const table = limited.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && [table.rows.length, table.more]).toEqual([50, 30]);
    expect(limited.blocks).toContainEqual({
      type: 'text',
      text: 'Showing 80 of 500 findings; narrow with --priority, --kev or a selector.',
      muted: true,
    });
  });

  it('names the filters in the title and when nothing matches', () => {
    const view = findingsView('group:prod', [], totalsOf([]), { priority: ['P1', 'P2'], kev: true });
    expect(renderView(view)).toBe(
      ['✓ Findings · group:prod · P1,P2 · KEV', "No findings on 'group:prod' matching P1,P2, KEV."].join(
        '\n',
      ),
    );
  });
});
