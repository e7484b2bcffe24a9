import { type ImportCounts, importFeed } from '../../db/advisories.js';
import type { Db } from '../../db/client.js';
import type { EngineEvent } from '../events/index.js';
import { findingAlerts } from '../findings/alerts.js';
import type { RefreshResult } from '../findings/refresh.js';
import { refreshAllFindings } from '../findings/refresh-all.js';
import type { Policy } from '../prioritize/index.js';
import { type FeedSummary, guessFeed, type ReadFeedOptions, readFeed } from './feeds/index.js';

export interface AdvisoryImport {
  summary: FeedSummary;
  counts: ImportCounts;
  findings: { hosts: number; open: number; opened: number; closed: number };
  alerts: Extract<EngineEvent, { type: 'alert' }>[];
}

function findingTotals(results: RefreshResult[]) {
  return {
    hosts: results.length,
    open: results.reduce((n, r) => n + r.current.length, 0),
    opened: results.reduce((n, r) => n + r.opened.length, 0),
    closed: results.reduce((n, r) => n + r.closed, 0),
  };
}

/**
 * Import one source (file, directory or URL of an OSV, KEV or EPSS feed) all or nothing, then re-match the
 * fleet and say what deserves an alert. The caller publishes the alerts.
 */
export async function importAdvisories(
  db: Db,
  source: string,
  actor: string,
  policy: Policy,
  options: ReadFeedOptions = {},
): Promise<AdvisoryImport> {
  const { summary, counts } = await importFeed(
    db,
    source,
    actor,
    (handlers) => readFeed(source, handlers, options),
    options.feed ?? (await guessFeed(source)),
  );
  const results = await refreshAllFindings(db, policy);
  return { summary, counts, findings: findingTotals(results), alerts: findingAlerts(results, counts.newKev) };
}
