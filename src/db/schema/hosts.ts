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
