import { COMMAND_PREFIX } from '../grammar/commands.js';
import type { Block, Tone, View } from '../views.js';
import type { PlanHostSummary, PlanStatus, PlanSummary } from '../views-rollout.js';
import { clip, plural, table, timeCell } from './format.js';

export type PlanView = Extract<View, { kind: 'plan' }>;

const TONE: Record<PlanStatus, Tone> = {
  pending: 'warning',
  approved: 'success',
  denied: 'error',
  expired: 'info',
  cancelled: 'info',
};

/** A host with many updates shows a few and a count, so the table shows many hosts rather than one. */
export const MAX_PACKAGES_PER_HOST = 5;
const MAX_LISTED_HOSTS = 10;
const MAX_REASON_LENGTH = 300;

/** `45s`, `15m`, `1h 30m`, `2d 4h`: a span rounded down to its two largest units. */
export function spanText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** `in 3h 20m`, `12m ago`, `now`; empty for a date that does not parse. */
export function relativeText(iso: string, now: Date): string {
  const seconds = (Date.parse(iso) - now.getTime()) / 1000;
  if (!Number.isFinite(seconds)) return '';
  if (Math.abs(seconds) < 60) return 'now';
  return seconds > 0 ? `in ${spanText(seconds)}` : `${spanText(-seconds)} ago`;
}

/** `2026-11-21 18:00 (in 3h 20m)` */
export function timeWithRelative(iso: string, now: Date): string {
  const relative = relativeText(iso, now);
  return relative === '' ? timeCell(iso) : `${timeCell(iso)} (${relative})`;
}

/** Pending past its expiry is expired, whether or not the sweeper got to it yet. */
export function effectivePlanStatus(plan: Pick<PlanSummary, 'status' | 'expiresAt'>, now: Date): PlanStatus {
  return plan.status === 'pending' && Date.parse(plan.expiresAt) <= now.getTime() ? 'expired' : plan.status;
}

function listHosts(names: readonly string[]): string {
  const listed = names.slice(0, MAX_LISTED_HOSTS).join(', ');
  return names.length > MAX_LISTED_HOSTS ? `${listed} +${names.length - MAX_LISTED_HOSTS}` : listed;
}

/** `1,30%,100% → 1 + 3 + 6 hosts`, and how many at a time when capped. */
function wavesText(plan: PlanSummary): string {
  const total = plan.waveSizes.reduce((sum, size) => sum + size, 0);
  const sizes = plan.waveSizes.length > 1 ? `${plan.waveSizes.join(' + ')} hosts` : plural(total, 'host');
  const concurrency = plan.concurrency === null ? '' : `, ${plan.concurrency} at a time`;
  return `${plan.waveSpec} → ${sizes}${concurrency}`;
}

function fields(plan: PlanSummary, status: PlanStatus, now: Date): Block {
  const list = [
    { label: 'requested by', value: `${plan.requestedBy}, ${timeCell(plan.createdAt)}` },
    { label: 'scope', value: plan.scope },
    ...(plan.environments.length > 0 ? [{ label: 'environments', value: plan.environments.join(', ') }] : []),
    { label: 'waves', value: wavesText(plan) },
    { label: 'bake', value: plan.bakeSeconds > 0 ? spanText(plan.bakeSeconds) : 'none' },
    { label: 'failure budget', value: `${plan.maxFailures} per wave, ${plan.maxTotalFailures} in all` },
    { label: 'reboot', value: plan.reboot },
    { label: 'window', value: plan.window ?? 'any time' },
    { label: 'auto-rollback', value: plan.autoRollback ? 'yes' : 'no' },
    { label: 'computed from', value: `a scan of ${timeWithRelative(plan.scannedAt, now)}` },
  ];
  if (status === 'pending') list.push({ label: 'expires', value: timeWithRelative(plan.expiresAt, now) });
  if (status === 'expired') list.push({ label: 'expired', value: timeCell(plan.expiresAt) });
  return { type: 'fields', fields: list };
}

function byWaveAndName(a: PlanHostSummary, b: PlanHostSummary): number {
  return a.wave - b.wave || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
}

/**
 * One row per package, wave and host named only on their first row; a host with many packages shows a
 * few and a count. Capped at MAX_TABLE_ROWS rows, with `more` counting the rest.
 */
