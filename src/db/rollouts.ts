import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNull,
  lt,
  notInArray,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type {
  HostPhase,
  RollbackStatus,
  RolloutHostStatus,
  RolloutStatus,
} from '../engine/rollouts/types.js';
import { anyOf } from './any-of.js';
import { audit, auditedUpdate } from './audit.js';
import type { Db } from './client.js';
import type { PlanRow } from './plans.js';
import { hosts, planHosts, plans, rolloutHosts, rollouts } from './schema/index.js';

export type RolloutRow = typeof rollouts.$inferSelect;
export type RolloutHostRow = typeof rolloutHosts.$inferSelect & { hostName: string; zone: string | null };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface RolloutState {
  rollout: RolloutRow;
  plan: PlanRow;
  hosts: RolloutHostRow[];
}

/** Rollouts that may still take a step by themselves (for the worker's start-up recovery). */
const ACTIVE_ROLLOUT_STATUSES: RolloutStatus[] = ['running', 'baking', 'waiting'];

async function readHosts(tx: Tx | Db, rolloutId: number): Promise<RolloutHostRow[]> {
  const rows = await tx
    .select({ row: rolloutHosts, hostName: hosts.name, zone: hosts.zone })
    .from(rolloutHosts)
    .innerJoin(hosts, eq(hosts.id, rolloutHosts.hostId))
    .where(eq(rolloutHosts.rolloutId, rolloutId))
    .orderBy(asc(rolloutHosts.wave), asc(hosts.name));
  return rows.map((r) => ({ ...r.row, hostName: r.hostName, zone: r.zone }));
}

export async function getRolloutState(
  db: Tx | Db,
  rolloutId: number,
  options: { lock?: boolean } = {},
): Promise<RolloutState | undefined> {
  const query = db.select().from(rollouts).where(eq(rollouts.id, rolloutId));
  const [rollout] = options.lock ? await query.for('update') : await query;
  if (!rollout) return undefined;
  const [plan] = await db.select().from(plans).where(eq(plans.id, rollout.planId));
  return { rollout, plan: plan!, hosts: await readHosts(db, rolloutId) };
}

export async function activeRollouts(db: Db): Promise<{ id: number; createdAt: Date }[]> {
  return db
    .select({ id: rollouts.id, createdAt: rollouts.createdAt })
    .from(rollouts)
    .where(inArray(rollouts.status, ACTIVE_ROLLOUT_STATUSES));
}

/** Rollouts not done or aborted that hold any of these hosts: a host is in one unfinished rollout at a time. */
export async function hostsInUnfinishedRollouts(db: Db | Tx, hostIds: number[]) {
  if (hostIds.length === 0) return [];
  return db
    .select({ hostName: hosts.name, rolloutId: rollouts.id, status: rollouts.status })
    .from(rolloutHosts)
    .innerJoin(rollouts, eq(rollouts.id, rolloutHosts.rolloutId))
    .innerJoin(hosts, eq(hosts.id, rolloutHosts.hostId))
    .where(and(anyOf(rolloutHosts.hostId, hostIds), notInArray(rollouts.status, ['done', 'aborted'])))
    .orderBy(asc(hosts.name));
}

/** The latest rollouts with their hosts, newest first (for the list of recent runs). */
/** Hosts of a rollout in one wave and status: what a rollout's summary needs, without its host rows. */
export interface HostCount {
  wave: number;
  status: RolloutHostStatus;
  hosts: number;
  finished: number;
}

