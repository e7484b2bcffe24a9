import type { Block, HostScanSummary, ScanRunSummary, Tone, View } from '../views.js';
import { byName, clip, NONE, plural, rebootCell, table, timeCell, updatesCell } from './format.js';

const FINISHED = new Set(['done', 'failed']);
/** A retry button holds the failed hosts as a selector, which a typed argument caps at 256 characters. */
const MAX_RETRY_SELECTOR = 256;

function tone(run: ScanRunSummary): Tone {
  if (run.status === 'failed') return 'error';
  if (run.status !== 'done') return 'info';
  if (run.failed === 0) return 'success';
  return run.succeeded === 0 ? 'error' : 'warning';
}

function noteCell(host: HostScanSummary): string {
  if (host.error) return clip(`${host.error.code}: ${host.error.message}`);
  return host.warnings.length > 0 ? clip(host.warnings.join('; ')) : '';
}

/** Failures first (they need someone), then by name. */
function failuresFirst(a: HostScanSummary, b: HostScanSummary): number {
  const rank = (h: HostScanSummary) => (h.status === 'failed' ? 0 : 1);
  return rank(a) - rank(b) || byName({ name: a.host }, { name: b.host });
}

/** "20 hosts: 18 ok, 2 failed; 143 updates (37 security); 3 need a reboot" */
export function scanTotalsLine(run: ScanRunSummary, hosts: readonly HostScanSummary[]): string {
  const ok = hosts.filter((h) => h.status === 'ok');
  const updates = ok.reduce((sum, h) => sum + (h.updates ?? 0), 0);
  const security = ok.reduce((sum, h) => sum + (h.securityUpdates ?? 0), 0);
  const reboots = ok.filter((h) => h.rebootRequired === true).length;
  const pending = run.total - run.succeeded - run.failed;
  const counts = [
    `${run.succeeded} ok`,
    `${run.failed} failed`,
    ...(pending > 0 ? [`${pending} pending`] : []),
  ];
  const reboot = `${reboots} ${reboots === 1 ? 'needs' : 'need'} a reboot`;
  return `${plural(run.total, 'host')}: ${counts.join(', ')}; ${plural(updates, 'update')} (${security} security); ${reboot}`;
}

function retryButton(run: ScanRunSummary, hosts: readonly HostScanSummary[]): Block[] {
  const failed = hosts.filter((h) => h.status === 'failed').map((h) => h.host);
  const selector = failed.join(',');
  if (!FINISHED.has(run.status) || failed.length === 0 || selector.length > MAX_RETRY_SELECTOR) return [];
  return [
    { type: 'actions', buttons: [{ label: 'Retry failed', command: `scan ${selector}`, style: 'primary' }] },
  ];
}

/** A scan run: progress while it runs, then every host with failures first, and the totals. */
export function scanView(run: ScanRunSummary, hosts: readonly HostScanSummary[]): View {
  const finished = hosts.filter((h) => h.status !== 'pending').sort(failuresFirst);
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: 'requested by', value: run.requestedBy },
        { label: 'started', value: timeCell(run.createdAt) },
        ...(run.finishedAt === null ? [] : [{ label: 'finished', value: timeCell(run.finishedAt) }]),
      ],
    },
  ];
  if (!FINISHED.has(run.status)) {
    const done = run.succeeded + run.failed;
    blocks.push({ type: 'progress', label: 'Scanning', done, total: run.total, failed: run.failed });
  }
  if (finished.length > 0) {
    const rows = finished.map((h) => [
      h.host,
      h.status,
      h.os ?? NONE,
      updatesCell(h.updates, h.securityUpdates),
      rebootCell(h.rebootRequired),
      noteCell(h),
    ]);
    blocks.push(table(['host', 'result', 'os', 'updates (security)', 'reboot', 'note'], rows));
  }
  blocks.push({ type: 'text', text: scanTotalsLine(run, hosts) }, ...retryButton(run, hosts));
  return {
    kind: 'scan',
    run,
    hosts: [...hosts],
    title: `Scan ${run.id} · ${run.selector} · ${run.status}`,
    tone: tone(run),
    blocks,
  };
}
