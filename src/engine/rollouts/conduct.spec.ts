import { describe, expect, it } from 'vitest';
import { type ConductHost, type ConductInput, nextStep } from './conduct.js';
import type { RolloutHostStatus } from './types.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const LATER = new Date('2026-05-01T12:10:00Z');

/** Hosts numbered from 1 in waves of the given sizes, all pending. */
function hostsInWaves(...sizes: number[]): ConductHost[] {
  let hostId = 0;
  return sizes.flatMap((size, index) =>
    Array.from({ length: size }, () => ({ hostId: ++hostId, wave: index + 1, status: 'pending' as const })),
  );
}

/** Sets statuses by host id. */
function withStatus(hosts: ConductHost[], statuses: Record<number, RolloutHostStatus>): ConductHost[] {
  return hosts.map((host) => ({ ...host, status: statuses[host.hostId] ?? host.status }));
}

function finish(hosts: ConductHost[], wave: number): ConductHost[] {
  return hosts.map((host) => (host.wave <= wave ? { ...host, status: 'ok' } : host));
}

function input(fields: Partial<ConductInput> = {}): ConductInput {
  const hosts = fields.hosts ?? hostsInWaves(1, 3, 6);
  return {
    status: 'running',
    currentWave: 0,
    waveCount: Math.max(...hosts.map((host) => host.wave)),
    hosts,
    concurrency: null,
    waveBudget: { kind: 'count', count: 0 },
    totalBudget: { kind: 'count', count: 0 },
    bakeSeconds: 0,
    bakeUntil: null,
    window: null,
    override: false,
    now: NOW,
    ...fields,
  };
}

const closedWindow = { open: false, acceptingNewHosts: false, opensAt: LATER };
const pastCutoff = { open: true, acceptingNewHosts: false, opensAt: LATER };
const openWindow = { open: true, acceptingNewHosts: true, opensAt: LATER };

