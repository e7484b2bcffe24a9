import { describe, expect, it } from 'vitest';
import { hostsView } from './hosts.js';
import { hostSummary } from './sample-data.js';

describe('hostsView', () => {
  const hosts = [
    hostSummary('web-02', {
      address: '10.0.0.12',
      port: 2222,
      updates: 12,
      securityUpdates: 4,
      rebootRequired: true,
    }),
    hostSummary('db-01', { os: 'Rocky Linux 9.4', lastScanError: 'auth: permission denied' }),
    hostSummary('web-01', {
      updates: null,
      securityUpdates: null,
      rebootRequired: null,
      os: null,
      lastScanAt: null,
    }),
  ];
  const view = hostsView('all', hosts);

  it('sorts hosts by name and fills the table', () => {
    expect(view.blocks[1]).toEqual({
      type: 'table',
      columns: ['host', 'address', 'os', 'updates (security)', 'reboot', 'last scan'],
      rows: [
        ['db-01', '10.0.0.5', 'Rocky Linux 9.4', '3 (1)', 'no', '2025-03-04 09:15 (failed)'],
        ['web-01', '10.0.0.6', '—', '—', '—', 'never'],
        ['web-02', '10.0.0.12:2222', 'Debian 12', '12 (4)', 'yes', '2025-03-04 09:15'],
      ],
    });
    expect(view.kind === 'hosts' && view.hosts.map((h) => h.name)).toEqual(['db-01', 'web-01', 'web-02']);
  });

  it('summarizes the fleet in one line and offers a scan', () => {
    expect(view.blocks[0]).toEqual({
      type: 'text',
      text: '3 hosts: 2 scanned, 15 updates (5 security), 1 needs a reboot, 1 never scanned, 1 failed its last scan',
    });
    expect(view.blocks[2]).toEqual({
      type: 'actions',
      buttons: [{ label: 'Scan these', command: 'scan all', style: 'primary' }],
    });
    expect(view.tone).toBe('warning');
  });

  it('bounds the table to 50 rows and counts the rest', () => {
    const many = Array.from({ length: 120 }, (_, i) => hostSummary(`web-${String(i).padStart(3, '0')}`));
    const table = hostsView('web-*', many).blocks[1];
    expect(table?.type === 'table' && [table.rows.length, table.more]).toEqual([50, 70]);
  });

  it('says so when no host matches', () => {
    expect(hostsView('mail-*', []).blocks).toEqual([{ type: 'text', text: "No host matches 'mail-*'." }]);
  });
});
