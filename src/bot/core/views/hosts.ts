import type { Block, HostSummary, View } from '../views.js';
import { byName, NONE, plural, rebootCell, table, timeCell, updatesCell } from './format.js';

function addressCell(host: HostSummary): string {
  return host.port === 22 ? host.address : `${host.address}:${host.port}`;
}

function lastScanCell(host: HostSummary): string {
  if (host.lastScanAt === null) return host.lastScanError === null ? 'never' : 'failed';
  return host.lastScanError === null ? timeCell(host.lastScanAt) : `${timeCell(host.lastScanAt)} (failed)`;
}

/** "12 hosts: 9 scanned, 87 updates (23 security), 2 need a reboot, 3 never scanned, 1 failed last scan" */
export function hostsSummaryLine(hosts: readonly HostSummary[]): string {
  const scanned = hosts.filter((h) => h.updates !== null);
  const updates = scanned.reduce((sum, h) => sum + (h.updates ?? 0), 0);
  const security = scanned.reduce((sum, h) => sum + (h.securityUpdates ?? 0), 0);
  const reboots = hosts.filter((h) => h.rebootRequired === true).length;
  const never = hosts.filter((h) => h.lastScanAt === null && h.lastScanError === null).length;
  const failed = hosts.filter((h) => h.lastScanError !== null).length;
  const parts = [`${scanned.length} scanned`, `${plural(updates, 'update')} (${security} security)`];
  if (reboots > 0) parts.push(`${reboots} ${reboots === 1 ? 'needs' : 'need'} a reboot`);
  if (never > 0) parts.push(`${never} never scanned`);
  if (failed > 0) parts.push(`${failed} failed ${failed === 1 ? 'its' : 'their'} last scan`);
  return `${plural(hosts.length, 'host')}: ${parts.join(', ')}`;
}

/** The hosts a selector picks, with what the last scan found. */
export function hostsView(selector: string, hosts: readonly HostSummary[]): View {
  const sorted = [...hosts].sort(byName);
  const rows = sorted.map((host) => [
    host.name,
    addressCell(host),
    host.os ?? NONE,
    updatesCell(host.updates, host.securityUpdates),
    rebootCell(host.rebootRequired),
    lastScanCell(host),
  ]);
  const blocks: Block[] =
    sorted.length === 0
      ? [{ type: 'text', text: `No host matches '${selector}'.` }]
      : [
          { type: 'text', text: hostsSummaryLine(sorted) },
          table(['host', 'address', 'os', 'updates (security)', 'reboot', 'last scan'], rows),
          {
            type: 'actions',
            buttons: [{ label: 'Scan these', command: `scan ${selector}`, style: 'primary' }],
          },
        ];
  return {
    kind: 'hosts',
    selector,
    hosts: sorted,
    title: `Hosts · ${selector}`,
    tone: sorted.some((h) => h.lastScanError !== null) ? 'warning' : 'info',
    blocks,
  };
}
