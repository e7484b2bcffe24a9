import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { AdvisorySeverity, AffectedRange } from '../../engine/advisories/types.js';

export const advisories = pgTable('advisories', {
  id: text('id').primaryKey(),
  source: text('source').notNull(),
  summary: text('summary').notNull(),
  aliases: jsonb('aliases').$type<string[]>().notNull(),
  cves: jsonb('cves').$type<string[]>().notNull(),
  severity: jsonb('severity').$type<AdvisorySeverity>().notNull(),
  published: timestamp('published', { withTimezone: true }),
  modified: timestamp('modified', { withTimezone: true }).notNull(),
  withdrawn: timestamp('withdrawn', { withTimezone: true }),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One affected package of an advisory in one ecosystem; matching reads these by (ecosystem, package). */
export const advisoryAffected = pgTable(
  'advisory_affected',
  {
    advisoryId: text('advisory_id')
      .notNull()
      .references(() => advisories.id, { onDelete: 'cascade' }),
    ecosystem: text('ecosystem').notNull(),
    package: text('package').notNull(),
    ranges: jsonb('ranges').$type<AffectedRange[]>().notNull(),
    versions: jsonb('versions').$type<string[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.advisoryId, t.ecosystem, t.package] }),
    index('advisory_affected_lookup_idx').on(t.ecosystem, t.package),
  ],
);

export const kevEntries = pgTable('kev_entries', {
  cve: text('cve').primaryKey(),
  vendor: text('vendor').notNull(),
  product: text('product').notNull(),
  name: text('name').notNull(),
  dateAdded: date('date_added').notNull(),
  dueDate: date('due_date').notNull(),
  knownRansomware: boolean('known_ransomware').notNull(),
  requiredAction: text('required_action').notNull(),
});

export const epssScores = pgTable('epss_scores', {
  cve: text('cve').primaryKey(),
  probability: real('probability').notNull(),
  percentile: real('percentile').notNull(),
});

/** Every import attempt, successful or not: freshness for `/patch advisories`, and what changed. */
export const feedImports = pgTable('feed_imports', {
  id: serial('id').primaryKey(),
  /** 'unknown' when the source failed before its kind was known. */
  feed: text('feed').$type<'osv' | 'kev' | 'epss' | 'unknown'>().notNull(),
  source: text('source').notNull(),
  status: text('status').$type<'ok' | 'failed'>().notNull(),
  records: integer('records').notNull().default(0),
  added: integer('added').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  removed: integer('removed').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  error: text('error'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});
