import { describe, expect, it } from 'vitest';
import { renderView } from '../../adapters/console/render.js';
import type { Block } from '../views.js';
import type { RolloutHostSummary, RolloutStatus } from '../views-rollout.js';
import { MAX_FAILURE_ROWS, rolloutTotalsLine, rolloutView } from './rollout.js';
import { rolloutHost, rolloutHosts, rolloutSummary, wavesOf } from './sample-rollout-data.js';

const NOW = new Date('2026-11-21T15:30:00Z');
const SIZES = [1, 3, 6];

function blocksOf<T extends Block['type']>(blocks: Block[], type: T): Extract<Block, { type: T }>[] {
  return blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
}

function commands(view: ReturnType<typeof rolloutView>): string[] {
  return blocksOf(view.blocks, 'actions').flatMap((b) => b.buttons.map((button) => button.command));
}

function fieldsOf(view: ReturnType<typeof rolloutView>): Record<string, string> {
  return Object.fromEntries(
    blocksOf(view.blocks, 'fields').flatMap((b) => b.fields.map((f) => [f.label, f.value])),
  );
}

/** Wave 2 halted: web-04 failed to install (its rollback failed too), web-03 failed health and was put back. */
function haltedHosts(): RolloutHostSummary[] {
  return rolloutHosts().map((h) => {
    if (h.host === 'web-03') {
      return rolloutHost('web-03', 2, {
        status: 'rolled-back',
        phase: 'verify',
        failedCheck: 'health: /usr/bin/web-health exited 1',
        rollback: 'done',
      });
    }
    if (h.host === 'web-04') {
      return rolloutHost('web-04', 2, {
        status: 'failed',
        phase: 'install',
        error: { code: 'apt', message: 'E: dpkg was interrupted' },
        rollback: 'failed',
        rollbackError: 'dpkg lock held by pid 4242',
      });
    }
    return h;
  });
}

function allDone(overrides: Partial<RolloutHostSummary> = {}): RolloutHostSummary[] {
  return rolloutHosts().map((h) => rolloutHost(h.host, h.wave, overrides));
}

