import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { FeedHandlers, FeedKind, FeedSummary } from '../engine/advisories/feeds/index.js';
import type { EpssScore, KevEntry, NormalizedAdvisory } from '../engine/advisories/types.js';
import { audit } from './audit.js';
import type { Db } from './client.js';
import { advisories, advisoryAffected, epssScores, feedImports, kevEntries } from './schema/index.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface ImportCounts {
  records: number;
  added: number;
  updated: number;
  removed: number;
  skipped: number;
  /** New KEV CVEs, for alerts. */
  newKev?: string[];
}

const batchSize = 1000;

async function upsertAdvisoryBatch(tx: Tx, batch: NormalizedAdvisory[], counts: ImportCounts): Promise<void> {
  const known = new Map(
    (
      await tx
        .select({ id: advisories.id, modified: advisories.modified })
        .from(advisories)
        .where(
          inArray(
            advisories.id,
            batch.map((a) => a.id),
          ),
        )
    ).map((r) => [r.id, r.modified.getTime()]),
  );
  // Within one input the same id may appear twice (several files): the last one wins, as in a re-import.
  const changed = [
    ...new Map(batch.filter((a) => known.get(a.id) !== a.modified.getTime()).map((a) => [a.id, a])).values(),
  ];
  counts.added += changed.filter((a) => !known.has(a.id)).length;
  counts.updated += changed.filter((a) => known.has(a.id)).length;
  if (changed.length === 0) return;
  const rows = changed.map((a) => ({
    id: a.id,
    source: a.source,
    summary: a.summary,
    aliases: a.aliases,
    cves: a.cves,
    severity: a.severity,
    published: a.published?.toISOString() ?? null,
    modified: a.modified.toISOString(),
    withdrawn: a.withdrawn?.toISOString() ?? null,
  }));
  await tx.execute(sql`
    INSERT INTO ${advisories} (id, source, summary, aliases, cves, severity, published, modified, withdrawn, imported_at)
    SELECT id, source, summary, aliases, cves, severity, published::timestamptz, modified::timestamptz,
      withdrawn::timestamptz, now()
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS a(id text, source text, summary text, aliases jsonb,
      cves jsonb, severity jsonb, published text, modified text, withdrawn text)
    ON CONFLICT (id) DO UPDATE SET source = excluded.source, summary = excluded.summary, aliases = excluded.aliases,
      cves = excluded.cves, severity = excluded.severity, published = excluded.published,
      modified = excluded.modified, withdrawn = excluded.withdrawn, imported_at = excluded.imported_at`);
  await tx.delete(advisoryAffected).where(
    inArray(
      advisoryAffected.advisoryId,
      changed.map((a) => a.id),
    ),
  );
  const affected = [
    ...new Map(
      changed.flatMap((a) =>
        a.affected.map(
          (p) => [`${a.id}\u0000${p.ecosystem}\u0000${p.package}`, { advisoryId: a.id, ...p }] as const,
        ),
      ),
    ).values(),
  ];
  if (affected.length > 0) {
    await tx.execute(sql`
      INSERT INTO ${advisoryAffected} (advisory_id, ecosystem, package, ranges, versions)
      SELECT "advisoryId", ecosystem, package, ranges, versions
      FROM json_to_recordset(${JSON.stringify(affected)}::json)
        AS p("advisoryId" text, ecosystem text, package text, ranges jsonb, versions jsonb)`);
  }
}

type FeedName = 'osv' | 'kev' | 'epss' | 'unknown';

async function recordImport(
  db: Db | Tx,
  feed: FeedName,
  source: string,
  startedAt: Date,
  result: { counts: ImportCounts } | { error: string },
  actor: string,
): Promise<void> {
  const counts = 'counts' in result ? result.counts : undefined;
  await db.insert(feedImports).values({
    feed,
    source,
    status: counts ? 'ok' : 'failed',
    records: counts?.records ?? 0,
    added: counts?.added ?? 0,
    updated: counts?.updated ?? 0,
    removed: counts?.removed ?? 0,
    skipped: counts?.skipped ?? 0,
    error: 'error' in result ? result.error : null,
    details: counts?.newKev ? { newKev: counts.newKev.slice(0, 100) } : {},
    startedAt,
  });
  await audit(db, {
    actor,
    action: counts ? 'advisories.imported' : 'advisories.import-failed',
    subject: feed,
    details: { source, ...(counts ?? { error: 'error' in result ? result.error : '' }) },
  });
}

