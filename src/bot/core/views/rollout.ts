import type { Block, Button, Tone, View } from '../views.js';
import type {
  RolloutHostStatus,
  RolloutHostSummary,
  RolloutStatus,
  RolloutSummary,
} from '../views-rollout.js';
import { clip, NONE, plural, timeCell } from './format.js';
import { timeWithRelative } from './plan.js';

export type RolloutView = Extract<View, { kind: 'rollout' }>;

/** The live message is edited in place for the whole rollout: its tables stay short. */
export const MAX_FAILURE_ROWS = 20;
export const MAX_WAVE_ROWS = 20;
const MAX_LISTED_RUNNING = 10;
const MAX_REASON_LENGTH = 300;

const ACTIVE = new Set<RolloutStatus>(['waiting', 'running', 'baking']);
const STOPPED = new Set<RolloutStatus>(['paused', 'halted']);

const REASON_LABEL: Partial<Record<RolloutStatus, string>> = {
  waiting: 'waiting',
  paused: 'paused',
  halted: 'halted',
  aborted: 'aborted',
};

interface Totals {
  total: number;
  ok: number;
  failed: number;
  running: number;
  pending: number;
}

function totalsOf(rollout: RolloutSummary): Totals {
  const totals = { total: 0, ok: 0, failed: 0, running: 0, pending: 0 };
  for (const wave of rollout.waves) {
    totals.total += wave.size;
    totals.ok += wave.ok;
    totals.failed += wave.failed;
    totals.running += wave.running;
    totals.pending += wave.pending;
  }
  return totals;
}

function tone(rollout: RolloutSummary, totals: Totals): Tone {
  switch (rollout.status) {
    case 'running':
    case 'baking':
      return 'info';
    case 'done':
      return totals.failed > 0 ? 'warning' : 'success';
    case 'halted':
      return 'error';
    case 'waiting':
    case 'paused':
    case 'aborted':
      return 'warning';
  }
}

/** A short capped table: `more` counts the rows left out. */
function cappedTable(columns: string[], rows: string[][], max: number): Block {
  const shown = rows.slice(0, max);
  const more = rows.length - shown.length;
  return more > 0 ? { type: 'table', columns, rows: shown, more } : { type: 'table', columns, rows: shown };
}

function fields(rollout: RolloutSummary, now: Date): Block {
  const list = [
    { label: 'plan', value: rollout.planId },
    { label: 'requested by', value: rollout.requestedBy },
  ];
  if (rollout.statusReason !== null) {
    const label = REASON_LABEL[rollout.status] ?? 'note';
    list.push({ label, value: clip(rollout.statusReason, MAX_REASON_LENGTH) });
  }
  if (rollout.window !== null || rollout.override) {
    const override = rollout.override ? ' (overridden)' : '';
    list.push({ label: 'window', value: `${rollout.window ?? 'none'}${override}` });
  }
  if (rollout.startedAt !== null) list.push({ label: 'started', value: timeCell(rollout.startedAt) });
  if (rollout.status === 'baking' && rollout.bakeUntil !== null) {
    list.push({ label: 'bake until', value: timeWithRelative(rollout.bakeUntil, now) });
  }
  if ((rollout.status === 'running' || rollout.status === 'baking') && rollout.eta !== null) {
    list.push({ label: 'ETA', value: timeWithRelative(rollout.eta, now) });
  }
  if (rollout.finishedAt !== null) list.push({ label: 'finished', value: timeCell(rollout.finishedAt) });
  return { type: 'fields', fields: list };
}

function progress(rollout: RolloutSummary, totals: Totals): Block {
  const label =
    rollout.currentWave === 0 ? 'Not started' : `Wave ${rollout.currentWave}/${rollout.waves.length}`;
  return {
    type: 'progress',
    label,
    done: totals.ok + totals.failed,
    total: totals.total,
    failed: totals.failed,
  };
}

function wavesTable(rollout: RolloutSummary): Block {
  const rows = rollout.waves.map((w) => [w.wave, w.size, w.ok, w.failed, w.running, w.pending].map(String));
  return cappedTable(['wave', 'hosts', 'ok', 'failed', 'running', 'pending'], rows, MAX_WAVE_ROWS);
}

/** "10 hosts: 6 ok, 1 failed (1 rolled back), 1 running, 2 pending" */
export function rolloutTotalsLine(rollout: RolloutSummary, hosts: readonly RolloutHostSummary[]): string {
  const totals = totalsOf(rollout);
  const rolledBack = hosts.filter((h) => h.status === 'rolled-back').length;
  const counts = [
    `${totals.ok} ok`,
    `${totals.failed} failed${rolledBack > 0 ? ` (${rolledBack} rolled back)` : ''}`,
    ...(totals.running > 0 ? [`${totals.running} running`] : []),
    ...(totals.pending > 0 ? [`${totals.pending} pending`] : []),
  ];
  return `${plural(totals.total, 'host')}: ${counts.join(', ')}`;
}