describe('nextStep', () => {
  it.each(['paused', 'halted', 'aborted', 'done'] as const)('does nothing when %s', (status) => {
    const hosts = withStatus(hostsInWaves(1, 3), { 1: 'failed' });
    expect(nextStep(input({ status, hosts, currentWave: 1 }))).toEqual({ kind: 'idle' });
  });

  describe('starting', () => {
    it('starts wave 1 when nothing has started, without a bake first', () => {
      expect(nextStep(input({ bakeSeconds: 600 }))).toEqual({ kind: 'start-hosts', wave: 1, hostIds: [1] });
    });

    it('starts from waiting too, once the window lets it', () => {
      const step = nextStep(input({ status: 'waiting', window: openWindow }));
      expect(step).toEqual({ kind: 'start-hosts', wave: 1, hostIds: [1] });
    });

    it('waits for a window closed before the start', () => {
      expect(nextStep(input({ window: closedWindow }))).toEqual({ kind: 'wait-window', until: LATER });
    });

    it('waits without a time when the window never opens again', () => {
      const window = { open: false, acceptingNewHosts: false, opensAt: null };
      expect(nextStep(input({ status: 'waiting', window }))).toEqual({ kind: 'wait-window', until: null });
    });

    it('ignores the window under the emergency override', () => {
      expect(nextStep(input({ window: closedWindow, override: true }))).toEqual({
        kind: 'start-hosts',
        wave: 1,
        hostIds: [1],
      });
    });
  });

  describe('within a wave', () => {
    const hosts = hostsInWaves(1, 6);

    it('starts every pending host of the wave without a concurrency limit', () => {
      const step = nextStep(input({ hosts: finish(hosts, 1), currentWave: 2, bakeSeconds: 0 }));
      expect(step).toEqual({ kind: 'start-hosts', wave: 2, hostIds: [2, 3, 4, 5, 6, 7] });
    });

    it('starts up to the concurrency limit, counting hosts already running', () => {
      const current = withStatus(finish(hosts, 1), { 2: 'running', 3: 'ok' });
      expect(nextStep(input({ hosts: current, currentWave: 2, concurrency: 3 }))).toEqual({
        kind: 'start-hosts',
        wave: 2,
        hostIds: [4, 5],
      });
    });

    it('keeps the order the hosts are given in', () => {
      const reordered = [...finish(hosts, 1)].reverse();
      expect(nextStep(input({ hosts: reordered, currentWave: 2, concurrency: 2 }))).toEqual({
        kind: 'start-hosts',
        wave: 2,
        hostIds: [7, 6],
      });
    });

    it('is idle at capacity', () => {
      const current = withStatus(finish(hosts, 1), { 2: 'running', 3: 'running' });
      expect(nextStep(input({ hosts: current, currentWave: 2, concurrency: 2 }))).toEqual({ kind: 'idle' });
    });

    it('is idle while the last hosts of the wave run', () => {
      const current = withStatus(finish(hosts, 2), { 7: 'running' });
      expect(nextStep(input({ hosts: current, currentWave: 2 }))).toEqual({ kind: 'idle' });
    });

    it('lets running hosts finish when the cutoff passes mid-wave, starting no more', () => {
      const current = withStatus(finish(hosts, 1), { 2: 'running' });
      expect(nextStep(input({ hosts: current, currentWave: 2, window: pastCutoff }))).toEqual({
        kind: 'idle',
      });
    });

    it('waits for the next window once the running hosts are done', () => {
      const current = withStatus(finish(hosts, 1), { 2: 'ok' });
      expect(nextStep(input({ hosts: current, currentWave: 2, window: pastCutoff }))).toEqual({
        kind: 'wait-window',
        until: LATER,
      });
    });

    it('starts the rest of the wave under the override after the cutoff', () => {
      const current = withStatus(finish(hosts, 1), { 2: 'running' });
      const step = nextStep(
        input({ hosts: current, currentWave: 2, window: pastCutoff, override: true, concurrency: 2 }),
      );
      expect(step).toEqual({ kind: 'start-hosts', wave: 2, hostIds: [3] });
    });
  });

  describe('budgets', () => {
    it('halts a canary failing in wave 1 of [1,3,6] before wave 2', () => {
      const hosts = withStatus(hostsInWaves(1, 3, 6), { 1: 'failed' });
      expect(nextStep(input({ hosts, currentWave: 1, bakeSeconds: 600 }))).toEqual({
        kind: 'halt',
        reason: 'wave 1: 1 of 1 hosts failed (budget 0); rollout: 1 of 10 hosts failed (budget 0)',
        failedHostIds: [1],
      });
    });

    it('counts rolled-back hosts as failures', () => {
      const hosts = withStatus(hostsInWaves(1, 3), { 1: 'rolled-back' });
      const step = nextStep(input({ hosts, currentWave: 1, totalBudget: { kind: 'count', count: 5 } }));
      expect(step).toEqual({
        kind: 'halt',
        reason: 'wave 1: 1 of 1 hosts failed (budget 0)',
        failedHostIds: [1],
      });
    });

    it('halts mid-wave, while other hosts still run', () => {
      const hosts = withStatus(finish(hostsInWaves(1, 6), 1), { 2: 'failed', 3: 'failed', 4: 'running' });
      const step = nextStep(
        input({
          hosts,
          currentWave: 2,
          waveBudget: { kind: 'count', count: 1 },
          totalBudget: { kind: 'count', count: 9 },
        }),
      );
      expect(step).toEqual({
        kind: 'halt',
        reason: 'wave 2: 2 of 6 hosts failed (budget 1)',
        failedHostIds: [2, 3],
      });
    });

    it('tolerates failures within both budgets and moves on', () => {
      const hosts = withStatus(finish(hostsInWaves(1, 3, 6), 2), { 2: 'failed' });
      const step = nextStep(
        input({
          hosts,
          currentWave: 2,
          waveBudget: { kind: 'count', count: 1 },
          totalBudget: { kind: 'count', count: 1 },
        }),
      );
      expect(step).toEqual({ kind: 'start-hosts', wave: 3, hostIds: [5, 6, 7, 8, 9, 10] });
    });

    it('halts on the total budget in percent', () => {
      const hosts = withStatus(finish(hostsInWaves(2, 8, 10), 2), { 3: 'failed', 4: 'failed', 5: 'failed' });
      const step = nextStep(
        input({
          hosts,
          currentWave: 2,
          waveBudget: { kind: 'percent', percent: 50 },
          totalBudget: { kind: 'percent', percent: 5 },
        }),
      );
      expect(step).toEqual({
        kind: 'halt',
        reason: 'rollout: 3 of 20 hosts failed (budget 5%)',
        failedHostIds: [3, 4, 5],
      });
    });

    it('lets a percent budget round down: 5% of 20 tolerates one', () => {
      const hosts = withStatus(finish(hostsInWaves(2, 8, 10), 2), { 3: 'failed' });
      const step = nextStep(
        input({
          hosts,
          currentWave: 2,
          waveBudget: { kind: 'percent', percent: 50 },
          totalBudget: { kind: 'percent', percent: 5 },
        }),
      );
      expect(step.kind).toBe('start-hosts');
    });

    it('lists failures of earlier waves too', () => {
      const hosts = withStatus(finish(hostsInWaves(2, 4), 2), { 1: 'failed', 5: 'rolled-back' });
      const step = nextStep(
        input({
          hosts,
          currentWave: 2,
          waveBudget: { kind: 'count', count: 1 },
          totalBudget: { kind: 'count', count: 1 },
        }),
      );
      expect(step).toEqual({
        kind: 'halt',
        reason: 'rollout: 2 of 6 hosts failed (budget 1)',
        failedHostIds: [1, 5],
      });
    });

    it.each(['waiting', 'baking'] as const)('checks budgets while %s', (status) => {
      const hosts = withStatus(finish(hostsInWaves(1, 3), 1), { 1: 'failed' });
      expect(nextStep(input({ status, hosts, currentWave: 1 })).kind).toBe('halt');
    });

    it('halts only once', () => {
      const hosts = withStatus(hostsInWaves(1, 3), { 1: 'failed' });
      expect(nextStep(input({ status: 'halted', hosts, currentWave: 1 }))).toEqual({ kind: 'idle' });
    });
  });

  describe('between waves', () => {
    const wave1Done = finish(hostsInWaves(1, 3, 6), 1);

    it('bakes after a wave that completes while running', () => {
      expect(nextStep(input({ hosts: wave1Done, currentWave: 1, bakeSeconds: 600 }))).toEqual({
        kind: 'bake',
        until: LATER,
      });
    });

    it('is idle until the bake is over', () => {
      const step = nextStep(
        input({ status: 'baking', hosts: wave1Done, currentWave: 1, bakeSeconds: 600, bakeUntil: LATER }),
      );
      expect(step).toEqual({ kind: 'idle' });
    });

    it('starts the next wave when the bake is over', () => {
      const step = nextStep(
        input({
          status: 'baking',
          hosts: wave1Done,
          currentWave: 1,
          bakeSeconds: 600,
          bakeUntil: NOW,
          concurrency: 2,
        }),
      );
      expect(step).toEqual({ kind: 'start-hosts', wave: 2, hostIds: [2, 3] });
    });

    it('starts the next wave at once without a bake', () => {
      expect(nextStep(input({ hosts: wave1Done, currentWave: 1 }))).toEqual({
        kind: 'start-hosts',
        wave: 2,
        hostIds: [2, 3, 4],
      });
    });

    it('waits for the window after the bake', () => {
      const step = nextStep(
        input({
          status: 'baking',
          hosts: wave1Done,
          currentWave: 1,
          bakeSeconds: 600,
          bakeUntil: NOW,
          window: closedWindow,
        }),
      );
      expect(step).toEqual({ kind: 'wait-window', until: LATER });
    });

    it('does not bake again when the window held the next wave back', () => {
      const step = nextStep(
        input({
          status: 'waiting',
          hosts: wave1Done,
          currentWave: 1,
          bakeSeconds: 600,
          bakeUntil: NOW,
          window: openWindow,
        }),
      );
      expect(step).toEqual({ kind: 'start-hosts', wave: 2, hostIds: [2, 3, 4] });
    });

    it('finishes after the last wave, with no bake', () => {
      const hosts = finish(hostsInWaves(1, 3, 6), 3);
      expect(nextStep(input({ hosts, currentWave: 3, bakeSeconds: 600 }))).toEqual({ kind: 'finish' });
    });

    it('finishes with failures inside the budget', () => {
      const hosts = withStatus(finish(hostsInWaves(1, 3), 2), { 3: 'failed' });
      const budget = { kind: 'count', count: 1 } as const;
      expect(nextStep(input({ hosts, currentWave: 2, waveBudget: budget, totalBudget: budget }))).toEqual({
        kind: 'finish',
      });
    });

    it('finishes a single-wave rollout even when the window has closed', () => {
      const hosts = finish(hostsInWaves(4), 1);
      expect(nextStep(input({ hosts, currentWave: 1, window: closedWindow }))).toEqual({ kind: 'finish' });
    });
  });

  it('walks a whole [1,3,6] rollout to the end', () => {
    let state = input({ concurrency: 2, bakeSeconds: 60 });
    const seen: string[] = [];
    for (let guard = 0; guard < 50; guard++) {
      const step = nextStep(state);
      seen.push(step.kind === 'start-hosts' ? `start ${step.wave}:${step.hostIds.join('+')}` : step.kind);
      if (step.kind === 'finish') break;
      if (step.kind === 'start-hosts') {
        const started = new Set(step.hostIds);
        state = {
          ...state,
          status: 'running',
          currentWave: step.wave,
          // The hosts start and, for this walk, succeed before the engine asks again.
          hosts: state.hosts.map((host) => (started.has(host.hostId) ? { ...host, status: 'ok' } : host)),
        };
      } else if (step.kind === 'bake') {
        state = { ...state, status: 'baking', bakeUntil: step.until, now: step.until };
      } else {
        throw new Error(`unexpected ${step.kind}`);
      }
    }
    expect(seen).toEqual([
      'start 1:1',
      'bake',
      'start 2:2+3',
      'start 2:4',
      'bake',
      'start 3:5+6',
      'start 3:7+8',
      'start 3:9+10',
      'finish',
    ]);
  });
});
