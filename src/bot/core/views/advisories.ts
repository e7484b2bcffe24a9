import type { FeedFreshness, FeedKind, FeedStatus, View } from '../views.js';
import { clip, plural, table, timeCell } from './format.js';
import { ageCell, changeCell } from './risk-format.js';

/**
 * Hours after which a feed counts as stale. OSV and EPSS publish daily and KEV on most working days, so
 * two days without a successful import means the import job, not the publisher, has stopped.
 */
export const DEFAULT_STALE_AFTER_HOURS: Readonly<Record<FeedKind, number>> = { osv: 48, kev: 48, epss: 48 };

const HOUR_MS = 3_600_000;

export function feedFreshness(
  feed: FeedStatus,
  now: string,
  staleAfterHours: Readonly<Record<FeedKind, number>>,
): FeedFreshness {
  const imported = feed.lastImportAt === null ? Number.NaN : Date.parse(feed.lastImportAt);
  const ageHours = Number.isNaN(imported) ? null : Math.max(0, (Date.parse(now) - imported) / HOUR_MS);
  const stale = ageHours === null || ageHours > staleAfterHours[feed.kind];
  return { ...feed, ageHours, stale };
}

function statusCell(feed: FeedFreshness, staleAfterHours: Readonly<Record<FeedKind, number>>): string {
  if (feed.lastError !== null) return clip(`failed: ${feed.lastError}`, 80);
  if (feed.ageHours === null) return 'never imported';
  return feed.stale ? `stale (over ${ageCell(staleAfterHours[feed.kind])})` : 'ok';
}

function headline(feeds: readonly FeedFreshness[]): string {
  const stale = feeds.filter((f) => f.stale).length;
  const failed = feeds.filter((f) => f.lastError !== null).length;
  if (stale === 0 && failed === 0) return `${plural(feeds.length, 'feed')}, all fresh`;
  const problems = [...(stale > 0 ? [`${stale} stale`] : []), ...(failed > 0 ? [`${failed} failed`] : [])];
  return `${plural(feeds.length, 'feed')}: ${problems.join(', ')}`;
}

/**
 * Advisory feeds and how fresh they are: a stale feed means findings miss new CVEs, KEV entries or EPSS
 * changes, so the view warns. `now` is an ISO timestamp (the caller's clock).
 */
export function advisoriesView(
  feeds: readonly FeedStatus[],
  now: string,
  staleAfterHours: Readonly<Record<FeedKind, number>> = DEFAULT_STALE_AFTER_HOURS,
): View {
  const rated = [...feeds]
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
    .map((feed) => feedFreshness(feed, now, staleAfterHours));
  const base = { kind: 'advisories' as const, asOf: now, feeds: rated, title: 'Advisory feeds' };
  if (rated.length === 0) {
    return {
      ...base,
      tone: 'warning',
      blocks: [{ type: 'text', text: 'No advisory feed has been imported yet: no finding can be matched.' }],
    };
  }
  const rows = rated.map((feed) => [
    feed.source,
    feed.records.toLocaleString('en-US'),
    timeCell(feed.lastImportAt),
    ageCell(feed.ageHours),
    changeCell(feed.lastChange),
    statusCell(feed, staleAfterHours),
  ]);
  const troubled = rated.some((f) => f.stale || f.lastError !== null);
  return {
    ...base,
    tone: troubled ? 'warning' : 'success',
    blocks: [
      { type: 'text', text: headline(rated) },
      table(['source', 'records', 'last import', 'age', 'last change', 'status'], rows),
    ],
  };
}
