import { describe, expect, it } from 'vitest';
import { commandUsages } from '../grammar/commands.js';
import { alertView } from './alert.js';
import { errorView } from './error.js';
import { helpView } from './help.js';
import { runsView } from './runs.js';
import { scanRun } from './sample-data.js';
import { rolloutSummary } from './sample-rollout-data.js';

describe('helpView', () => {
  it('lists every command with its summary, ephemerally', () => {
    const view = helpView(commandUsages);
    expect(view).toMatchObject({ kind: 'help', title: 'patchops commands', ephemeral: true });
    const table = view.blocks[0];
    expect(table?.type === 'table' && table.rows.map((r) => r[0])).toEqual(commandUsages.map((u) => u.usage));
  });

  it('shows one command with the selector forms when it takes one', () => {
    const view = helpView(commandUsages.filter((u) => u.name === 'scan'));
    expect(view.title).toBe('/patch scan <selector> [--refresh auto|always|never]');
    expect(view.blocks[1]).toMatchObject({ muted: true, text: expect.stringContaining('group:NAME') });
  });
});

describe('runsView', () => {
  it('tabulates runs with their host counts and duration', () => {
    const view = runsView([
      scanRun(),
      scanRun({ id: 'scan-41', status: 'running', failed: 0, succeeded: 1, finishedAt: null }),
    ]);
    expect(view.blocks[0]).toEqual({
      type: 'table',
      columns: ['run', 'selector', 'status', 'hosts', 'by', 'started', 'took'],
      rows: [
        ['scan-42', 'web-*', 'done', '2/3 ok, 1 failed', 'alice', '2025-03-04 09:15', '1m 05s'],
        ['scan-41', 'web-*', 'running', '1/3 ok', 'alice', '2025-03-04 09:15', '—'],
      ],
    });
    expect(view.tone).toBe('warning');
  });

  it('lists recent rollouts below the scans', () => {
    const view = runsView([scanRun()], [rolloutSummary()]);
    const rollouts = view.blocks[1];
    expect(rollouts?.type === 'table' && rollouts.columns).toEqual([
      'rollout',
      'plan',
      'selector',
      'status',
      'wave',
      'hosts',
      'started',
    ]);
    expect(rollouts?.type === 'table' && rollouts.rows[0]?.slice(0, 5)).toEqual([
      'rollout-2',
      'plan-3',
      'group:web',
      'running',
      '2/3',
    ]);
  });

  it('tells how to start when there are no runs', () => {
    expect(runsView([]).blocks).toEqual([
      { type: 'text', text: 'No runs yet. Start one with /patch scan <selector>.' },
    ]);
  });
});

describe('errorView', () => {
  it('is ephemeral, titled by the message, with the hint below', () => {
    const view = errorView({
      code: 'unknown_command',
      message: "unknown command 'sacn' — did you mean 'scan'?",
      hint: 'try /patch help',
    });
    expect(view).toEqual({
      kind: 'error',
      error: {
        code: 'unknown_command',
        message: "unknown command 'sacn' — did you mean 'scan'?",
        hint: 'try /patch help',
      },
      title: "unknown command 'sacn' — did you mean 'scan'?",
      tone: 'error',
      ephemeral: true,
      blocks: [{ type: 'text', text: 'try /patch help', muted: true }],
    });
  });
});

describe('alertView', () => {
  it('maps severity to tone and carries the mention, fields and buttons', () => {
    const view = alertView({
      severity: 'critical',
      subject: 'Host key changed on db-01',
      message: 'Work on db-01 has stopped until someone checks the new key.',
      mention: 'sre-oncall',
      fields: [{ label: 'fingerprint', value: 'SHA256:4f1e…' }],
      buttons: [{ label: 'Show host', command: 'hosts db-01' }],
    });
    expect(view).toMatchObject({ kind: 'alert', tone: 'error', title: 'Host key changed on db-01' });
    expect(view.kind === 'alert' && view.alert.mention).toBe('sre-oncall');
    expect(view.blocks.map((b) => b.type)).toEqual(['text', 'fields', 'actions', 'text']);
  });

  it('accepts an engine alert event as it is', () => {
    const event = {
      type: 'alert' as const,
      severity: 'warning' as const,
      subject: 'Scan failed',
      message: '2 hosts unreachable',
    };
    expect(alertView(event)).toMatchObject({
      tone: 'warning',
      alert: { severity: 'warning', subject: 'Scan failed' },
    });
  });
});
