import { describe, expect, it } from 'vitest';
import { renderView } from '../../adapters/console/render.js';
import type { Block } from '../views.js';
import { MAX_TABLE_ROWS } from './format.js';
import { effectivePlanStatus, MAX_PACKAGES_PER_HOST, planView, relativeText, spanText } from './plan.js';
import { pinned, planDecision, planHost, planSummary } from './sample-rollout-data.js';

const NOW = new Date('2026-11-21T14:40:00Z');

function blocksOf<T extends Block['type']>(blocks: Block[], type: T): Extract<Block, { type: T }>[] {
  return blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
}

function texts(blocks: Block[]): string[] {
  return blocksOf(blocks, 'text').map((b) => b.text);
}

describe('planView', () => {
  it('shows a pending plan with its limits, hosts by wave, approvals and the two buttons', () => {
    const view = planView(planSummary({ decisions: [planDecision('alice')] }), NOW);
    expect(view).toMatchObject({ kind: 'plan', title: 'Plan plan-3 · group:web · pending', tone: 'warning' });
    expect(view.blocks[0]).toEqual({
      type: 'fields',
      fields: [
        { label: 'requested by', value: 'erin, 2026-11-21 14:00' },
        { label: 'scope', value: 'security updates' },
        { label: 'environments', value: 'prod' },
        { label: 'waves', value: '1,30%,100% → 1 + 3 + 6 hosts' },
        { label: 'bake', value: '15m' },
        { label: 'failure budget', value: '0 per wave, 0 in all' },
        { label: 'reboot', value: 'if-required' },
        { label: 'window', value: 'any time' },
        { label: 'auto-rollback', value: 'yes' },
        { label: 'computed from', value: 'a scan of 2026-11-21 13:40 (1h ago)' },
        { label: 'expires', value: '2026-11-21 18:00 (in 3h 20m)' },
      ],
    });
    const [hosts] = blocksOf(view.blocks, 'table');
    expect(hosts?.columns).toEqual(['wave', 'host', 'package', 'version']);
    expect(hosts?.rows.slice(0, 4)).toEqual([
      ['1', 'web-01', 'libssl3t64', '3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4'],
      ['', '', 'openssl', '3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4'],
      ['2', 'web-02', 'libssl3t64', '3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4'],
      ['', '', 'openssl', '3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4'],
    ]);
    expect(hosts?.rows).toHaveLength(20);
    expect(texts(view.blocks)).toEqual([
      'Skipped 1 host (nothing to update: web-11)',
      '1 of 2 approvals: alice · needs: group sre-leads or user alice',
    ]);
    expect(view.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [
        { label: 'Approve', command: 'approve plan-3', style: 'primary' },
        {
          label: 'Deny',
          command: 'deny plan-3',
          style: 'danger',
          prompt: { flag: '--reason', label: 'Why deny?' },
        },
      ],
    });
  });

  it('renders as readable text in the console', () => {
    const text = renderView(planView(planSummary(), NOW));
    expect(text.split('\n')[0]).toBe('! Plan plan-3 · group:web · pending');
    expect(text).toContain('waves:          1,30%,100% → 1 + 3 + 6 hosts');
    expect(text).toContain('failure budget: 0 per wave, 0 in all');
    expect(text).toContain('   1  web-01  libssl3t64  3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4');
    expect(text).toContain('\n              openssl     3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4');
    expect(text).toContain('0 of 2 approvals · needs: group sre-leads or user alice');
    expect(text).toContain('[Approve] → /patch approve plan-3');
    expect(text).toContain('[Deny] → /patch deny plan-3 --reason "<Why deny?>"');
  });

  it('names each host once and shows a few packages of a host with many', () => {
    const many = Array.from({ length: 8 }, (_, i) => pinned(`lib${i}`, '1.0', '1.1'));
    const view = planView(planSummary({ hosts: [planHost('db-01', 1, many), planHost('db-02', 1)] }), NOW);
    const [hosts] = blocksOf(view.blocks, 'table');
    expect(hosts?.rows.slice(0, MAX_PACKAGES_PER_HOST + 1)).toEqual([
      ['1', 'db-01', 'lib0', '1.0 → 1.1'],
      ['', '', 'lib1', '1.0 → 1.1'],
      ['', '', 'lib2', '1.0 → 1.1'],
      ['', '', 'lib3', '1.0 → 1.1'],
      ['', '', '+4 more packages', ''],
      ['', 'db-02', 'libssl3t64', '3.0.13-0ubuntu3.1 → 3.0.13-0ubuntu3.4'],
    ]);
  });

  it('says which arch is which when a host updates both of a multi-arch package', () => {
    const packages = [pinned('libc6', '2.39-0', '2.39-1'), pinned('libc6', '2.39-0', '2.39-1', 'i386')];
    const view = planView(planSummary({ hosts: [planHost('build-01', 1, packages)] }), NOW);
    const [hosts] = blocksOf(view.blocks, 'table');
    expect(hosts?.rows.map((r) => r[2])).toEqual(['libc6:amd64', 'libc6:i386']);
  });

  it('caps the hosts table and counts the rows left out', () => {
    const hosts = Array.from({ length: 40 }, (_, i) =>
      planHost(`web-${String(i).padStart(2, '0')}`, 1 + (i % 3)),
    );
    const view = planView(planSummary({ hosts }), NOW);
    const [table] = blocksOf(view.blocks, 'table');
    expect(table?.rows).toHaveLength(MAX_TABLE_ROWS);
    expect(table?.more).toBe(80 - MAX_TABLE_ROWS);
    expect(renderView(view)).toContain(`… and ${80 - MAX_TABLE_ROWS} more`);
  });

  it('groups skipped hosts by reason and lists at most ten', () => {
    const skipped = [
      ...Array.from({ length: 12 }, (_, i) => ({ host: `idle-${i}`, reason: 'nothing to update' })),
      { host: 'db-09', reason: 'not scanned since 2026-11-01' },
    ];
    const [line] = texts(planView(planSummary({ skipped }), NOW).blocks);
    expect(line).toBe(
      'Skipped 13 hosts (nothing to update: idle-0, idle-1, idle-2, idle-3, idle-4, idle-5, idle-6, ' +
        'idle-7, idle-8, idle-9 +2; not scanned since 2026-11-01: db-09)',
    );
  });

  it('shows concurrency, a window, no bake and no auto-rollback as set', () => {
    const plan = planSummary({
      waveSpec: '100%',
      waveSizes: [10],
      concurrency: 4,
      bakeSeconds: 0,
      window: 'sat 02:00-06:00 UTC',
      autoRollback: false,
      maxFailures: '1',
      maxTotalFailures: '5%',
      environments: [],
    });
    const [fields] = blocksOf(planView(plan, NOW).blocks, 'fields');
    expect(fields?.fields).toEqual(
      expect.arrayContaining([
        { label: 'waves', value: '100% → 10 hosts, 4 at a time' },
        { label: 'bake', value: 'none' },
        { label: 'window', value: 'sat 02:00-06:00 UTC' },
        { label: 'auto-rollback', value: 'no' },
        { label: 'failure budget', value: '1 per wave, 5% in all' },
      ]),
    );
    expect(fields?.fields.some((f) => f.label === 'environments')).toBe(false);
  });

  it('points an approved plan at its rollout, without buttons', () => {
    const plan = planSummary({
      status: 'approved',
      rolloutId: 'rollout-2',
      decisions: [planDecision('alice'), planDecision('bob')],
    });
    const view = planView(plan, NOW);
    expect(view.tone).toBe('success');
    expect(view.title).toBe('Plan plan-3 · group:web · approved');
    expect(blocksOf(view.blocks, 'actions')).toEqual([]);
    expect(texts(view.blocks)).toContain('2 of 2 approvals: alice, bob');
    expect(texts(view.blocks)).toContain('Rolling out as rollout-2 — /patch status rollout-2');
    expect(blocksOf(view.blocks, 'fields')[0]?.fields.some((f) => f.label === 'expires')).toBe(false);
    expect(texts(planView(planSummary({ status: 'approved' }), NOW).blocks)).toContain(
      'Approved: the rollout starts shortly.',
    );
  });

  it('shows who denied and why, clipped, without buttons', () => {
    const plan = planSummary({
      status: 'denied',
      decisions: [
        planDecision('alice'),
        planDecision('bob', 'deny', { reason: `freeze week\n${'x'.repeat(400)}` }),
      ],
    });
    const view = planView(plan, NOW);
    expect(view.tone).toBe('error');
    expect(blocksOf(view.blocks, 'actions')).toEqual([]);
    const denial = texts(view.blocks).find((t) =>
      t.startsWith('Denied by bob, 2026-11-21 14:05: freeze week x'),
    );
    expect(denial?.length).toBeLessThan(340);
    expect(texts(view.blocks)).toContain('1 of 2 approvals: alice');
  });

  it('says a plan its requester denied was withdrawn', () => {
    const plan = planSummary({ status: 'denied', decisions: [planDecision('erin', 'deny')] });
    expect(renderView(planView(plan, NOW))).toContain('Withdrawn by erin, 2026-11-21 14:05');
  });

  it('is expired once past its expiry, even before the status says so', () => {
    const late = new Date('2026-11-21T18:00:00Z');
    for (const view of [planView(planSummary(), late), planView(planSummary({ status: 'expired' }), NOW)]) {
      expect(view.title).toBe('Plan plan-3 · group:web · expired');
      expect(view.tone).toBe('info');
      expect(blocksOf(view.blocks, 'actions')).toEqual([]);
      expect(blocksOf(view.blocks, 'fields')[0]?.fields).toContainEqual({
        label: 'expired',
        value: '2026-11-21 18:00',
      });
      expect(renderView(view)).toContain('Expired before enough approvals: make a new plan to patch.');
    }
  });

  it('shows a cancelled plan quietly', () => {
    const view = planView(planSummary({ status: 'cancelled' }), NOW);
    expect(view.tone).toBe('info');
    expect(blocksOf(view.blocks, 'actions')).toEqual([]);
    expect(view.blocks.at(-1)).toEqual({
      type: 'text',
      text: 'Cancelled: nothing will be patched.',
      muted: true,
    });
  });
});

describe('plan time helpers', () => {
  it('writes spans to their two largest units', () => {
    expect([45, 900, 3600, 5400, 86_400, 100_000].map(spanText)).toEqual([
      '45s',
      '15m',
      '1h',
      '1h 30m',
      '1d',
      '1d 3h',
    ]);
  });

  it('writes a time relative to now', () => {
    expect(relativeText('2026-11-21T14:40:30Z', NOW)).toBe('now');
    expect(relativeText('2026-11-21T15:10:00Z', NOW)).toBe('in 30m');
    expect(relativeText('2026-11-21T12:40:00Z', NOW)).toBe('2h ago');
    expect(relativeText('not a date', NOW)).toBe('');
  });

  it('treats a pending plan past its expiry as expired', () => {
    const plan = { status: 'pending' as const, expiresAt: '2026-11-21T14:40:00Z' };
    expect(effectivePlanStatus(plan, NOW)).toBe('expired');
    expect(effectivePlanStatus({ ...plan, status: 'approved' }, NOW)).toBe('approved');
    expect(effectivePlanStatus(plan, new Date('2026-11-21T14:39:59Z'))).toBe('pending');
  });
});