/** The latest rollouts with their plans and host counts: one query each, however many hosts they have. */
export async function recentRolloutCounts(
  db: Db,
  limit = 5,
): Promise<{ rollout: RolloutRow; plan: PlanRow; counts: HostCount[] }[]> {
  const rows = await db
    .select()
    .from(rollouts)
    .innerJoin(plans, eq(plans.id, rollouts.planId))
    .orderBy(desc(rollouts.id))
    .limit(limit);
  const ids = rows.map((row) => row.rollouts.id);
  const counts =
    ids.length === 0
      ? []
      : await db
          .select({
            rolloutId: rolloutHosts.rolloutId,
            wave: rolloutHosts.wave,
            status: rolloutHosts.status,
            hosts: count(),
            finished: count(rolloutHosts.finishedAt),
          })
          .from(rolloutHosts)
          .where(inArray(rolloutHosts.rolloutId, ids))
          .groupBy(rolloutHosts.rolloutId, rolloutHosts.wave, rolloutHosts.status);
  return rows.map(({ rollouts: rollout, plans: plan }) => ({
    rollout,
    plan,
    counts: counts.filter((c) => c.rolloutId === rollout.id),
  }));
}

const hostKey = (rolloutId: number, hostId: number) =>
  and(eq(rolloutHosts.rolloutId, rolloutId), eq(rolloutHosts.hostId, hostId));

const leaseFor = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;
const lapsed = () => or(isNull(rolloutHosts.leaseOwner), lt(rolloutHosts.leaseUntil, sql`now()`));
const withHost = { ...getTableColumns(rolloutHosts), hostName: hosts.name, zone: hosts.zone };

/** Set the lease (and `change`) on the host's row when `condition` holds; the row with its host's name. */
async function claim(
  db: Db,
  rolloutId: number,
  hostId: number,
  change: PgUpdateSetSource<typeof rolloutHosts>,
  condition: SQL | undefined,
): Promise<RolloutHostRow | undefined> {
  const [row] = await db
    .update(rolloutHosts)
    .set(change)
    .from(hosts)
    .where(and(hostKey(rolloutId, hostId), eq(hosts.id, rolloutHosts.hostId), condition))
    .returning(withHost);
  return row;
}

/**
 * Take a dispatched host for this job. Only a host that is running under no live lease can be taken, so
 * a duplicated or stalled job, and a job racing a re-dispatch, find it taken and do nothing.
 */
export function claimHost(db: Db, rolloutId: number, hostId: number, owner: string, leaseMs: number) {
  const change = { leaseOwner: owner, leaseUntil: leaseFor(leaseMs), phase: 'precheck' as const };
  return claim(db, rolloutId, hostId, change, and(eq(rolloutHosts.status, 'running'), lapsed()));
}

/** Same for a rollback: `rollback` pending, or running under a lapsed lease. */
export function claimRollback(db: Db, rolloutId: number, hostId: number, owner: string, leaseMs: number) {
  const change = { rollback: 'running' as const, leaseOwner: owner, leaseUntil: leaseFor(leaseMs) };
  const takeable = or(
    eq(rolloutHosts.rollback, 'pending'),
    and(eq(rolloutHosts.rollback, 'running'), lapsed()),
  );
  return claim(db, rolloutId, hostId, change, takeable);
}

/** What a host's job needs besides its row: the plan's settings, its packages, the host's package manager. */
export async function hostJobContext(db: Db, rolloutId: number, hostId: number) {
  const [row] = await db
    .select({
      createdAt: rollouts.createdAt,
      reboot: plans.reboot,
      autoRollback: plans.autoRollback,
      packages: planHosts.packages,
      packageManager: hosts.packageManager,
    })
    .from(rollouts)
    .innerJoin(plans, eq(plans.id, rollouts.planId))
    .innerJoin(planHosts, and(eq(planHosts.planId, plans.id), eq(planHosts.hostId, hostId)))
    .innerJoin(hosts, eq(hosts.id, hostId))
    .where(eq(rollouts.id, rolloutId));
  return row;
}

