/**
 * Platform-neutral view model. Core code builds views; each adapter (console, Slack, Discord) only
 * translates blocks into its own format. `--json` prints a view as it is, so the typed data of each kind
 * sits at the top level next to the blocks.
 */

import type {
  AcceptanceSummary,
  CveDetail,
  FeedFreshness,
  FindingSummary,
  FindingsFilters,
  FindingsTotals,
} from './views-risk.js';

import type { PlanSummary, RolloutHostSummary, RolloutSummary } from './views-rollout.js';

export type * from './views-risk.js';
export type * from './views-rollout.js';

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface Button {
  /**
   * The typed command the button stands for (`approve plan-3`; a leading `/patch` is allowed): every
   * button has a command that does the same, and a click is parsed and authorized like typed text.
   */
  command: string;
  label: string;
  style?: 'primary' | 'danger';
  /**
   * The command needs one more value from whoever clicks (Deny asks for a reason): the adapter asks for it
   * and runs `promptedCommand(button, value)` (grammar/quote.ts), which appends the flag and the value
   * quoted; the result is parsed and authorized like typed text.
   */
  prompt?: { flag: string; label: string };
}

export type Block =
  | { type: 'text'; text: string; muted?: boolean }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'table'; columns: string[]; rows: string[][]; more?: number }
  | { type: 'progress'; label: string; done: number; total: number; failed: number }
  | { type: 'actions'; buttons: Button[] };

export interface HostSummary {
  name: string;
  address: string;
  port: number;
  groups: string[];
  tags: Record<string, string>;
  os: string | null;
  packageManager: string | null;
  updates: number | null;
  securityUpdates: number | null;
  rebootRequired: boolean | null;
  lastScanAt: string | null;
  lastScanError: string | null;
}

export type ScanRunStatus = 'queued' | 'running' | 'done' | 'failed';

/** A run in a final state: its view will not change any more. */
export function isFinishedRun(run: { status: ScanRunStatus }): boolean {
  return run.status === 'done' || run.status === 'failed';
}
export type HostScanStatus = 'pending' | 'ok' | 'failed';

/**
 * A rollout that will not change without a command: done, aborted, halted or paused, with no host being
 * patched and no rollback under way. Its live view can stop; a later command starts a new one.
 */
export function isSettledRollout(rollout: RolloutSummary, hosts: readonly RolloutHostSummary[]): boolean {
  const stopped = ['done', 'aborted', 'halted', 'paused'].includes(rollout.status);
  return (
    stopped &&
    hosts.every((h) => h.status !== 'running' && h.rollback !== 'pending' && h.rollback !== 'running')
  );
}

export interface HostScanSummary {
  host: string;
  status: HostScanStatus;
  os: string | null;
  installed: number | null;
  updates: number | null;
  securityUpdates: number | null;
  rebootRequired: boolean | null;
  error: { code: string; message: string } | null;
  warnings: string[];
}

export interface ScanRunSummary {
  id: string;
  selector: string;
  requestedBy: string;
  status: ScanRunStatus;
  total: number;
  succeeded: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface CommandHelp {
  usage: string;
  summary: string;
}

export type ViewData =
  | { kind: 'help'; commands: CommandHelp[] }
  | { kind: 'hosts'; selector: string; hosts: HostSummary[] }
  | { kind: 'scan'; run: ScanRunSummary; hosts: HostScanSummary[] }
  | { kind: 'runs'; runs: ScanRunSummary[] }
  | { kind: 'error'; error: { code: string; message: string; hint?: string } }
  | {
      kind: 'findings';
      selector: string;
      filters: FindingsFilters;
      totals: FindingsTotals;
      findings: FindingSummary[];
    }
  | { kind: 'cve'; cve: string; detail: CveDetail | null }
  | { kind: 'advisories'; asOf: string; feeds: FeedFreshness[] }
  | { kind: 'acceptance'; acceptance: AcceptanceSummary }
  | { kind: 'plan'; plan: PlanSummary }
  | { kind: 'rollout'; rollout: RolloutSummary; hosts: RolloutHostSummary[] }
  | {
      kind: 'alert';
      /** `mention`: the on-call group to notify; each adapter turns it into its own kind of mention. */
      alert: { severity: 'warning' | 'critical'; subject: string; message: string; mention?: string };
    };

export type ViewKind = ViewData['kind'];

export type View = ViewData & {
  title: string;
  tone: Tone;
  blocks: Block[];
  /** Shown only to the person who caused it (errors, private answers). */
  ephemeral?: boolean;
};
