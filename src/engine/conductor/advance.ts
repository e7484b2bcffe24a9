import { and, eq, inArray } from 'drizzle-orm';
import { audit } from '../../db/audit.js';
import type { Db } from '../../db/client.js';
import { getRolloutState, type RolloutHostRow, type RolloutState, type Tx } from '../../db/rollouts.js';
import { rolloutHosts, rollouts } from '../../db/schema/index.js';
import type { Logger } from '../../logger.js';
import type { EngineEvent } from '../events/index.js';
import type { EngineQueues } from '../queues/index.js';
import { parseBudget } from '../rollouts/budget.js';
import { type ConductStep, nextStep } from '../rollouts/conduct.js';
import type { FailureBudget, RolloutStatus } from '../rollouts/types.js';
import { type MaintenanceWindow, windowState } from '../rollouts/windows.js';

export interface ConductorSettings {
  /** How long a worker's claim on a host lasts without renewal; a lapsed claim means the worker died. */
  leaseMs: number;
  /** A host dispatched this many times without a result is given up (its worker keeps dying). */
  maxDispatches: number;
  windows: Readonly<Record<string, MaintenanceWindow>>;
}

export interface ConductorContext extends ConductorSettings {
  db: Db;
  queues: EngineQueues;
  logger: Logger;
}

interface Effects {
  dispatch: RolloutHostRow[];
  events: EngineEvent[];
  wakeAt: Date[];
  createdAt: Date;
}

const FINAL: ReadonlySet<RolloutStatus> = new Set(['halted', 'done', 'aborted', 'paused']);

function budget(text: string): FailureBudget {
  const parsed = parseBudget(text);
  // Stored plans were validated when made; a budget that no longer parses tolerates nothing.
  return parsed.ok ? parsed.budget : { kind: 'count', count: 0 };
}

export function failureLine(host: RolloutHostRow): string {
  const why = host.failedCheck ?? `${host.errorCode ?? 'failed'}: ${host.errorMessage ?? ''}`;
  const phase = host.phase ? ` (${host.phase})` : '';
  return `${host.hostName}${phase}: ${why}`;
}

async function setStatus(
  tx: Tx,
  state: RolloutState,
  change: Partial<typeof rollouts.$inferInsert>,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.update(rollouts).set(change).where(eq(rollouts.id, state.rollout.id));
  await audit(tx, { actor: 'engine', action, subject: `rollout-${state.rollout.id}`, details });
}

/** Re-dispatch hosts whose worker's lease lapsed, or give them up after too many tries. */
async function recoverLapsed(
  tx: Tx,
  state: RolloutState,
  ctx: ConductorContext,
  now: Date,
  effects: Effects,
) {
  const lapsed = state.hosts.filter(
    (h) => h.status === 'running' && h.leaseUntil !== null && h.leaseUntil.getTime() < now.getTime(),
  );
  for (const host of lapsed) {
    const key = and(eq(rolloutHosts.rolloutId, host.rolloutId), eq(rolloutHosts.hostId, host.hostId));
    if (host.attempts >= ctx.maxDispatches) {
      const message = `gave up after ${host.attempts} attempts: the worker patching it stopped each time`;
      await tx
        .update(rolloutHosts)
        .set({
          status: 'failed',
          errorCode: 'abandoned',
          errorMessage: message,
          leaseOwner: null,
          leaseUntil: null,
          finishedAt: now,
        })
        .where(key);
      Object.assign(host, { status: 'failed', errorCode: 'abandoned', errorMessage: message });
      await audit(tx, {
        actor: 'engine',
        action: 'rollout.host.failed',
        subject: `rollout-${state.rollout.id}`,
        details: { hostId: host.hostId, errorCode: 'abandoned', attempts: host.attempts },
      });
      continue;
    }
    const leaseUntil = new Date(now.getTime() + ctx.leaseMs);
    await tx
      .update(rolloutHosts)
      .set({ attempts: host.attempts + 1, leaseOwner: null, leaseUntil })
      .where(key);
    Object.assign(host, { attempts: host.attempts + 1, leaseOwner: null, leaseUntil });
    effects.dispatch.push(host);
  }
  const redispatched = effects.dispatch.map((h) => h.hostName);
  if (redispatched.length > 0)
    await audit(tx, {
      actor: 'engine',
      action: 'rollout.hosts.redispatched',
      subject: `rollout-${state.rollout.id}`,
      details: { hosts: redispatched },
    });
}

function windowFor(state: RolloutState, ctx: ConductorContext, now: Date) {
  const name = state.plan.window;
  if (!name) return null;
  const window = Object.hasOwn(ctx.windows, name) ? ctx.windows[name] : undefined;
  // A window removed from the configuration since the plan was approved never opens: say so.
  if (!window) return { open: false, acceptingNewHosts: false, opensAt: null };
  return windowState(window, now);
}

