import type { NormalizedAdvisory } from '../../types.js';
import { FeedError, type FeedLocation } from '../errors.js';
import type { OsvSummary } from '../types.js';
import { WarningLog } from '../warnings.js';
import { normalizeOsvRecord } from './normalize.js';

/** Counts what an OSV import saw, for the summary handed back at the end. */
export class OsvTally {
  documents = 0;
  records = 0;
  advisories = 0;
  withdrawn = 0;
  ignoredFiles = 0;
  readonly skipped = { unsupportedEcosystem: 0, noAffectedPackages: 0 };
  readonly skippedEcosystems: Record<string, number> = {};
  readonly warnings = new WarningLog();

  /**
   * The advisories of one JSON document: a single record (an OSV file, a zip entry) or a list of records.
   * Unsupported records are counted here and not returned.
   */
  advisoriesOf(document: unknown, location: FeedLocation): NormalizedAdvisory[] {
    this.documents++;
    if (!Array.isArray(document)) return this.accept(document, location);
    return document.flatMap((record, index) =>
      this.accept(record, { ...location, entry: `${location.entry ?? ''}[${index}]` }),
    );
  }

  summary(source: string): OsvSummary {
    return {
      feed: 'osv',
      source,
      documents: this.documents,
      records: this.records,
      advisories: this.advisories,
      withdrawn: this.withdrawn,
      skipped: { ...this.skipped },
      skippedEcosystems: { ...this.skippedEcosystems },
      ignoredFiles: this.ignoredFiles,
      warnings: this.warnings.list(),
    };
  }

  private accept(record: unknown, location: FeedLocation): NormalizedAdvisory[] {
    if (typeof record !== 'object' || record === null || Array.isArray(record))
      throw new FeedError('not an OSV record: expected a JSON object', location);
    this.records++;
    const result = normalizeOsvRecord(record, location);
    for (const warning of result.warnings) this.warnings.add(warning);
    for (const ecosystem of result.skippedEcosystems)
      this.skippedEcosystems[ecosystem] = (this.skippedEcosystems[ecosystem] ?? 0) + 1;
    if (result.kind === 'skipped') {
      if (result.reason === 'unsupported-ecosystem') this.skipped.unsupportedEcosystem++;
      else this.skipped.noAffectedPackages++;
      return [];
    }
    this.advisories++;
    if (result.advisory.withdrawn) this.withdrawn++;
    return [result.advisory];
  }
}
