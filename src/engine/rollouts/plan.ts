import { selectUpdates } from './select-updates.js';
import type { PlanFilters, PlanInput, PlannedHost, PlanResult, SkippedHost } from './types.js';
import { waveSizes } from './waves.js';

/** web-2 before web-10, the same on every machine whatever its locale. */
export function compareHostNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Which packages go to which host in which wave. Refuses outright when any host's scan is missing or too
 * old: a plan pins exact versions, and pinning from stale data installs yesterday's idea of "latest".
 */
export function computePlan(input: PlanInput): PlanResult {
  const oldestAllowed = input.now.getTime() - input.maxScanAgeSeconds * 1000;
  const stale = input.hosts
    .filter((host) => host.lastScanAt === null || host.lastScanAt.getTime() < oldestAllowed)
    .sort((a, b) => compareHostNames(a.name, b.name))
    .map((host) => ({ name: host.name, lastScanAt: host.lastScanAt }));
  if (stale.length > 0) return { ok: false, code: 'stale_scan', stale };

  const skipped: SkippedHost[] = [];
  const selected: Omit<PlannedHost, 'wave'>[] = [];
  let scannedAt = Number.POSITIVE_INFINITY;
  for (const host of [...input.hosts].sort((a, b) => compareHostNames(a.name, b.name))) {
    const packages = selectUpdates(host, input.filters);
    if (packages.length === 0) {
      const reason = host.updates.length === 0 ? 'nothing to update' : 'no update matches the filters';
      skipped.push({ name: host.name, reason });
      continue;
    }
    selected.push({ hostId: host.id, name: host.name, packages });
    scannedAt = Math.min(scannedAt, host.lastScanAt?.getTime() ?? scannedAt);
  }
  if (selected.length === 0) return { ok: false, code: 'nothing_to_patch', skipped };

  const sizes = waveSizes(input.waves, selected.length);
  const waveOf = sizes.flatMap((size, index) => Array<number>(size).fill(index + 1));
  const hosts = selected.map((host, index) => ({ ...host, wave: waveOf[index] ?? sizes.length }));
  return { ok: true, hosts, skipped, waveSizes: sizes, scannedAt: new Date(scannedAt) };
}

/** The plan's scope in words, for the approval card: "security updates; packages openssl, curl". */
export function describeScope(filters: PlanFilters): string {
  const parts: string[] = [];
  if (filters.security) parts.push('security updates');
  if (filters.priority) parts.push(`updates for ${filters.priority} or more urgent findings`);
  if (filters.cves) parts.push(`updates for ${listOrNone(filters.cves, 'no CVE')}`);
  if (filters.packages) parts.push(`packages ${listOrNone(filters.packages, '(none)')}`);
  return parts.length === 0 ? 'every available update' : parts.join('; ');
}

function listOrNone(items: string[], none: string): string {
  return items.length === 0 ? none : items.join(', ');
}
