import type {
  PlanSummary,
  RolloutHostSummary,
  RolloutSummary,
  RolloutWaveSummary,
} from '../bot/core/views-rollout.js';
import type { PlanState } from '../db/plans.js';
import type { HostCount, RolloutHostRow, RolloutRow, RolloutState } from '../db/rollouts.js';

/** Rows of plans and rollouts → the view data the core renders. */

export function planSummary(state: PlanState): PlanSummary {
  const { plan } = state;
  return {
    id: `plan-${plan.id}`,
    selector: plan.selector,
    requestedBy: plan.requestedBy,
    status: plan.status,
    scope: plan.scope,
    waveSpec: plan.waveSpec,
    waveSizes: plan.waveSizes,
    concurrency: plan.concurrency,
    bakeSeconds: plan.bakeSeconds,
    maxFailures: plan.maxFailures,
    maxTotalFailures: plan.maxTotalFailures,
    reboot: plan.reboot,
    autoRollback: plan.autoRollback,
    window: plan.window,
    hosts: state.hosts.map((h) => ({ host: h.hostName, wave: h.wave, packages: h.packages })),
    skipped: plan.skipped,
    environments: plan.environments,
    approvalsRequired: plan.approvalsRequired,
    approvers: plan.approvers,
    decisions: state.decisions.map((d) => ({
      actor: d.actor,
      decision: d.decision,
      reason: d.reason,
      at: d.at.toISOString(),
    })),
    scannedAt: plan.scannedAt.toISOString(),
    createdAt: plan.createdAt.toISOString(),
    expiresAt: plan.expiresAt.toISOString(),
    rolloutId: state.rolloutId === null ? null : `rollout-${state.rolloutId}`,
  };
}

function hostSummary(row: RolloutHostRow): RolloutHostSummary {
  return {
    host: row.hostName,
    wave: row.wave,
    status: row.status,
    phase: row.phase,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    failedCheck: row.failedCheck,
    rollback: row.rollback,
    rollbackError: row.rollbackError,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Host counts per wave and status, from the rows (a summary from a count query needs no rows). */
export function countsOf(hosts: readonly RolloutHostRow[]): HostCount[] {
  const counts = new Map<string, HostCount>();
  for (const host of hosts) {
    const key = `${host.wave}/${host.status}`;
    const entry = counts.get(key) ?? { wave: host.wave, status: host.status, hosts: 0, finished: 0 };
    entry.hosts++;
    if (host.finishedAt !== null) entry.finished++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

function waveSummaries(sizes: number[], counts: readonly HostCount[]): RolloutWaveSummary[] {
  return sizes.map((size, index) => {
    const wave = counts.filter((c) => c.wave === index + 1);
    const count = (...statuses: string[]) =>
      wave.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + c.hosts, 0);
    return {
      wave: index + 1,
      size,
      pending: count('pending'),
      running: count('running'),
      ok: count('ok'),
      failed: count('failed', 'rolled-back'),
    };
  });
}

/** A rollout as its summary needs it: its rows and its hosts counted. */
export interface RolloutTotals {
  rollout: RolloutRow;
  plan: RolloutState['plan'];
  counts: readonly HostCount[];
}

/** From the pace so far: hosts done per second since the start, applied to the hosts left (bakes added). */
function estimateEnd({ rollout, plan, counts }: RolloutTotals, now: Date): string | null {
  if (!rollout.startedAt || !['running', 'baking'].includes(rollout.status)) return null;
  const done = counts.reduce((sum, c) => sum + c.finished, 0);
  if (done === 0) return null;
  const elapsed = now.getTime() - rollout.startedAt.getTime();
  const left = counts.reduce((sum, c) => sum + c.hosts, 0) - done;
  const bakesLeft =
    Math.max(0, plan.waveSizes.length - Math.max(rollout.currentWave, 1)) * plan.bakeSeconds * 1000;
  return new Date(now.getTime() + (elapsed / done) * left + bakesLeft).toISOString();
}

export function rolloutSummary(state: RolloutTotals, now = new Date()): RolloutSummary {
  const { rollout, plan } = state;
  return {
    id: `rollout-${rollout.id}`,
    planId: `plan-${plan.id}`,
    selector: plan.selector,
    requestedBy: plan.requestedBy,
    status: rollout.status,
    currentWave: rollout.currentWave,
    waves: waveSummaries(plan.waveSizes, state.counts),
    bakeUntil: rollout.bakeUntil?.toISOString() ?? null,
    statusReason: rollout.statusReason,
    window: plan.window,
    override: rollout.override,
    createdAt: rollout.createdAt.toISOString(),
    startedAt: rollout.startedAt?.toISOString() ?? null,
    finishedAt: rollout.finishedAt?.toISOString() ?? null,
    eta: estimateEnd(state, now),
  };
}

export function rolloutHostSummaries(state: RolloutState): RolloutHostSummary[] {
  return state.hosts.map(hostSummary);
}
