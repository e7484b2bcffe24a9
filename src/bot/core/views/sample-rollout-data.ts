import type {
  PinnedPackage,
  PlanDecisionSummary,
  PlanHostSummary,
  PlanSummary,
  RolloutHostSummary,
  RolloutSummary,
  RolloutWaveSummary,
} from '../views-rollout.js';

/* Realistic plan and rollout view inputs for specs and for trying the renderers by hand. */

export function pinned(name: string, from: string, to: string, arch = 'amd64'): PinnedPackage {
  return { name, arch, from, to };
}

export function planHost(host: string, wave: number, packages?: PinnedPackage[]): PlanHostSummary {
  return {
    host,
    wave,
    packages: packages ?? [
      pinned('openssl', '3.0.13-0ubuntu3.1', '3.0.13-0ubuntu3.4'),
      pinned('libssl3t64', '3.0.13-0ubuntu3.1', '3.0.13-0ubuntu3.4'),
    ],
  };
}

export function planDecision(
  actor: string,
  decision: 'approve' | 'deny' = 'approve',
  overrides: Partial<PlanDecisionSummary> = {},
): PlanDecisionSummary {
  return { actor, decision, reason: null, at: '2026-11-21T14:05:00Z', ...overrides };
}

/** plan-3: 10 web hosts in waves of 1, 3 and 6, waiting for two prod approvals. */
export function planSummary(overrides: Partial<PlanSummary> = {}): PlanSummary {
  const hosts = [
    planHost('web-01', 1),
    ...['web-02', 'web-03', 'web-04'].map((h) => planHost(h, 2)),
    ...['web-05', 'web-06', 'web-07', 'web-08', 'web-09', 'web-10'].map((h) => planHost(h, 3)),
  ];
  return {
    id: 'plan-3',
    selector: 'group:web',
    requestedBy: 'erin',
    status: 'pending',
    scope: 'security updates',
    waveSpec: '1,30%,100%',
    waveSizes: [1, 3, 6],
    concurrency: null,
    bakeSeconds: 900,
    maxFailures: '0',
    maxTotalFailures: '0',
    reboot: 'if-required',
    autoRollback: true,
    window: null,
    hosts,
    skipped: [{ host: 'web-11', reason: 'nothing to update' }],
    environments: ['prod'],
    approvalsRequired: 2,
    approvers: 'group sre-leads or user alice',
    decisions: [],
    scannedAt: '2026-11-21T13:40:00Z',
    createdAt: '2026-11-21T14:00:00Z',
    expiresAt: '2026-11-21T18:00:00Z',
    rolloutId: null,
    ...overrides,
  };
}

export function rolloutHost(
  host: string,
  wave: number,
  overrides: Partial<RolloutHostSummary> = {},
): RolloutHostSummary {
  return {
    host,
    wave,
    status: 'ok',
    phase: null,
    error: null,
    failedCheck: null,
    rollback: null,
    rollbackError: null,
    startedAt: '2026-11-21T15:00:00Z',
    finishedAt: '2026-11-21T15:04:00Z',
    ...overrides,
  };
}

export function rolloutWave(wave: number, size: number, overrides: Partial<RolloutWaveSummary> = {}) {
  return { wave, size, pending: 0, running: 0, ok: size, failed: 0, ...overrides };
}

/** Counts per wave from the hosts, as the database would give them. */
export function wavesOf(
  hosts: readonly RolloutHostSummary[],
  sizes: readonly number[],
): RolloutWaveSummary[] {
  return sizes.map((size, i) => {
    const inWave = hosts.filter((h) => h.wave === i + 1);
    const count = (...statuses: string[]) => inWave.filter((h) => statuses.includes(h.status)).length;
    return {
      wave: i + 1,
      size,
      pending: count('pending'),
      running: count('running'),
      ok: count('ok'),
      failed: count('failed', 'rolled-back'),
    };
  });
}

/** rollout-2 of plan-3, in wave 2 of 3: web-01 done, wave 2 under way. */
export function rolloutHosts(): RolloutHostSummary[] {
  return [
    rolloutHost('web-01', 1),
    rolloutHost('web-02', 2),
    rolloutHost('web-03', 2, { status: 'running', phase: 'install', finishedAt: null }),
    rolloutHost('web-04', 2, { status: 'running', phase: 'verify', finishedAt: null }),
    ...['web-05', 'web-06', 'web-07', 'web-08', 'web-09', 'web-10'].map((h) =>
      rolloutHost(h, 3, { status: 'pending', startedAt: null, finishedAt: null }),
    ),
  ];
}

export function rolloutSummary(overrides: Partial<RolloutSummary> = {}): RolloutSummary {
  return {
    id: 'rollout-2',
    planId: 'plan-3',
    selector: 'group:web',
    requestedBy: 'erin',
    status: 'running',
    currentWave: 2,
    waves: wavesOf(rolloutHosts(), [1, 3, 6]),
    bakeUntil: null,
    statusReason: null,
    window: null,
    override: false,
    createdAt: '2026-11-21T14:50:00Z',
    startedAt: '2026-11-21T15:00:00Z',
    finishedAt: null,
    eta: '2026-11-21T16:10:00Z',
    ...overrides,
  };
}
