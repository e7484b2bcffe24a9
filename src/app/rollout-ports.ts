import { and, eq } from 'drizzle-orm';
import { approvalRule, checkPlanDecision } from '../bot/core/approvals/index.js';
import { commandError } from '../bot/core/command-error.js';
import type { RolloutPorts } from '../bot/core/handle-rollouts.js';
import type { Config } from '../config/index.js';
import { rolloutDefaults } from '../config/rollouts.js';
import { anyOf } from '../db/any-of.js';
import type { Db } from '../db/client.js';
import type { HostRecord } from '../db/hosts.js';
import { createPlan, decidePlan, getPlanState } from '../db/plans.js';
import { getRolloutState, hostsInUnfinishedRollouts, requestRollback, steerRollout } from '../db/rollouts.js';
import { availableUpdates, findings, installedPackages } from '../db/schema/index.js';
import type { EngineClient } from '../engine/client.js';
import type { PlanHostInput } from '../engine/rollouts/types.js';
import { countsOf, planSummary, rolloutHostSummaries, rolloutSummary } from './rollout-data.js';

function byHost<T extends { hostId: number }>(rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.hostId);
    if (group) group.push(row);
    else groups.set(row.hostId, [row]);
  }
  return groups;
}

/** What the planner needs per host; source names only for packages with an update (siblings move together). */
async function planInputs(db: Db, hosts: HostRecord[]): Promise<PlanHostInput[]> {
  const ids = hosts.map((h) => h.id);
  const updates = byHost(await db.select().from(availableUpdates).where(anyOf(availableUpdates.hostId, ids)));
  const sources = byHost(
    await db
      .select({
        hostId: installedPackages.hostId,
        name: installedPackages.name,
        source: installedPackages.sourceName,
      })
      .from(installedPackages)
      .innerJoin(
        availableUpdates,
        and(
          eq(availableUpdates.hostId, installedPackages.hostId),
          eq(availableUpdates.name, installedPackages.name),
        ),
      )
      .where(anyOf(installedPackages.hostId, ids)),
  );
  const open = byHost(
    // Only what planning reads: a fleet's open findings carry large reasons and scores it does not need.
    await db
      .select({
        hostId: findings.hostId,
        binaryPackages: findings.binaryPackages,
        cves: findings.cves,
        vulnerability: findings.vulnerability,
        priority: findings.priority,
      })
      .from(findings)
      .where(and(anyOf(findings.hostId, ids), eq(findings.status, 'open'))),
  );
  return hosts.map((host) => ({
    id: host.id,
    name: host.name,
    tags: host.tags,
    lastScanAt: host.lastScanAt ?? null,
    updates: updates.get(host.id) ?? [],
    sourceOf: new Map((sources.get(host.id) ?? []).map((p) => [p.name, p.source])),
    findings: open.get(host.id) ?? [],
  }));
}

export function createRolloutPorts(db: Db, engine: EngineClient, config: Config): RolloutPorts<HostRecord> {
  const approvals = config.file.approvals;
  const defaults = rolloutDefaults(config.file.rollouts, config.file.windows, approvals.environmentTag);
  const ruleFor = (environments: string[]) =>
    approvalRule(
      approvals,
      environments.map((e) => (e === 'default' ? null : e)),
    );

  async function rollout(id: number) {
    const state = await getRolloutState(db, id);
    return (
      state && {
        rollout: rolloutSummary({ ...state, counts: countsOf(state.hosts) }),
        hosts: rolloutHostSummaries(state),
      }
    );
  }

  return {
    rolloutDefaults: () => defaults,
    approvalRule: ruleFor,
    planInputs: (hosts) => planInputs(db, hosts),
    async hostsInRollouts(hosts) {
      const rows = await hostsInUnfinishedRollouts(
        db,
        hosts.map((h) => h.id),
      );
      return rows.map((r) => ({ host: r.hostName, rolloutId: `rollout-${r.rolloutId}`, status: r.status }));
    },
    async savePlan(request) {
      const { rule, ...plan } = request;
      const now = new Date();
      const row = await createPlan(db, {
        ...plan,
        approvalsRequired: rule.required,
        approvers: rule.describe,
        expiresAt: new Date(now.getTime() + rule.expiresAfterSeconds * 1000),
      });
      return planSummary((await getPlanState(db, row.id))!);
    },
    async plan(id) {
      const state = await getPlanState(db, id);
      return state && planSummary(state);
    },
    async decidePlan(id, actor, decision, reason) {
      let refusal: ReturnType<typeof checkPlanDecision> | undefined;
      const result = await decidePlan(db, id, actor.name, (state, now, busy) => {
        const checked = checkPlanDecision({
          plan: {
            id: `plan-${id}`,
            requestedBy: state.plan.requestedBy,
            status: state.plan.status,
            expiresAt: state.plan.expiresAt,
            decisions: state.decisions,
            rolloutId: state.rolloutId === null ? null : `rollout-${state.rolloutId}`,
          },
          actor,
          decision,
          now,
          rule: { ...ruleFor(state.plan.environments), required: state.plan.approvalsRequired },
        });
        if (!checked.ok) {
          refusal = checked;
          return { ok: false, expired: state.plan.status === 'pending' && now >= state.plan.expiresAt };
        }
        if (checked.outcome === 'approved' && busy.length > 0) {
          const listed = busy.slice(0, 5).map((b) => `${b.hostName} (rollout-${b.rolloutId}, ${b.status})`);
          const message = `plan-${id} cannot start: hosts are in a rollout that has not finished: ${listed.join(', ')}`;
          refusal = { ok: false, changed: false, error: commandError('conflict', message) };
          return { ok: false };
        }
        return { ok: true, decision, reason, outcome: checked.outcome };
      });
      if (!result) return { ok: false, error: commandError('invalid_value', `no plan 'plan-${id}'`) };
      if (refusal && !refusal.ok) return { ok: false, error: refusal.error };
      if (result.rolloutId !== null) await engine.advance(result.rolloutId);
      return { ok: true, value: { plan: planSummary(result.state), rolloutId: result.rolloutId } };
    },
    rollout,
    async steerRollout(id, action, actor, reason) {
      const result = await steerRollout(db, id, action, actor, reason);
      if (!result.ok) {
        const message = result.status
          ? `rollout-${id} is ${result.status}: ${action} does not apply`
          : `no rollout 'rollout-${id}'`;
        return { ok: false, error: commandError(result.status ? 'conflict' : 'invalid_value', message) };
      }
      await engine.advance(id);
      return { ok: true, value: null };
    },
    async rollbackRollout(id, hostNames, actor) {
      const state = await getRolloutState(db, id);
      if (!state) return { ok: false, error: commandError('invalid_value', `no rollout 'rollout-${id}'`) };
      if (['running', 'baking', 'waiting'].includes(state.rollout.status))
        return {
          ok: false,
          error: commandError(
            'conflict',
            `rollout-${id} is ${state.rollout.status}: pause or abort it before rolling back`,
          ),
        };
      const wanted = state.hosts.filter((h) => !hostNames || hostNames.includes(h.hostName));
      const marked = await requestRollback(
        db,
        id,
        wanted.map((h) => h.hostId),
        actor,
      );
      if (marked.length === 0)
        return {
          ok: false,
          error: commandError(
            'conflict',
            `nothing to roll back in rollout-${id}: no such host was changed, or it is rolled back already`,
          ),
        };
      await engine.dispatchRollbacks(id, marked);
      return { ok: true, value: state.hosts.filter((h) => marked.includes(h.hostId)).map((h) => h.hostName) };
    },
  };
}