/** Extend our lease; false when it is no longer ours (it lapsed and another job took the host). */
export async function renewLease(db: Db, rolloutId: number, hostId: number, owner: string, leaseMs: number) {
  const rows = await db
    .update(rolloutHosts)
    .set({ leaseUntil: leaseFor(leaseMs) })
    .where(and(hostKey(rolloutId, hostId), eq(rolloutHosts.leaseOwner, owner)))
    .returning({ hostId: rolloutHosts.hostId });
  return rows.length > 0;
}

/** Where the host is in its job, under our lease (one statement: it is written several times per host). */
export async function setPhase(db: Db, rolloutId: number, hostId: number, owner: string, phase: HostPhase) {
  await db
    .update(rolloutHosts)
    .set({ phase })
    .where(and(hostKey(rolloutId, hostId), eq(rolloutHosts.leaseOwner, owner)));
}

/** A change to a host's row and its audit entry, in one statement; false when no row changed (not ours). */
async function auditedHostUpdate(
  db: Db,
  rolloutId: number,
  hostId: number,
  update: SQLWrapper,
  entry: { action: string; details?: Record<string, unknown> },
): Promise<boolean> {
  const changed = await auditedUpdate(db, update, {
    actor: 'engine',
    action: entry.action,
    subject: `rollout-${rolloutId}`,
    details: { hostId, ...entry.details },
  });
  return changed > 0;
}

/** Record progress inside a host's job, under our lease, with its audit entry; false when not ours. */
export async function updateLeasedHost(
  db: Db,
  rolloutId: number,
  hostId: number,
  owner: string,
  change: {
    phase?: HostPhase;
    before?: { name: string; arch: string; version: string | null }[];
    rebooted?: boolean;
  },
  entry: { action: string; details?: Record<string, unknown> },
): Promise<boolean> {
  const update = db
    .update(rolloutHosts)
    // An audit-only update still sets something, so that it checks the lease like the others.
    .set({ leaseOwner: owner, ...change })
    .where(and(hostKey(rolloutId, hostId), eq(rolloutHosts.leaseOwner, owner)))
    .returning({ hostId: rolloutHosts.hostId });
  return auditedHostUpdate(db, rolloutId, hostId, update, entry);
}

export interface HostOutcome {
  status: Extract<RolloutHostStatus, 'ok' | 'failed' | 'rolled-back'>;
  errorCode?: string | null;
  errorMessage?: string | null;
  failedCheck?: string | null;
  rollback?: RollbackStatus | null;
  rollbackError?: string | null;
}

/** Write a final state and give the lease up, under our lease only, with its audit entry. */
async function release(
  db: Db,
  rolloutId: number,
  hostId: number,
  owner: string,
  change: PgUpdateSetSource<typeof rolloutHosts>,
  condition: SQL,
  entry: { action: string; details: Record<string, unknown> },
): Promise<boolean> {
  const update = db
    .update(rolloutHosts)
    .set({ ...change, leaseOwner: null, leaseUntil: null })
    .where(and(hostKey(rolloutId, hostId), eq(rolloutHosts.leaseOwner, owner), condition))
    .returning({ hostId: rolloutHosts.hostId });
  return auditedHostUpdate(db, rolloutId, hostId, update, entry);
}

/** A host's final state, once: only the job holding the lease can write it. */
export function finishHost(db: Db, rolloutId: number, hostId: number, owner: string, outcome: HostOutcome) {
  return release(
    db,
    rolloutId,
    hostId,
    owner,
    { ...outcome, finishedAt: new Date() },
    eq(rolloutHosts.status, 'running'),
    { action: `rollout.host.${outcome.status}`, details: { ...outcome } },
  );
}

export function finishRollback(
  db: Db,
  rolloutId: number,
  hostId: number,
  owner: string,
  result: { rollback: 'done' | 'failed'; rollbackError: string | null },
) {
  return release(db, rolloutId, hostId, owner, result, eq(rolloutHosts.rollback, 'running'), {
    action: `rollout.rollback.${result.rollback}`,
    details: result.rollbackError ? { error: result.rollbackError } : {},
  });
}

