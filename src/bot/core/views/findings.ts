import { PRIORITIES } from '../../../engine/prioritize/types.js';
import { COMMAND_PREFIX } from '../grammar/commands.js';
import type { Block, FindingSummary, FindingsFilters, FindingsTotals, Tone, View } from '../views.js';
import { clip, plural, table } from './format.js';
import { cvesCell, dueCell, versionsCell } from './risk-format.js';

/** An approved acceptance that still holds takes a finding off today's list. */
function acceptedNow(finding: FindingSummary, asOf: string): boolean {
  return finding.accepted?.state === 'approved' && finding.accepted.until >= asOf;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What to do today comes first: accepted risks last, then P1 before P2, then the earliest due date (so
 * overdue findings lead their priority), then host and package for a stable order.
 */
export function findingsOrder(asOf: string) {
  return (a: FindingSummary, b: FindingSummary): number =>
    Number(acceptedNow(a, asOf)) - Number(acceptedNow(b, asOf)) ||
    PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) ||
    compareText(a.dueDate, b.dueDate) ||
    compareText(a.host, b.host) ||
    compareText(a.package, b.package);
}

/** "212 findings: 3 P1 · 12 P2 · 40 P3 · 157 P4 · 5 KEV · 2 overdue · 1 accepted" */
export function findingsTotalsLine(totals: FindingsTotals): string {
  const counts = PRIORITIES.map((p) => `${totals.byPriority[p].toLocaleString('en-US')} ${p}`);
  counts.push(`${totals.kev.toLocaleString('en-US')} KEV`);
  if (totals.overdue > 0) counts.push(`${totals.overdue.toLocaleString('en-US')} overdue`);
  if (totals.accepted > 0) counts.push(`${totals.accepted.toLocaleString('en-US')} accepted`);
  return `${plural(totals.findings, 'finding')}: ${counts.join(' · ')}`;
}

function filtersText(filters: FindingsFilters): string[] {
  return [
    ...(filters.priority && filters.priority.length > 0 ? [filters.priority.join(',')] : []),
    ...(filters.kev ? ['KEV'] : []),
    ...(filters.cve ? [filters.cve] : []),
  ];
}

function dueText(finding: FindingSummary, asOf: string): string {
  return acceptedNow(finding, asOf) ? 'accepted' : dueCell(finding.dueDate, asOf);
}

function whyText(finding: FindingSummary, asOf: string): string {
  const { accepted } = finding;
  let note = '';
  if (accepted && acceptedNow(finding, asOf)) note = `accepted until ${accepted.until} (${accepted.id}) · `;
  else if (accepted?.state === 'pending') note = `acceptance ${accepted.id} pending · `;
  return clip(`${note}${finding.summary}`);
}

function tone(findings: readonly FindingSummary[], asOf: string): Tone {
  const open = findings.filter((f) => !acceptedNow(f, asOf));
  if (findings.length === 0) return 'success';
  if (open.some((f) => f.priority === 'P1' && f.dueDate < asOf)) return 'error';
  if (open.some((f) => f.priority === 'P1' || f.dueDate < asOf)) return 'warning';
  return 'info';
}

/**
 * Findings for a selector, the first screen being what to patch today. `totals` counts everything that
 * matched; `findings` may be fewer (a --limit, or the caller's own cap), and the view says so.
 */
export function findingsView(
  selector: string,
  findings: readonly FindingSummary[],
  totals: FindingsTotals,
  filters: FindingsFilters = {},
): View {
  const { asOf } = totals;
  const sorted = [...findings].sort(findingsOrder(asOf));
  const narrowed = filtersText(filters);
  const title = ['Findings', selector, ...narrowed].join(' · ');
  const data = { kind: 'findings' as const, selector, filters, totals, findings: sorted, title };
  if (sorted.length === 0) {
    const matching = narrowed.length > 0 ? ` matching ${narrowed.join(', ')}` : '';
    const text = `No findings on '${selector}'${matching}.`;
    return { ...data, tone: 'success', blocks: [{ type: 'text', text }] };
  }
  const rows = sorted.map((f) => [
    f.priority,
    dueText(f, asOf),
    f.host,
    f.package,
    versionsCell(f.installedVersion, f.fixedVersion),
    cvesCell(f.cves),
    whyText(f, asOf),
  ]);
  const blocks: Block[] = [
    { type: 'text', text: findingsTotalsLine(totals) },
    table(['P', 'due', 'host', 'package', 'installed → fixed', 'CVEs', 'why'], rows),
  ];
  if (sorted.length < totals.findings) {
    blocks.push({
      type: 'text',
      text: `Showing ${sorted.length.toLocaleString('en-US')} of ${plural(totals.findings, 'finding')}; narrow with --priority, --kev or a selector.`,
      muted: true,
    });
  }
  blocks.push({ type: 'text', text: `One CVE in detail: ${COMMAND_PREFIX} cve <CVE-ID>`, muted: true });
  return { ...data, tone: tone(sorted, asOf), blocks };
}
