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

import { createdAt } from './columns.js';
import { hosts } from './hosts.js';

export const scanRuns = pgTable('scan_runs', {
  id: serial('id').primaryKey(),
  selector: text('selector').notNull(),
  requestedBy: text('requested_by').notNull(),
  refresh: text('refresh').$type<'auto' | 'always' | 'never'>().notNull(),
  /** 'verify': the rescan a rollout makes of a host it patched; kept out of the list of scans. */
  purpose: text('purpose').$type<'scan' | 'verify'>().notNull().default('scan'),
  status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  total: integer('total').notNull(),
  succeeded: integer('succeeded').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

export const hostScans = pgTable(
  'host_scans',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => scanRuns.id, { onDelete: 'cascade' }),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    status: text('status').$type<'pending' | 'ok' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    osPretty: text('os_pretty'),
    packageManager: text('package_manager'),
    installedCount: integer('installed_count'),
    updateCount: integer('update_count'),
    securityCount: integer('security_count'),
    rebootRequired: boolean('reboot_required'),
    refreshed: boolean('refreshed'),
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('host_scans_run_host_idx').on(t.runId, t.hostId),
    index('host_scans_host_idx').on(t.hostId),
  ],
);

/** The packages of each host as its latest successful scan found them (replaced on every scan). */
export const installedPackages = pgTable(
  'installed_packages',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    arch: text('arch').notNull(),
    version: text('version').notNull(),
    sourceName: text('source_name').notNull(),
    sourceVersion: text('source_version').notNull(),
  },
  (t) => [
    // rpm keeps several versions of one package installed side by side (kernels): version is in the key.
    primaryKey({ columns: [t.hostId, t.name, t.arch, t.version] }),
    index('installed_source_idx').on(t.sourceName),
  ],
);

export const availableUpdates = pgTable(
  'available_updates',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    arch: text('arch').notNull(),
    installedVersion: text('installed_version').notNull(),
    version: text('version').notNull(),
    origin: text('origin').notNull(),
    security: boolean('security').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.name, t.arch] })],
);
