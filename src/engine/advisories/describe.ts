import type { AdvisoryImport } from './import.js';

/** One line for people about an import: what came in, what changed, what it means for the fleet. */
export function describeImport(source: string, result: AdvisoryImport): string {
  const { summary, counts, findings, alerts } = result;
  const feed = summary.feed.toUpperCase();
  const changed = `${counts.added} added, ${counts.updated} updated, ${counts.removed} removed`;
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped (ecosystems we do not scan)` : '';
  const fleet = `findings: ${findings.open} open on ${findings.hosts} hosts (${findings.opened} new, ${findings.closed} closed)`;
  const paged = alerts.length > 0 ? `; ${alerts.length} alert(s) sent` : '';
  return `${feed} ${source}: ${counts.records} records, ${changed}${skipped}; ${fleet}${paged}`;
}
