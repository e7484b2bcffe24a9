import { daysBetween } from '../../../engine/prioritize/dates.js';
import type { CvssScore } from '../../../engine/prioritize/types.js';
import { NONE } from './format.js';

/** "overdue 3d", "today", "in 2d": what a due date means on the day the view is about. */
export function dueCell(dueDate: string, asOf: string): string {
  const days = daysBetween(asOf, dueDate);
  if (!Number.isFinite(days)) return dueDate;
  if (days < 0) return `overdue ${-days}d`;
  return days === 0 ? 'today' : `in ${days}d`;
}

/** "CVE-2024-1, CVE-2024-2 +3": the first two, then how many more. */
export function cvesCell(cves: readonly string[]): string {
  if (cves.length === 0) return NONE;
  const more = cves.length > 2 ? ` +${cves.length - 2}` : '';
  return `${cves.slice(0, 2).join(', ')}${more}`;
}

/** "3.0.11-1 → 3.0.13-1", or "3.0.11-1 → no fix yet". */
export function versionsCell(installed: string, fixed: string | null): string {
  return `${installed} → ${fixed ?? 'no fix yet'}`;
}

/** "9.8 critical · CVSS:3.1/AV:N/…" */
export function cvssCell(cvss: CvssScore | undefined | null): string {
  return cvss ? `${cvss.score.toFixed(1)} ${cvss.severity} · ${cvss.vector}` : NONE;
}

/** "45m", "5h", "2d 4h": how long ago, in the largest units that matter. */
export function ageCell(hours: number | null): string {
  if (hours === null) return 'never';
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))}m`;
  if (hours < 48) return `${Math.floor(hours)}h`;
  const days = Math.floor(hours / 24);
  const rest = Math.floor(hours - days * 24);
  return rest === 0 ? `${days}d` : `${days}d ${rest}h`;
}

/** "+12 added, 3 updated, 1 removed", "no change", or a dash when never imported. */
export function changeCell(change: { added: number; updated: number; removed: number } | null): string {
  if (change === null) return NONE;
  const parts = [
    ...(change.added > 0 ? [`${change.added.toLocaleString('en-US')} added`] : []),
    ...(change.updated > 0 ? [`${change.updated.toLocaleString('en-US')} updated`] : []),
    ...(change.removed > 0 ? [`${change.removed.toLocaleString('en-US')} removed`] : []),
  ];
  return parts.length === 0 ? 'no change' : parts.join(', ');
}
