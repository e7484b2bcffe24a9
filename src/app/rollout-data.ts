import type {
  PlanSummary,
  RolloutHostSummary,
  RolloutSummary,
  RolloutWaveSummary,
} from '../bot/core/views-rollout.js';
import type { PlanState } from '../db/plans.js';
import type { RolloutHostRow, RolloutState } from '../db/rollouts.js';

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

function waveSummaries(sizes: number[], hosts: RolloutHostRow[]): RolloutWaveSummary[] {
  return sizes.map((size, index) => {
    const wave = hosts.filter((h) => h.wave === index + 1);
    const count = (...statuses: string[]) => wave.filter((h) => statuses.includes(h.status)).length;
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

/** From the pace so far: hosts done per second since the start, applied to the hosts left (bakes added). */
function estimateEnd(state: RolloutState, now: Date): string | null {
  const { rollout, plan, hosts } = state;
  if (!rollout.startedAt || !['running', 'baking'].includes(rollout.status)) return null;
  const done = hosts.filter((h) => h.finishedAt !== null).length;
  if (done === 0) return null;
  const elapsed = now.getTime() - rollout.startedAt.getTime();
  const left = hosts.length - done;
  const bakesLeft =
    Math.max(0, plan.waveSizes.length - Math.max(rollout.currentWave, 1)) * plan.bakeSeconds * 1000;
  return new Date(now.getTime() + (elapsed / done) * left + bakesLeft).toISOString();
}

export function rolloutSummary(state: RolloutState, now = new Date()): RolloutSummary {
  const { rollout, plan } = state;
  return {
    id: `rollout-${rollout.id}`,
    planId: `plan-${plan.id}`,
    selector: plan.selector,
    requestedBy: plan.requestedBy,
    status: rollout.status,
    currentWave: rollout.currentWave,
    waves: waveSummaries(plan.waveSizes, state.hosts),
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
