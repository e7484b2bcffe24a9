import { COMMAND_PREFIX } from '../grammar/commands.js';
import type { ScanRunSummary, View } from '../views.js';
import { durationCell, table, timeCell } from './format.js';

function hostsCell(run: ScanRunSummary): string {
  const failed = run.failed > 0 ? `, ${run.failed} failed` : '';
  return `${run.succeeded}/${run.total} ok${failed}`;
}

/** Recent runs, in the order given (the caller sorts, newest first). */
export function runsView(runs: readonly ScanRunSummary[]): View {
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
      runs.length === 0
        ? [{ type: 'text', text: `No runs yet. Start one with ${COMMAND_PREFIX} scan <selector>.` }]
        : [
            table(['run', 'selector', 'status', 'hosts', 'by', 'started', 'took'], rows),
            { type: 'text', text: `Details of one run: ${COMMAND_PREFIX} status <run-id>`, muted: true },
          ],
  };
}
