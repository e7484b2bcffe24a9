import { COMMAND_PREFIX } from '../grammar/commands.js';
import type { RolloutSummary, ScanRunSummary, View } from '../views.js';
import { durationCell, table, timeCell } from './format.js';

function hostsCell(run: ScanRunSummary): string {
  const failed = run.failed > 0 ? `, ${run.failed} failed` : '';
  return `${run.succeeded}/${run.total} ok${failed}`;
}

function rolloutHostsCell(rollout: RolloutSummary): string {
  const total = rollout.waves.reduce((sum, w) => sum + w.size, 0);
  const ok = rollout.waves.reduce((sum, w) => sum + w.ok, 0);
  const failed = rollout.waves.reduce((sum, w) => sum + w.failed, 0);
  return `${ok}/${total} ok${failed > 0 ? `, ${failed} failed` : ''}`;
}

function rolloutsTable(rollouts: readonly RolloutSummary[]) {
  return table(
    ['rollout', 'plan', 'selector', 'status', 'wave', 'hosts', 'started'],
    rollouts.map((r) => [
      r.id,
      r.planId,
      r.selector,
      r.status,
      `${r.currentWave}/${r.waves.length}`,
      rolloutHostsCell(r),
      r.startedAt ? timeCell(r.startedAt) : '—',
    ]),
  );
}

/** Recent scans and rollouts, in the order given (the caller sorts, newest first). */
export function runsView(runs: readonly ScanRunSummary[], rollouts: readonly RolloutSummary[] = []): View {
  const rows = runs.map((run) => [
    run.id,
    run.selector,
    run.status,
    hostsCell(run),
    run.requestedBy,
    timeCell(run.createdAt),
    durationCell(run.createdAt, run.finishedAt),
  ]);
  return {
    kind: 'runs',
    runs: [...runs],
    title: 'Recent runs',
    tone: runs.some((run) => run.status === 'failed' || run.failed > 0) ? 'warning' : 'info',
    blocks:
      runs.length === 0 && rollouts.length === 0
        ? [{ type: 'text', text: `No runs yet. Start one with ${COMMAND_PREFIX} scan <selector>.` }]
        : [
            ...(runs.length > 0
              ? [table(['run', 'selector', 'status', 'hosts', 'by', 'started', 'took'], rows)]
              : []),
            ...(rollouts.length > 0 ? [rolloutsTable(rollouts)] : []),
            { type: 'text', text: `Details of one run: ${COMMAND_PREFIX} status <run-id>`, muted: true },
          ],
  };
}
