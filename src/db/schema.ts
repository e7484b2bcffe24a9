import { sql } from 'drizzle-orm';
import {
  bigserial,
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

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const hosts = pgTable('hosts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  address: text('address').notNull(),
  port: integer('port').notNull().default(22),
  user: text('user'),
  keyFile: text('key_file'),
  become: boolean('become').notNull().default(false),
  bastion: text('bastion'),
  zone: text('zone'),
  vars: jsonb('vars').$type<Record<string, unknown>>().notNull().default({}),
  /** 'inventory' hosts follow the inventory file; a host gone from it is retired, not deleted (history). */
  source: text('source').$type<'inventory' | 'chat'>().notNull().default('inventory'),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  osId: text('os_id'),
  osVersion: text('os_version'),
  osPretty: text('os_pretty'),
  packageManager: text('package_manager'),
  lastScanId: integer('last_scan_id'),
  lastScanAt: timestamp('last_scan_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export const hostGroups = pgTable(
  'host_groups',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.name] }), index('host_groups_name_idx').on(t.name)],
);

export const hostTags = pgTable(
  'host_tags',
  {
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.key] })],
);

export const hostKeys = pgTable(
  'host_keys',
  {
    id: serial('id').primaryKey(),
    hostId: integer('host_id')
      .notNull()
      .references(() => hosts.id, { onDelete: 'cascade' }),
    keyType: text('key_type').notNull(),
    keyBase64: text('key_base64').notNull(),
    source: text('source').$type<'known_hosts' | 'first-seen'>().notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('host_keys_host_key_idx').on(t.hostId, t.keyType, t.keyBase64)],
);

export const scanRuns = pgTable('scan_runs', {
  id: serial('id').primaryKey(),
  selector: text('selector').notNull(),
  requestedBy: text('requested_by').notNull(),
  refresh: text('refresh').$type<'auto' | 'always' | 'never'>().notNull(),
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

/** Append-only: a trigger (see the migration) refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_subject_idx').on(t.subject)],
);
