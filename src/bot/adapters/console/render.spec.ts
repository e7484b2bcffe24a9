import { describe, expect, it } from 'vitest';
import { commandUsages } from '../../core/grammar/commands.js';
import { alertView, errorView, helpView, hostsView, runsView, scanView } from '../../core/views/index.js';
import { hostScan, hostSummary, scanRun } from '../../core/views/sample-data.js';
import type { View } from '../../core/views.js';
import { colorEnabled, progressBar, renderView } from './render.js';
import { displayWidth } from './text.js';

describe('renderView', () => {
  it('renders help as an aligned table', () => {
    expect(renderView(helpView(commandUsages.slice(0, 2)))).toBe(
      [
        '• patchops commands',
        'command                  what it does',
        `${'─'.repeat(23)}  ${'─'.repeat(74)}`,
        '/patch help [command]    Show the commands, or how to use one of them.',
        '/patch hosts [selector]  List hosts with their OS, pending updates and reboot state (default: all).',
        'Selectors: all, web-01, web-* (* and ?), group:NAME, tag:KEY=VALUE; join several with commas.',
        'More on one command: /patch help <command>',
      ].join('\n'),
    );
  });

  it('renders hosts with counts aligned right and the button as its command', () => {
    const view = hostsView('all', [
      hostSummary('web-02', { port: 2222, updates: 12, securityUpdates: 4, rebootRequired: true }),
      hostSummary('db-01'),
    ]);
    expect(renderView(view)).toBe(
      [
        '• Hosts · all',
        '2 hosts: 2 scanned, 15 updates (5 security), 1 needs a reboot',
        'host    address        os         updates (security)  reboot  last scan',
        '──────  ─────────────  ─────────  ──────────────────  ──────  ────────────────',
        'db-01   10.0.0.5       Debian 12               3 (1)  no      2025-03-04 09:15',
        'web-02  10.0.0.6:2222  Debian 12              12 (4)  yes     2025-03-04 09:15',
        '[Scan these] → /patch scan all',
      ].join('\n'),
    );
  });

  it('renders a running scan with a progress bar', () => {
    const run = scanRun({ status: 'running', total: 20, succeeded: 11, failed: 1, finishedAt: null });
    const view = scanView(run, [
      hostScan('web-01'),
      hostScan('web-02', {
        status: 'failed',
        os: null,
        updates: null,
        securityUpdates: null,
        rebootRequired: null,
        error: { code: 'auth', message: 'denied' },
      }),
    ]);
    expect(renderView(view)).toBe(
      [
        '• Scan scan-42 · web-* · running',
        'requested by: alice',
        'started:      2025-03-04 09:15',
        'Scanning [██████░░░░] 12/20 (1 failed)',
        'host    result  os            updates (security)  reboot  note',
        '──────  ──────  ────────────  ──────────────────  ──────  ────────────',
        'web-02  failed  —                              —  —       auth: denied',
        'web-01  ok      Ubuntu 24.04               8 (2)  no',
        '20 hosts: 11 ok, 1 failed, 8 pending; 8 updates (2 security); 0 need a reboot',
      ].join('\n'),
    );
  });

  it('renders a finished scan with its tone mark and no progress bar', () => {
    const text = renderView(scanView(scanRun({ failed: 0, succeeded: 3 }), [hostScan('web-01')]));
    expect(text.split('\n')[0]).toBe('✓ Scan scan-42 · web-* · done');
    expect(text).not.toContain('[█');
  });

  it('renders runs, errors and alerts', () => {
    expect(renderView(runsView([scanRun()]))).toBe(
      [
        '! Recent runs',
        'run      selector  status  hosts             by     started           took',
        '───────  ────────  ──────  ────────────────  ─────  ────────────────  ──────',
        'scan-42  web-*     done    2/3 ok, 1 failed  alice  2025-03-04 09:15  1m 05s',
        'Details of one run: /patch status <run-id>',
      ].join('\n'),
    );
    expect(
      renderView(
        errorView({
          code: 'missing_argument',
          message: 'scan needs a <selector>',
          hint: 'usage: /patch scan <selector>',
        }),
      ),
    ).toBe('✗ scan needs a <selector>\nusage: /patch scan <selector>');
    const alert = alertView({
      severity: 'warning',
      subject: 'Wave 2 halted',
      message: '3 of 10 hosts failed verification.\nThe failure budget is 2.',
      buttons: [
        { label: 'Approve', command: 'approve plan-3', style: 'primary' },
        { label: 'Roll back', command: '/patch rollback plan-3' },
      ],
    });
    expect(renderView(alert)).toBe(
      [
        '! Wave 2 halted',
        '3 of 10 hosts failed verification.',
        'The failure budget is 2.',
        '[Approve] → /patch approve plan-3',
        '[Roll back] → /patch rollback plan-3',
      ].join('\n'),
    );
  });

  it('counts rows left out of a bounded table', () => {
    const hosts = Array.from({ length: 60 }, (_, i) => hostSummary(`web-${String(i).padStart(2, '0')}`));
    expect(renderView(hostsView('web-*', hosts))).toContain('\n… and 10 more\n');
  });

  it('strips escape sequences and line breaks that come from hosts', () => {
    const view: View = {
      ...scanView(scanRun(), [hostScan('web-01', { os: '\u001b]0;pwned\u0007Debian\r\n12', warnings: [] })]),
      title: 'Scan\u001b[2J',
    };
    const text = renderView(view);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('Debian  12');
    expect(text.split('\n')[0]).toBe('✓ Scan[2J'.replace('✓', '!'));
  });

  it('adds ANSI colour only when asked', () => {
    const view = errorView({ code: 'forbidden', message: 'no' });
    expect(renderView(view)).not.toContain('\u001b[');
    expect(renderView(view, { color: true })).toBe('\u001b[31m✗\u001b[0m \u001b[1mno\u001b[0m');
  });

  it('keeps wide characters aligned', () => {
    const view = hostsView('all', [hostSummary('a', { os: '中文系统' }), hostSummary('bb', { os: 'x' })]);
    const rows = renderView(view).split('\n').slice(4, 6);
    const columnOf = (line: string) => displayWidth(line.slice(0, line.indexOf('3 (1)')));
    // host 4+2, address 8+2, os 中文系统 = 8 columns + 2, then '3 (1)' right-aligned under an 18-wide header.
    expect(rows.map(columnOf)).toEqual([39, 39]);
  });
});

describe('progressBar', () => {
  it.each([
    [0, 20, 0, '[░░░░░░░░░░] 0/20'],
    [12, 20, 1, '[██████░░░░] 12/20 (1 failed)'],
    [20, 20, 0, '[██████████] 20/20'],
    [25, 20, 0, '[██████████] 20/20'],
    [0, 0, 0, '[░░░░░░░░░░] 0/0'],
  ])('%i/%i with %i failed is %s', (done, total, failed, expected) => {
    expect(progressBar(done, total, failed)).toBe(expected);
  });
});

describe('colorEnabled', () => {
  it('follows the TTY, NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });
});