describe('rolloutView', () => {
  it('shows a running rollout: progress, ETA, waves, who is running, Pause and Abort', () => {
    const hosts = rolloutHosts();
    const view = rolloutView(rolloutSummary(), hosts, NOW);
    expect(view).toMatchObject({
      kind: 'rollout',
      title: 'Rollout rollout-2 · group:web · running',
      tone: 'info',
    });
    expect(view.hosts).toEqual(hosts);
    expect(view.blocks[0]).toEqual({ type: 'progress', label: 'Wave 2/3', done: 2, total: 10, failed: 0 });
    expect(view.blocks[1]).toEqual({
      type: 'fields',
      fields: [
        { label: 'plan', value: 'plan-3' },
        { label: 'requested by', value: 'erin' },
        { label: 'started', value: '2026-11-21 15:00' },
        { label: 'ETA', value: '2026-11-21 16:10 (in 40m)' },
      ],
    });
    expect(blocksOf(view.blocks, 'table')).toEqual([
      {
        type: 'table',
        columns: ['wave', 'hosts', 'ok', 'failed', 'running', 'pending'],
        rows: [
          ['1', '1', '1', '0', '0', '0'],
          ['2', '3', '1', '0', '2', '0'],
          ['3', '6', '0', '0', '0', '6'],
        ],
      },
    ]);
    expect(blocksOf(view.blocks, 'text').map((b) => b.text)).toEqual([
      '10 hosts: 2 ok, 0 failed, 2 running, 6 pending',
      'Running: web-03 (install), web-04 (verify)',
    ]);
    expect(view.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [
        { label: 'Pause', command: 'pause rollout-2' },
        { label: 'Abort', command: 'abort rollout-2', style: 'danger' },
      ],
    });
  });

  it('renders the live message as readable console text', () => {
    const text = renderView(rolloutView(rolloutSummary(), rolloutHosts(), NOW));
    expect(text.split('\n')[0]).toBe('• Rollout rollout-2 · group:web · running');
    expect(text).toContain('Wave 2/3 [██░░░░░░░░] 2/10');
    expect(text).toContain('ETA:          2026-11-21 16:10 (in 40m)');
    expect(text).toContain('wave  hosts  ok  failed  running  pending');
    expect(text).toContain('   2      3   1       0        2        0');
    expect(text).toContain('[Pause] → /patch pause rollout-2');
    expect(text).toContain('[Abort] → /patch abort rollout-2');
  });

  it('shows when baking ends', () => {
    const rollout = rolloutSummary({ status: 'baking', bakeUntil: '2026-11-21T15:42:00Z' });
    const view = rolloutView(rollout, rolloutHosts(), NOW);
    expect(view.tone).toBe('info');
    expect(fieldsOf(view)).toMatchObject({
      'bake until': '2026-11-21 15:42 (in 12m)',
      ETA: expect.any(String),
    });
    expect(commands(view)).toEqual(['pause rollout-2', 'abort rollout-2']);
  });

  it('says why it waits, before the first wave', () => {
    const hosts = allDone({ status: 'pending', startedAt: null, finishedAt: null });
    const rollout = rolloutSummary({
      status: 'waiting',
      currentWave: 0,
      waves: wavesOf(hosts, SIZES),
      statusReason: 'waiting for window sat 02:00-06:00 UTC until 2026-11-22 02:00',
      window: 'sat 02:00-06:00 UTC',
      startedAt: null,
      eta: null,
    });
    const view = rolloutView(rollout, hosts, NOW);
    expect(view.tone).toBe('warning');
    expect(view.blocks[0]).toEqual({ type: 'progress', label: 'Not started', done: 0, total: 10, failed: 0 });
    expect(fieldsOf(view)).toEqual({
      plan: 'plan-3',
      'requested by': 'erin',
      waiting: 'waiting for window sat 02:00-06:00 UTC until 2026-11-22 02:00',
      window: 'sat 02:00-06:00 UTC',
    });
    expect(commands(view)).toEqual(['pause rollout-2', 'abort rollout-2']);
  });

  it('marks a window override', () => {
    const view = rolloutView(rolloutSummary({ window: 'sat 02:00-06:00 UTC', override: true }), [], NOW);
    expect(fieldsOf(view).window).toBe('sat 02:00-06:00 UTC (overridden)');
  });

  it('shows a halted rollout with why, its failures first, and Resume, Abort, Roll back', () => {
    const hosts = haltedHosts();
    const rollout = rolloutSummary({
      status: 'halted',
      waves: wavesOf(hosts, SIZES),
      statusReason: 'wave 2 went over its failure budget: 2 failed, 0 allowed',
      eta: null,
    });
    const view = rolloutView(rollout, hosts, NOW);
    expect(view.tone).toBe('error');
    expect(view.blocks[0]).toEqual({ type: 'progress', label: 'Wave 2/3', done: 4, total: 10, failed: 2 });
    expect(fieldsOf(view).halted).toBe('wave 2 went over its failure budget: 2 failed, 0 allowed');
    expect(fieldsOf(view).ETA).toBeUndefined();
    const failures = blocksOf(view.blocks, 'table')[1];
    expect(failures).toEqual({
      type: 'table',
      columns: ['host', 'wave', 'status', 'phase', 'error', 'rollback'],
      rows: [
        [
          'web-04',
          '2',
          'failed',
          'install',
          'apt: E: dpkg was interrupted',
          'failed: dpkg lock held by pid 4242',
        ],
        ['web-03', '2', 'rolled-back', 'verify', 'health: /usr/bin/web-health exited 1', 'done'],
      ],
    });
    expect(blocksOf(view.blocks, 'text')[0]?.text).toBe(
      '10 hosts: 2 ok, 2 failed (1 rolled back), 6 pending',
    );
    expect(view.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [
        { label: 'Resume', command: 'resume rollout-2', style: 'primary' },
        { label: 'Abort', command: 'abort rollout-2', style: 'danger' },
        { label: 'Roll back', command: 'rollback rollout-2', style: 'danger' },
      ],
    });
    const text = renderView(view);
    expect(text.split('\n')[0]).toBe('✗ Rollout rollout-2 · group:web · halted');
    expect(text).toContain('halted:       wave 2 went over its failure budget');
    expect(text).toMatch(/web-04 +2 +failed +install +apt: E: dpkg was interrupted +failed: dpkg lock/);
    expect(text).toContain('[Roll back] → /patch rollback rollout-2');
  });

  it('offers Resume on a paused rollout', () => {
    const view = rolloutView(
      rolloutSummary({ status: 'paused', statusReason: 'paused by bob', eta: null }),
      rolloutHosts(),
      NOW,
    );
    expect(view.tone).toBe('warning');
    expect(fieldsOf(view).paused).toBe('paused by bob');
    expect(commands(view)).toEqual(['resume rollout-2', 'abort rollout-2', 'rollback rollout-2']);
  });

  it('ends in success with only Roll back left', () => {
    const hosts = allDone();
    const rollout = rolloutSummary({
      status: 'done',
      currentWave: 3,
      waves: wavesOf(hosts, SIZES),
      finishedAt: '2026-11-21T16:05:00Z',
    });
    const view = rolloutView(rollout, hosts, NOW);
    expect(view.tone).toBe('success');
    expect(view.blocks[0]).toEqual({ type: 'progress', label: 'Wave 3/3', done: 10, total: 10, failed: 0 });
    expect(fieldsOf(view)).toMatchObject({ finished: '2026-11-21 16:05' });
    expect(fieldsOf(view).ETA).toBeUndefined();
    expect(blocksOf(view.blocks, 'table')).toHaveLength(1);
    expect(blocksOf(view.blocks, 'text').map((b) => b.text)).toEqual(['10 hosts: 10 ok, 0 failed']);
    expect(view.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [{ label: 'Roll back', command: 'rollback rollout-2', style: 'danger' }],
    });
    expect(renderView(view).split('\n')[0]).toBe('✓ Rollout rollout-2 · group:web · done');
  });

  it('is a warning when done with failures', () => {
    const hosts = allDone().map((h) =>
      h.host === 'web-07'
        ? {
            ...h,
            status: 'failed' as const,
            phase: 'verify' as const,
            failedCheck: 'version: web 1.0-2 != 1.0-3',
          }
        : h,
    );
    const view = rolloutView(
      rolloutSummary({ status: 'done', currentWave: 3, waves: wavesOf(hosts, SIZES) }),
      hosts,
      NOW,
    );
    expect(view.tone).toBe('warning');
    expect(blocksOf(view.blocks, 'table')[1]?.rows).toEqual([
      ['web-07', '3', 'failed', 'verify', 'version: web 1.0-2 != 1.0-3', '—'],
    ]);
    expect(commands(view)).toEqual(['rollback rollout-2']);
  });

  it('offers Roll back after an abort only when some host was changed', () => {
    const untouched = allDone({ status: 'pending', startedAt: null, finishedAt: null });
    const aborted = (hosts: RolloutHostSummary[]) =>
      rolloutView(
        rolloutSummary({ status: 'aborted', statusReason: 'aborted by bob', waves: wavesOf(hosts, SIZES) }),
        hosts,
        NOW,
      );
    const none = aborted(untouched);
    expect(none.tone).toBe('warning');
    expect(fieldsOf(none).aborted).toBe('aborted by bob');
    expect(blocksOf(none.blocks, 'actions')).toEqual([]);
    expect(commands(aborted(rolloutHosts()))).toEqual(['rollback rollout-2']);
  });

  it('offers no Roll back when every changed host is already put back or being put back', () => {
    const hosts = allDone({ rollback: 'done' }).map((h, i) =>
      i === 0 ? { ...h, rollback: 'running' as const } : h,
    );
    const view = rolloutView(
      rolloutSummary({ status: 'done', currentWave: 3, waves: wavesOf(hosts, SIZES) }),
      hosts,
      NOW,
    );
    expect(commands(view)).toEqual([]);
    // Hosts being rolled back are listed, with their rollback state.
    const failures = blocksOf(view.blocks, 'table')[1];
    expect(failures?.rows[0]).toEqual(['web-01', '1', 'ok', '—', '—', 'running']);
  });

  it.each<[RolloutStatus, string[]]>([
    ['waiting', ['pause', 'abort']],
    ['running', ['pause', 'abort']],
    ['baking', ['pause', 'abort']],
    ['paused', ['resume', 'abort', 'rollback']],
    ['halted', ['resume', 'abort', 'rollback']],
    ['aborted', ['rollback']],
    ['done', ['rollback']],
  ])('%s offers %j', (status, expected) => {
    const view = rolloutView(rolloutSummary({ status }), rolloutHosts(), NOW);
    expect(commands(view)).toEqual(expected.map((verb) => `${verb} rollout-2`));
  });

  it('caps the failures table and clips long errors', () => {
    const hosts = Array.from({ length: 30 }, (_, i) =>
      rolloutHost(`web-${String(i).padStart(2, '0')}`, 1, {
        status: i % 2 === 0 ? 'rolled-back' : 'failed',
        phase: 'install',
        error: { code: 'apt', message: `E: ${'x'.repeat(500)}\nmore` },
        rollback: i % 2 === 0 ? 'done' : null,
      }),
    );
    const view = rolloutView(rolloutSummary({ status: 'halted', waves: wavesOf(hosts, [30]) }), hosts, NOW);
    const failures = blocksOf(view.blocks, 'table')[1];
    expect(failures?.rows).toHaveLength(MAX_FAILURE_ROWS);
    expect(failures?.more).toBe(30 - MAX_FAILURE_ROWS);
    expect(failures?.rows.slice(0, 15).every((r) => r[2] === 'failed')).toBe(true);
    expect(failures?.rows[15]?.[2]).toBe('rolled-back');
    expect(failures?.rows[0]?.[4]?.length).toBe(120);
    expect(renderView(view)).toContain(`… and ${30 - MAX_FAILURE_ROWS} more`);
  });

  it('lists at most ten running hosts', () => {
    const hosts = Array.from({ length: 14 }, (_, i) =>
      rolloutHost(`web-${String(i).padStart(2, '0')}`, 1, { status: 'running', phase: null }),
    );
    const view = rolloutView(rolloutSummary({ waves: wavesOf(hosts, [14]) }), hosts, NOW);
    const running = blocksOf(view.blocks, 'text').find((b) => b.text.startsWith('Running:'));
    expect(running).toEqual({
      type: 'text',
      muted: true,
      text: 'Running: web-00, web-01, web-02, web-03, web-04, web-05, web-06, web-07, web-08, web-09 +4',
    });
  });

  it('counts totals from the wave summaries', () => {
    expect(rolloutTotalsLine(rolloutSummary(), [])).toBe('10 hosts: 2 ok, 0 failed, 2 running, 6 pending');
  });
});
