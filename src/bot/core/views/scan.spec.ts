import { describe, expect, it } from 'vitest';
import { hostScan, scanRun } from './sample-data.js';
import { scanView } from './scan.js';

describe('scanView', () => {
  it('shows progress while running, with the hosts done so far', () => {
    const view = scanView(
      scanRun({ status: 'running', total: 20, succeeded: 11, failed: 1, finishedAt: null }),
      [
        hostScan('web-01'),
        hostScan('web-02', { status: 'pending', os: null, updates: null, securityUpdates: null }),
      ],
    );
    expect(view.tone).toBe('info');
    expect(view.title).toBe('Scan scan-42 · web-* · running');
    expect(view.blocks).toContainEqual({
      type: 'progress',
      label: 'Scanning',
      done: 12,
      total: 20,
      failed: 1,
    });
    expect(view.blocks).toContainEqual({
      type: 'text',
      text: '20 hosts: 11 ok, 1 failed, 8 pending; 8 updates (2 security); 0 need a reboot',
    });
    const table = view.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => r[0])).toEqual(['web-01']);
  });

  it('lists failures first with their error code and message, then the totals', () => {
    const view = scanView(scanRun({ total: 3, succeeded: 2, failed: 1 }), [
      hostScan('web-01', { updates: 100, securityUpdates: 30, rebootRequired: true }),
      hostScan('web-03', { warnings: ['apt lists are 9 days old'] }),
      hostScan('web-02', {
        status: 'failed',
        os: null,
        updates: null,
        securityUpdates: null,
        rebootRequired: null,
        error: { code: 'connect-timeout', message: 'no answer on 10.0.0.12:22 after 10s' },
      }),
    ]);
    expect(view.tone).toBe('warning');
    expect(view.blocks.some((b) => b.type === 'progress')).toBe(false);
    expect(view.blocks).toContainEqual({
      type: 'table',
      columns: ['host', 'result', 'os', 'updates (security)', 'reboot', 'note'],
      rows: [
        ['web-02', 'failed', '—', '—', '—', 'connect-timeout: no answer on 10.0.0.12:22 after 10s'],
        ['web-01', 'ok', 'Ubuntu 24.04', '100 (30)', 'yes', ''],
        ['web-03', 'ok', 'Ubuntu 24.04', '8 (2)', 'no', 'apt lists are 9 days old'],
      ],
    });
    expect(view.blocks).toContainEqual({
      type: 'text',
      text: '3 hosts: 2 ok, 1 failed; 108 updates (32 security); 1 needs a reboot',
    });
    expect(view.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [{ label: 'Retry failed', command: 'scan web-02', style: 'primary' }],
    });
  });

  it('is a success when every host is ok, and an error when none is', () => {
    expect(scanView(scanRun({ failed: 0, succeeded: 3 }), []).tone).toBe('success');
    expect(scanView(scanRun({ failed: 3, succeeded: 0 }), []).tone).toBe('error');
    expect(scanView(scanRun({ status: 'failed' }), []).tone).toBe('error');
  });

  it('clips a page of stderr to one short line', () => {
    const message = `E: ${'x'.repeat(500)}\nsecond line`;
    const view = scanView(scanRun(), [
      hostScan('web-01', { status: 'failed', error: { code: 'apt', message } }),
    ]);
    const table = view.blocks.find((b) => b.type === 'table');
    const note = table?.type === 'table' ? (table.rows[0]?.[5] ?? '') : '';
    expect(note.length).toBe(120);
    expect(note).not.toContain('\n');
  });

  it('offers no retry when the failed hosts do not fit in one typed selector', () => {
    const failed = Array.from({ length: 40 }, (_, i) =>
      hostScan(`web-${String(i).padStart(3, '0')}`, {
        status: 'failed',
        error: { code: 'auth', message: 'denied' },
      }),
    );
    const view = scanView(scanRun({ total: 40, succeeded: 0, failed: 40 }), failed);
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