/** Hosts whose rollback was asked for and that no live job holds (for re-dispatch after a crash). */
export async function pendingRollbacks(db: Db): Promise<{ rolloutId: number; hostId: number }[]> {
  return db
    .select({ rolloutId: rolloutHosts.rolloutId, hostId: rolloutHosts.hostId })
    .from(rolloutHosts)
    .where(or(eq(rolloutHosts.rollback, 'pending'), and(eq(rolloutHosts.rollback, 'running'), lapsed())));
}

/**
 * Ask for the rollback of the given hosts (those with recorded versions, not running, not rolled back
 * already). Returns the hosts marked.
 */
export async function requestRollback(
  db: Db,
  rolloutId: number,
  hostIds: number[],
  actor: string,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(rolloutHosts)
      .set({ rollback: 'pending', rollbackError: null })
      .where(
        and(
          eq(rolloutHosts.rolloutId, rolloutId),
          inArray(rolloutHosts.hostId, hostIds),
          sql`${rolloutHosts.before} IS NOT NULL`,
          inArray(rolloutHosts.status, ['ok', 'failed']),
          or(isNull(rolloutHosts.rollback), eq(rolloutHosts.rollback, 'failed')),
        ),
      )
      .returning({ hostId: rolloutHosts.hostId });
    const marked = rows.map((r) => r.hostId);
    if (marked.length > 0)
      await audit(tx, {
        actor,
        action: 'rollout.rollback.requested',
        subject: `rollout-${rolloutId}`,
        details: { hostIds: marked },
      });
    return marked;
  });
}

export type SteerAction = 'pause' | 'resume' | 'abort' | 'override';

const STEERABLE: Record<SteerAction, readonly RolloutStatus[]> = {
  pause: ['running', 'baking', 'waiting'],
  resume: ['paused', 'halted'],
  abort: ['running', 'baking', 'waiting', 'paused', 'halted'],
  override: ['running', 'baking', 'waiting', 'paused', 'halted'],
};

/**
 * Pause, resume, abort or override a rollout under its row lock. Resuming a halted rollout acknowledges
 * the failures so far: they stop counting against the budgets, or it would halt again at once.
 * Returns the status it found when the action does not apply to it.
 */
export async function steerRollout(
  db: Db,
  rolloutId: number,
  action: SteerAction,
  actor: string,
  reason: string | null,
): Promise<{ ok: true } | { ok: false; status: RolloutStatus | undefined }> {
  return db.transaction(async (tx) => {
    const [rollout] = await tx.select().from(rollouts).where(eq(rollouts.id, rolloutId)).for('update');
    if (!rollout || !STEERABLE[action].includes(rollout.status))
      return { ok: false, status: rollout?.status };
    const failed = (await readHosts(tx, rolloutId))
      .filter((h) => h.status === 'failed' || h.status === 'rolled-back')
      .map((h) => h.hostId);
    const change: Partial<typeof rollouts.$inferInsert> = {
      pause: { status: 'paused' as const, statusReason: `paused by ${actor}` },
      // A rollout paused while baking goes on baking until the same time, not for a new full bake.
      resume: {
        status: rollout.bakeUntil ? ('baking' as const) : ('running' as const),
        statusReason: null,
        acknowledgedFailures: [...new Set([...rollout.acknowledgedFailures, ...failed])],
      },
      abort: { status: 'aborted' as const, statusReason: `aborted by ${actor}`, finishedAt: new Date() },
      override: { override: true },
    }[action];
    await tx.update(rollouts).set(change).where(eq(rollouts.id, rolloutId));
    await audit(tx, {
      actor,
      action: `rollout.${action}`,
      subject: `rollout-${rolloutId}`,
      details: {
        from: rollout.status,
        ...(reason ? { reason } : {}),
        ...(action === 'resume' ? { acknowledged: failed } : {}),
      },
    });
    return { ok: true };
  });
}
