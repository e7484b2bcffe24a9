import { asc, eq, sql } from 'drizzle-orm';
import type { PinnedPackage } from '../engine/rollouts/types.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { hostsInUnfinishedRollouts } from './rollouts.js';
import { hosts, planDecisions, planHosts, plans, rolloutHosts, rollouts } from './schema/index.js';

export type PlanRow = typeof plans.$inferSelect;
export type BusyHost = Awaited<ReturnType<typeof hostsInUnfinishedRollouts>>[number];

/** Advisory lock key of plan decisions (any constant unique to patchops). */
const APPROVAL_LOCK = 0x70617463;
export type PlanDecisionRow = typeof planDecisions.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type NewPlan = Omit<PlanRow, 'id' | 'status' | 'createdAt' | 'decidedAt'> & {
  hosts: { hostId: number; wave: number; packages: PinnedPackage[] }[];
};

export interface PlanState {
  plan: PlanRow;
  hosts: { hostId: number; hostName: string; wave: number; packages: PinnedPackage[] }[];
  decisions: PlanDecisionRow[];
  rolloutId: number | null;
}

export async function createPlan(db: Db, input: NewPlan): Promise<PlanRow> {
  const { hosts: planned, ...plan } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(plans).values(plan).returning();
    const created = row!;
    await tx.execute(sql`
      INSERT INTO ${planHosts} (plan_id, host_id, wave, packages)
      SELECT ${created.id}, "hostId", wave, packages
      FROM json_to_recordset(${JSON.stringify(planned)}::json) AS p("hostId" int, wave int, packages jsonb)`);
    await audit(tx, {
      actor: plan.requestedBy,
      action: 'plan.created',
      subject: `plan-${created.id}`,
      details: {
        selector: plan.selector,
        scope: plan.scope,
        hosts: planned.length,
        packages: planned.reduce((sum, h) => sum + h.packages.length, 0),
        waves: plan.waveSpec,
      },
    });
    return created;
  });
}

async function readPlanState(tx: Tx | Db, plan: PlanRow): Promise<PlanState> {
  // One query at a time: inside a transaction they share one connection.
  const hostRows = await tx
    .select({
      hostId: planHosts.hostId,
      hostName: hosts.name,
      wave: planHosts.wave,
      packages: planHosts.packages,
    })
    .from(planHosts)
    .innerJoin(hosts, eq(hosts.id, planHosts.hostId))
    .where(eq(planHosts.planId, plan.id))
    .orderBy(asc(planHosts.wave), asc(hosts.name));
  const decisions = await tx
    .select()
    .from(planDecisions)
    .where(eq(planDecisions.planId, plan.id))
    .orderBy(asc(planDecisions.at));
  const rollout = await tx.select({ id: rollouts.id }).from(rollouts).where(eq(rollouts.planId, plan.id));
  return { plan, hosts: hostRows, decisions, rolloutId: rollout[0]?.id ?? null };
}

export async function getPlanState(db: Db, planId: number): Promise<PlanState | undefined> {
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId));
  return plan ? readPlanState(db, plan) : undefined;
}

/** What the approval rules (pure, in the bot core) make of a click, given the plan as it is now. */
export type PlanDecision =
  | { ok: false; expired?: boolean }
  | {
      ok: true;
      decision: 'approve' | 'deny';
      reason: string | null;
      outcome: 'recorded' | 'approved' | 'denied';
    };

/**
 * Decide on a plan under a row lock, so two approvers clicking at once are counted one after the other
 * and a plan is approved (and its rollout created) exactly once. `decide` sees the locked state.
 */
export async function decidePlan(
  db: Db,
  planId: number,
  actor: string,
  decide: (state: PlanState, now: Date, busy: BusyHost[]) => PlanDecision,
): Promise<{ state: PlanState; decision: PlanDecision; rolloutId: number | null } | undefined> {
  return db.transaction(async (tx) => {
    // Decisions are taken one at a time, so two plans for one host can never both become rollouts.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${APPROVAL_LOCK})`);
    const [plan] = await tx.select().from(plans).where(eq(plans.id, planId)).for('update');
    if (!plan) return undefined;
    const now = new Date();
    const before = await readPlanState(tx, plan);
    const busy = await hostsInUnfinishedRollouts(
      tx,
      before.hosts.map((h) => h.hostId),
    );
    const decision = decide(before, now, busy);
    if (!decision.ok) {
      if (decision.expired && plan.status === 'pending') {
        await tx.update(plans).set({ status: 'expired' }).where(eq(plans.id, planId));
        await audit(tx, { actor: 'engine', action: 'plan.expired', subject: `plan-${planId}` });
      }
      return { state: before, decision, rolloutId: before.rolloutId };
    }
    await tx
      .insert(planDecisions)
      .values({ planId, actor, decision: decision.decision, reason: decision.reason, at: now })
      .onConflictDoNothing();
    await audit(tx, {
      actor,
      action: `plan.${decision.decision}`,
      subject: `plan-${planId}`,
      details: { outcome: decision.outcome, ...(decision.reason ? { reason: decision.reason } : {}) },
    });
    let rolloutId: number | null = null;
    if (decision.outcome !== 'recorded') {
      const status = decision.outcome === 'approved' ? 'approved' : 'denied';
      await tx.update(plans).set({ status, decidedAt: now }).where(eq(plans.id, planId));
      if (status === 'approved') rolloutId = await createRollout(tx, plan, actor);
    }
    const [after] = await tx.select().from(plans).where(eq(plans.id, planId));
    return { state: await readPlanState(tx, after!), decision, rolloutId };
  });
}

async function createRollout(tx: Tx, plan: PlanRow, approvedBy: string): Promise<number> {
  const [rollout] = await tx
    .insert(rollouts)
    .values({ planId: plan.id, status: 'running' })
    .returning({ id: rollouts.id });
  const id = rollout!.id;
  await tx.execute(sql`
    INSERT INTO ${rolloutHosts} (rollout_id, host_id, wave)
    SELECT ${id}, host_id, wave FROM ${planHosts} WHERE plan_id = ${plan.id}`);
  await audit(tx, {
    actor: approvedBy,
    action: 'rollout.created',
    subject: `rollout-${id}`,
    details: { plan: `plan-${plan.id}`, waves: plan.waveSpec },
  });
  return id;
}

export async function recentPlans(db: Db, limit = 10): Promise<PlanRow[]> {
  return db.select().from(plans).orderBy(sql`${plans.id} DESC`).limit(limit);
}
