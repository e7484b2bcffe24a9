import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  HostPhase,
  PinnedPackage,
  PlanFilters,
  PlanStatus,
  RebootPolicy,
  RollbackStatus,
  RolloutHostStatus,
  RolloutStatus,
} from '../../engine/rollouts/types.js';
import { createdAt } from './columns.js';
import { hosts } from './hosts.js';

/** A dry run waiting for approval: exact versions per host and wave, and how the rollout will go. */
export const plans = pgTable('plans', {
  id: serial('id').primaryKey(),
  selector: text('selector').notNull(),
  requestedBy: text('requested_by').notNull(),
  filters: jsonb('filters').$type<PlanFilters>().notNull(),
  scope: text('scope').notNull(),
  waveSpec: text('wave_spec').notNull(),
  waveSizes: jsonb('wave_sizes').$type<number[]>().notNull(),
  concurrency: integer('concurrency'),
  bakeSeconds: integer('bake_seconds').notNull(),
  maxFailures: text('max_failures').notNull(),
  maxTotalFailures: text('max_total_failures').notNull(),
  reboot: text('reboot').$type<RebootPolicy>().notNull(),
  autoRollback: boolean('auto_rollback').notNull(),
  window: text('window'),
  skipped: jsonb('skipped').$type<{ host: string; reason: string }[]>().notNull(),
  environments: jsonb('environments').$type<string[]>().notNull(),
  approvalsRequired: integer('approvals_required').notNull(),
  approvers: text('approvers').notNull(),
  status: text('status').$type<PlanStatus>().notNull().default('pending'),
  scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
});

export const planHosts = pgTable(
  'plan_hosts',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id),
    wave: integer('wave').notNull(),
    packages: jsonb('packages').$type<PinnedPackage[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.hostId] })],
);

/** One row per click that counted; the unique index makes a double click or a retried request a no-op. */
export const planDecisions = pgTable(
  'plan_decisions',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    actor: text('actor').notNull(),
    decision: text('decision').$type<'approve' | 'deny'>().notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('plan_decisions_actor_idx').on(t.planId, t.actor, t.decision)],
);

export const rollouts = pgTable('rollouts', {
  id: serial('id').primaryKey(),
  planId: integer('plan_id')
    .notNull()
    .unique()
    .references(() => plans.id),
  status: text('status').$type<RolloutStatus>().notNull(),
  /** 1-based; 0 before the first wave starts. */
  currentWave: integer('current_wave').notNull().default(0),
  bakeUntil: timestamp('bake_until', { withTimezone: true }),
  statusReason: text('status_reason'),
  /** Emergency override: the maintenance window is ignored (audited with its reason). */
  override: boolean('override').notNull().default(false),
  /** Failed hosts an operator resumed past: they no longer count against the failure budgets. */
  acknowledgedFailures: jsonb('acknowledged_failures').$type<number[]>().notNull().default([]),
  createdAt: createdAt(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/**
 * A host in a rollout. `leaseUntil` is the claim of the worker patching it, renewed while it works: a
 * host is only ever worked on under a live lease, so a killed worker's host waits for the lease to lapse
 * and is then taken up again, never twice at once.
 */
export const rolloutHosts = pgTable(
  'rollout_hosts',
  {
    rolloutId: integer('rollout_id')
      .notNull()
      .references(() => rollouts.id, { onDelete: 'cascade' }),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id),
    wave: integer('wave').notNull(),
    status: text('status').$type<RolloutHostStatus>().notNull().default('pending'),
    phase: text('phase').$type<HostPhase>(),
    attempts: integer('attempts').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** The versions before anything changed, recorded once, before the first install: rollback's target. */
    before: jsonb('before').$type<{ name: string; arch: string; version: string | null }[]>(),
    rebooted: boolean('rebooted').notNull().default(false),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    failedCheck: text('failed_check'),
    rollback: text('rollback').$type<RollbackStatus>(),
    rollbackError: text('rollback_error'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.rolloutId, t.hostId] }),
    index('rollout_hosts_status_idx').on(t.rolloutId, t.status),
  ],
);