function runningText(hosts: readonly RolloutHostSummary[]): string | null {
  const running = hosts.filter((h) => h.status === 'running');
  if (running.length === 0) return null;
  const listed = running
    .slice(0, MAX_LISTED_RUNNING)
    .map((h) => (h.phase === null ? h.host : `${h.host} (${h.phase})`));
  const more = running.length > MAX_LISTED_RUNNING ? ` +${running.length - MAX_LISTED_RUNNING}` : '';
  return `Running: ${listed.join(', ')}${more}`;
}

const FAILURE_RANK: Record<RolloutHostStatus, number> = {
  failed: 0,
  'rolled-back': 1,
  ok: 2,
  running: 3,
  pending: 4,
};

function isFailure(host: RolloutHostSummary): boolean {
  return host.status === 'failed' || host.status === 'rolled-back';
}

function errorCell(host: RolloutHostSummary): string {
  if (host.failedCheck !== null) return clip(host.failedCheck);
  if (host.error !== null) return clip(`${host.error.code}: ${host.error.message}`);
  return NONE;
}

function rollbackCell(host: RolloutHostSummary): string {
  if (host.rollback === null) return NONE;
  return host.rollbackError === null ? host.rollback : clip(`${host.rollback}: ${host.rollbackError}`);
}

/** Failed hosts, then rolled-back ones, then any other host being rolled back; by wave and name. */
function failuresTable(hosts: readonly RolloutHostSummary[]): Block | null {
  const listed = hosts
    .filter((h) => isFailure(h) || h.rollback !== null)
    .sort(
      (a, b) =>
        FAILURE_RANK[a.status] - FAILURE_RANK[b.status] ||
        a.wave - b.wave ||
        (a.host < b.host ? -1 : a.host > b.host ? 1 : 0),
    );
  if (listed.length === 0) return null;
  const rows = listed.map((h) => [
    h.host,
    String(h.wave),
    h.status,
    h.phase ?? NONE,
    errorCell(h),
    rollbackCell(h),
  ]);
  return cappedTable(['host', 'wave', 'status', 'phase', 'error', 'rollback'], rows, MAX_FAILURE_ROWS);
}

/** Something a rollback would undo: a host that was patched (or half) and is not already put back. */
function hasChanges(hosts: readonly RolloutHostSummary[]): boolean {
  return hosts.some(
    (h) => (h.status === 'ok' || h.status === 'failed') && (h.rollback === null || h.rollback === 'failed'),
  );
}

function buttons(rollout: RolloutSummary, hosts: readonly RolloutHostSummary[]): Button[] {
  const id = rollout.id;
  const pause: Button = { label: 'Pause', command: `pause ${id}` };
  const resume: Button = { label: 'Resume', command: `resume ${id}`, style: 'primary' };
  const abort: Button = { label: 'Abort', command: `abort ${id}`, style: 'danger' };
  const rollback: Button[] = hasChanges(hosts)
    ? [{ label: 'Roll back', command: `rollback ${id}`, style: 'danger' }]
    : [];
  if (ACTIVE.has(rollout.status)) return [pause, abort];
  if (STOPPED.has(rollout.status)) return [resume, abort, ...rollback];
  return rollback;
}

/**
 * A rollout as one live message, edited in place: progress, why it stopped or waits, the waves, the
 * failures first, and the buttons that fit its status (each one a typed command).
 */
export function rolloutView(
  rollout: RolloutSummary,
  hosts: readonly RolloutHostSummary[],
  now: Date,
): RolloutView {
  const totals = totalsOf(rollout);
  const blocks: Block[] = [progress(rollout, totals), fields(rollout, now)];
  if (rollout.waves.length > 0) blocks.push(wavesTable(rollout));
  blocks.push({ type: 'text', text: rolloutTotalsLine(rollout, hosts) });
  const running = runningText(hosts);
  if (running !== null) blocks.push({ type: 'text', text: running, muted: true });
  const failures = failuresTable(hosts);
  if (failures !== null) blocks.push(failures);
  const actions = buttons(rollout, hosts);
  if (actions.length > 0) blocks.push({ type: 'actions', buttons: actions });
  return {
    kind: 'rollout',
    rollout,
    hosts: [...hosts],
    title: `Rollout ${rollout.id} · ${rollout.selector} · ${rollout.status}`,
    tone: tone(rollout, totals),
    blocks,
  };
}
