import {
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { PrioritizationScores, Reason, SsvcPath } from '../../engine/prioritize/types.js';
import { createdAt } from './columns.js';
import { hosts } from './hosts.js';

/** A reason as stored: the weight only orders them, and they are stored in order. */
export type StoredReason = Pick<Reason, 'code' | 'text'>;

/**
 * One vulnerability (a CVE, or the advisory id when it names none) in one package on one host. Opened by a
 * scan that matches, closed by the first later scan that does not; reopened if it comes back.
 */
export const findings = pgTable(
  'findings',
  {
    id: serial('id').primaryKey(),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    /** The name the advisory uses: the source package on Debian and Ubuntu. */
    package: text('package').notNull(),
    /** Installed binary packages built from it, the ones a plan will upgrade. */
    binaryPackages: jsonb('binary_packages').$type<string[]>().notNull(),
    vulnerability: text('vulnerability').notNull(),
    installedVersion: text('installed_version').notNull(),
    fixedVersion: text('fixed_version'),
    cves: jsonb('cves').$type<string[]>().notNull(),
    advisories: jsonb('advisories').$type<string[]>().notNull(),
    status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
    priority: text('priority').$type<'P1' | 'P2' | 'P3' | 'P4'>().notNull(),
    decision: text('decision').notNull(),
    dueDate: date('due_date').notNull(),
    reasons: jsonb('reasons').$type<StoredReason[]>().notNull(),
    /** CVSS, EPSS and KEV figures the priority was computed from, and the SSVC decision path. */
    scores: jsonb('scores').$type<PrioritizationScores>().notNull(),
    ssvc: jsonb('ssvc').$type<SsvcPath>().notNull(),
    summary: text('summary').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('findings_identity_idx').on(t.hostId, t.package, t.vulnerability),
    index('findings_open_idx').on(t.status, t.priority),
    index('findings_vulnerability_idx').on(t.vulnerability),
  ],
);

/** An accepted risk: a CVE on some hosts, until a date, for a reason; it needs an approver. */
export const riskAcceptances = pgTable('risk_acceptances', {
  id: serial('id').primaryKey(),
  cve: text('cve').notNull(),
  selector: text('selector').notNull(),
  hostIds: jsonb('host_ids').$type<number[]>().notNull(),
  until: date('until').notNull(),
  reason: text('reason').notNull(),
  requestedBy: text('requested_by').notNull(),
  status: text('status').$type<'pending' | 'approved' | 'denied'>().notNull().default('pending'),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  denyReason: text('deny_reason'),
  createdAt: createdAt(),
});