function hostsTable(plan: PlanSummary): Block {
  const rows: string[][] = [];
  let wave = 0;
  for (const host of [...plan.hosts].sort(byWaveAndName)) {
    const packages = [...host.packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = packages.map((p) => p.name);
    const shown =
      packages.length > MAX_PACKAGES_PER_HOST ? packages.slice(0, MAX_PACKAGES_PER_HOST - 1) : packages;
    const cells = shown.map((p) => {
      // The same name twice on one host is multi-arch (amd64 and i386): say which is which.
      const name = names.indexOf(p.name) === names.lastIndexOf(p.name) ? p.name : `${p.name}:${p.arch}`;
      return [name, `${p.from} → ${p.to}`];
    });
    if (shown.length < packages.length) cells.push([`+${packages.length - shown.length} more packages`, '']);
    if (cells.length === 0) cells.push(['—', '']);
    cells.forEach((cell, i) => {
      const waveCell = i === 0 && host.wave !== wave ? String(host.wave) : '';
      rows.push([waveCell, i === 0 ? host.host : '', ...cell]);
    });
    wave = host.wave;
  }
  return table(['wave', 'host', 'package', 'version'], rows);
}

function skippedText(plan: PlanSummary): string {
  const byReason = new Map<string, string[]>();
  for (const { host, reason } of plan.skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), host]);
  const parts = [...byReason].map(([reason, hosts]) => `${clip(reason, 80)}: ${listHosts(hosts)}`);
  return `Skipped ${plural(plan.skipped.length, 'host')} (${parts.join('; ')})`;
}

function approvalsText(plan: PlanSummary, status: PlanStatus): string {
  const approvers = [...new Set(plan.decisions.filter((d) => d.decision === 'approve').map((d) => d.actor))];
  const who = approvers.length > 0 ? `: ${approvers.join(', ')}` : '';
  const needs = status === 'pending' ? ` · needs: ${plan.approvers}` : '';
  return `${approvers.length} of ${plural(plan.approvalsRequired, 'approval')}${who}${needs}`;
}

function denialsText(plan: PlanSummary): string[] {
  return plan.decisions
    .filter((d) => d.decision === 'deny')
    .map((d) => {
      const verb = d.actor === plan.requestedBy ? 'Withdrawn' : 'Denied';
      const reason = d.reason ? `: ${clip(d.reason, MAX_REASON_LENGTH)}` : '';
      return `${verb} by ${d.actor}, ${timeCell(d.at)}${reason}`;
    });
}

function stateBlocks(plan: PlanSummary, status: PlanStatus): Block[] {
  switch (status) {
    case 'pending':
      return [
        {
          type: 'actions',
          buttons: [
            { label: 'Approve', command: `approve ${plan.id}`, style: 'primary' },
            {
              label: 'Deny',
              command: `deny ${plan.id}`,
              style: 'danger',
              prompt: { flag: '--reason', label: 'Why deny?' },
            },
          ],
        },
      ];
    case 'approved':
      return [
        {
          type: 'text',
          text:
            plan.rolloutId === null
              ? 'Approved: the rollout starts shortly.'
              : `Rolling out as ${plan.rolloutId} — ${COMMAND_PREFIX} status ${plan.rolloutId}`,
        },
      ];
    case 'expired':
      return [
        { type: 'text', text: 'Expired before enough approvals: make a new plan to patch.', muted: true },
      ];
    case 'cancelled':
      return [{ type: 'text', text: 'Cancelled: nothing will be patched.', muted: true }];
    case 'denied':
      return [];
  }
}

/**
 * A plan's card: what would be patched where, in which waves and under which limits, and who has to
 * approve it. While pending it carries Approve and Deny, which are the typed commands.
 */
export function planView(plan: PlanSummary, now: Date): PlanView {
  const status = effectivePlanStatus(plan, now);
  const blocks: Block[] = [fields(plan, status, now)];
  if (plan.hosts.length > 0) blocks.push(hostsTable(plan));
  if (plan.skipped.length > 0) blocks.push({ type: 'text', text: skippedText(plan), muted: true });
  blocks.push({ type: 'text', text: approvalsText(plan, status) });
  for (const text of denialsText(plan)) blocks.push({ type: 'text', text });
  blocks.push(...stateBlocks(plan, status));
  return {
    kind: 'plan',
    plan,
    title: `Plan ${plan.id} · ${plan.selector} · ${status}`,
    tone: TONE[status],
    blocks,
  };
}
