import type { AffectedPackage, NormalizedAdvisory } from '../../types.js';
import { FeedError, type FeedLocation, fieldPath } from '../errors.js';
import { parseOsvEcosystem } from './ecosystems.js';
import { collectCves, orderAliases } from './identifiers.js';
import { convertEvents } from './ranges.js';
import { type OsvAffected, type OsvRecord, osvRecordSchema } from './schema.js';
import { extractSeverity, packageSeverity } from './severity.js';

export type OsvRecordResult =
  | { kind: 'advisory'; advisory: NormalizedAdvisory; skippedEcosystems: string[]; warnings: string[] }
  | {
      kind: 'skipped';
      id: string;
      reason: 'unsupported-ecosystem' | 'no-affected-packages';
      skippedEcosystems: string[];
      warnings: string[];
    };

const summaryLength = 200;

/**
 * One OSV record (a parsed JSON value) as a NormalizedAdvisory, or the reason it is skipped. Throws a
 * FeedError naming the record and the field when the record does not follow the OSV schema.
 */
export function normalizeOsvRecord(json: unknown, location: FeedLocation): OsvRecordResult {
  const record = validate(json, location);
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(`${record.id}: ${message}`);
  const kept: OsvAffected[] = [];
  const skippedEcosystems: string[] = [];
  for (const entry of record.affected) {
    if (parseOsvEcosystem(entry.package.ecosystem)) kept.push(entry);
    else skippedEcosystems.push(entry.package.ecosystem);
  }
  if (kept.length === 0) {
    const reason = record.affected.length === 0 ? 'no-affected-packages' : 'unsupported-ecosystem';
    return { kind: 'skipped', id: record.id, reason, skippedEcosystems, warnings };
  }
  const advisory: NormalizedAdvisory = {
    id: record.id,
    aliases: orderAliases(record.id, record.aliases),
    cves: collectCves(record.id, record.aliases, record.upstream, record.related),
    summary: summarize(record),
    published: record.published ? new Date(record.published) : null,
    modified: new Date(record.modified),
    withdrawn: record.withdrawn ? new Date(record.withdrawn) : null,
    severity: extractSeverity(record, kept, warn),
    affected: kept.map((entry) => affectedPackage(entry, warn)),
    source: 'osv',
  };
  return { kind: 'advisory', advisory, skippedEcosystems, warnings };
}

function validate(json: unknown, location: FeedLocation): OsvRecord {
  const parsed = osvRecordSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const id = recordId(json);
  throw new FeedError(
    `not an OSV record: ${issue?.message ?? 'invalid'}`,
    { ...location, ...(id ? { record: id } : {}), field: fieldPath(issue?.path ?? []) },
    { cause: parsed.error },
  );
}

function recordId(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('id' in json)) return undefined;
  return typeof json.id === 'string' ? json.id : undefined;
}

function affectedPackage(entry: OsvAffected, warn: (message: string) => void): AffectedPackage {
  const ranges = entry.ranges
    .filter((range) => range.type === 'ECOSYSTEM')
    .flatMap((range) => {
      const converted = convertEvents(range.events);
      for (const ignored of converted.ignored) warn(`${entry.package.name}: ignored event ${ignored}`);
      return converted.ranges;
    });
  const severity = packageSeverity(entry);
  return {
    ecosystem: entry.package.ecosystem,
    package: entry.package.name,
    ranges,
    versions: entry.versions,
    ...(severity ? { distributionSeverity: severity } : {}),
  };
}

/** The summary, or for records that only have details (Ubuntu CVE records) their first line. */
function summarize(record: OsvRecord): string {
  const summary = record.summary?.trim();
  if (summary) return summary;
  const firstLine = record.details?.trim().split('\n', 1)[0]?.trim() ?? '';
  return firstLine.length > summaryLength ? `${firstLine.slice(0, summaryLength - 1)}…` : firstLine;
}