/**
 * One feed import in one transaction. `read` parses the source and hands batches to the handlers, which
 * write through the transaction; it resolves only when the whole input was read and valid, and only then
 * does the transaction commit. A truncated zip or a bad record leaves the previous data as it was. The
 * attempt is recorded (and audited) either way.
 */
export async function importFeed(
  db: Db,
  source: string,
  actor: string,
  read: (handlers: FeedHandlers) => Promise<FeedSummary>,
  /** What the source looked like before reading, so that even a failure is filed under its feed. */
  expected?: FeedKind,
): Promise<{ summary: FeedSummary; counts: ImportCounts }> {
  const startedAt = new Date();
  let feed: FeedName = expected ?? 'unknown';
  try {
    return await db.transaction(async (tx) => {
      const counts: ImportCounts = { records: 0, added: 0, updated: 0, removed: 0, skipped: 0 };
      const kev: KevEntry[] = [];
      const epss = { before: -1 };
      const summary = await read({
        osv: (batch) => upsertAdvisoryBatch(tx, batch, counts),
        kev: (batch) => {
          kev.push(...batch);
        },
        epss: async (batch) => {
          if (epss.before < 0) {
            epss.before = await tx.$count(epssScores);
            await tx.delete(epssScores);
          }
          await insertEpss(tx, batch);
        },
      });
      feed = summary.feed;
      if (summary.feed === 'osv') {
        if (summary.advisories === 0)
          throw new Error(
            `no record for an ecosystem patchops scans (${describeSkipped(summary.skippedEcosystems)})`,
          );
        counts.records = summary.records;
        counts.skipped = summary.skipped.unsupportedEcosystem + summary.skipped.noAffectedPackages;
      } else if (summary.feed === 'kev') {
        await replaceKev(tx, kev, counts);
      } else {
        counts.records = summary.rows;
        const before = Math.max(0, epss.before);
        counts.updated = Math.min(before, summary.rows);
        counts.added = Math.max(0, summary.rows - before);
        counts.removed = Math.max(0, before - summary.rows);
      }
      await recordImport(tx, feed, source, startedAt, { counts }, actor);
      return { summary, counts };
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordImport(db, feed, source, startedAt, { error: message }, actor);
    throw error;
  }
}

/** The KEV catalog is published whole: replace it, and say which CVEs are new. */
async function replaceKev(tx: Tx, entries: KevEntry[], counts: ImportCounts): Promise<void> {
  const before = new Set((await tx.select({ cve: kevEntries.cve }).from(kevEntries)).map((r) => r.cve));
  const incoming = new Map(entries.map((e) => [e.cve, e]));
  counts.records = entries.length;
  counts.newKev = [...incoming.keys()].filter((cve) => !before.has(cve));
  counts.added = counts.newKev.length;
  counts.removed = [...before].filter((cve) => !incoming.has(cve)).length;
  counts.updated = incoming.size - counts.added;
  await tx.delete(kevEntries);
  const rows = [...incoming.values()];
  for (let i = 0; i < rows.length; i += batchSize)
    await tx.insert(kevEntries).values(rows.slice(i, i + batchSize));
}

/** EPSS is published whole, daily (about 250,000 rows): the first batch empties the table. */
async function insertEpss(tx: Tx, batch: EpssScore[]): Promise<void> {
  await tx.execute(sql`
    INSERT INTO ${epssScores} (cve, probability, percentile)
    SELECT cve, probability, percentile FROM json_to_recordset(${JSON.stringify(batch)}::json)
      AS e(cve text, probability real, percentile real)
    ON CONFLICT (cve) DO UPDATE SET probability = excluded.probability, percentile = excluded.percentile`);
}

/** Latest successful and latest failed import per feed, for `/patch advisories`. */
export async function feedStatus(db: Db) {
  const rows = await db.select().from(feedImports).orderBy(desc(feedImports.finishedAt)).limit(200);
  const totals = {
    osv: await db.$count(advisories),
    kev: await db.$count(kevEntries),
    epss: await db.$count(epssScores),
  };
  return (['osv', 'kev', 'epss'] as const).map((feed) => ({
    feed,
    records: totals[feed],
    lastOk: rows.find((r) => r.feed === feed && r.status === 'ok'),
    lastFailure: rows.find((r) => r.feed === feed && r.status === 'failed'),
  }));
}

export async function advisoryById(db: Db, id: string) {
  const [row] = await db.select().from(advisories).where(eq(advisories.id, id));
  return row;
}

function describeSkipped(ecosystems: Record<string, number>): string {
  const found = Object.entries(ecosystems).map(([name, count]) => `${name} ×${count}`);
  return found.length > 0 ? `found: ${found.slice(0, 5).join(', ')}` : 'no affected packages';
}