async function applyStep(
  tx: Tx,
  state: RolloutState,
  step: ConductStep,
  ctx: ConductorContext,
  now: Date,
  effects: Effects,
) {
  const id = state.rollout.id;
  switch (step.kind) {
    case 'idle':
      return;
    case 'wait-window': {
      const name = state.plan.window ?? '';
      const reason = Object.hasOwn(ctx.windows, name)
        ? `waiting for window ${name}${step.until ? ` (opens ${step.until.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : ''}`
        : `window ${name} is no longer configured: resume with an override or abort`;
      if (state.rollout.status !== 'waiting' || state.rollout.statusReason !== reason)
        await setStatus(tx, state, { status: 'waiting', statusReason: reason }, 'rollout.waiting', {
          reason,
        });
      if (step.until) effects.wakeAt.push(step.until);
      return;
    }
    case 'start-hosts': {
      const leaseUntil = new Date(now.getTime() + ctx.leaseMs);
      const started = await tx
        .update(rolloutHosts)
        .set({ status: 'running', attempts: 1, leaseOwner: null, leaseUntil, startedAt: now })
        .where(
          and(
            eq(rolloutHosts.rolloutId, id),
            inArray(rolloutHosts.hostId, step.hostIds),
            eq(rolloutHosts.status, 'pending'),
          ),
        )
        .returning({ hostId: rolloutHosts.hostId });
      const ids = new Set(started.map((s) => s.hostId));
      for (const host of state.hosts.filter((h) => ids.has(h.hostId))) {
        Object.assign(host, { status: 'running', attempts: 1, leaseUntil, leaseOwner: null });
        effects.dispatch.push(host);
      }
      const newWave = step.wave !== state.rollout.currentWave;
      if (newWave || state.rollout.status !== 'running')
        await setStatus(
          tx,
          state,
          {
            status: 'running',
            currentWave: step.wave,
            statusReason: null,
            bakeUntil: null,
            startedAt: state.rollout.startedAt ?? now,
          },
          newWave ? 'rollout.wave.started' : 'rollout.running',
          { wave: step.wave },
        );
      return;
    }
    case 'bake':
      await setStatus(tx, state, { status: 'baking', bakeUntil: step.until }, 'rollout.baking', {
        wave: state.rollout.currentWave,
        until: step.until.toISOString(),
      });
      effects.wakeAt.push(step.until);
      return;
    case 'halt': {
      await setStatus(tx, state, { status: 'halted', statusReason: step.reason }, 'rollout.halted', {
        reason: step.reason,
      });
      const failed = state.hosts.filter((h) => step.failedHostIds.includes(h.hostId));
      const lines = failed.slice(0, 10).map(failureLine);
      if (failed.length > 10) lines.push(`…and ${failed.length - 10} more`);
      effects.events.push({
        type: 'alert',
        severity: 'critical',
        subject: `rollout-${id}`,
        message: `rollout-${id} halted: ${step.reason}\n${lines.join('\n')}\nResume, abort or roll back: /patch status rollout-${id}`,
      });
      return;
    }
    case 'finish':
      await setStatus(
        tx,
        state,
        { status: 'done', finishedAt: now, statusReason: null, bakeUntil: null },
        'rollout.done',
      );
      return;
  }
}

function conductInput(state: RolloutState, ctx: ConductorContext, now: Date) {
  const acknowledged = new Set(state.rollout.acknowledgedFailures);
  return {
    status: state.rollout.status,
    currentWave: state.rollout.currentWave,
    waveCount: state.plan.waveSizes.length,
    // Failures an operator resumed past count as done, not as failures.
    hosts: state.hosts.map((h) => ({
      hostId: h.hostId,
      wave: h.wave,
      status: acknowledged.has(h.hostId) ? ('ok' as const) : h.status,
    })),
    concurrency: state.plan.concurrency,
    waveBudget: budget(state.plan.maxFailures),
    totalBudget: budget(state.plan.maxTotalFailures),
    bakeSeconds: state.plan.bakeSeconds,
    bakeUntil: state.rollout.bakeUntil,
    window: windowFor(state, ctx, now),
    override: state.rollout.override,
    now,
  };
}

/**
 * One step of a rollout, under its row lock: re-dispatch lapsed hosts, then do what `nextStep` (pure) says.
 * Queue work happens after the commit; if we die in between, the lease watchdog re-dispatches.
 */
export async function advanceRollout(ctx: ConductorContext, rolloutId: number): Promise<void> {
  const effects = await ctx.db.transaction(async (tx) => {
    const state = await getRolloutState(tx, rolloutId, { lock: true });
    if (!state) return undefined;
    const now = new Date();
    const effects: Effects = { dispatch: [], events: [], wakeAt: [], createdAt: state.rollout.createdAt };
    const statusBefore = state.rollout.status;
    if (!FINAL.has(statusBefore) || state.hosts.some((h) => h.status === 'running'))
      await recoverLapsed(tx, state, ctx, now, effects);
    if (!FINAL.has(statusBefore)) {
      const step = nextStep(conductInput(state, ctx, now));
      await applyStep(tx, state, step, ctx, now, effects);
      const [after] = await tx
        .select({ status: rollouts.status })
        .from(rollouts)
        .where(eq(rollouts.id, rolloutId));
      if (after && after.status !== statusBefore)
        effects.events.push({ type: 'rollout.changed', rolloutId, final: FINAL.has(after.status) });
    }
    const leases = state.hosts
      .filter((h) => h.status === 'running' && h.leaseUntil)
      .map((h) => h.leaseUntil!.getTime());
    // Whole seconds, so that the watchdogs set by many steps fall into one slot.
    if (leases.length > 0)
      effects.wakeAt.push(new Date(Math.ceil((Math.min(...leases) + 500) / 1000) * 1000));
    return effects;
  });
  if (!effects) return;
  const key = effects.createdAt.getTime();
  await ctx.queues.enqueuePatches(
    effects.dispatch.map((h) => ({
      rolloutId,
      hostId: h.hostId,
      mode: 'patch' as const,
      key: `${key}.${h.attempts}`,
      zone: h.zone,
    })),
  );
  for (const event of effects.events) await ctx.queues.publish(event);
  const rollout = { id: rolloutId, createdAt: effects.createdAt };
  for (const at of effects.wakeAt) await ctx.queues.advance(rollout, at.getTime() - Date.now());
}
