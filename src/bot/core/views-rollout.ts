import type {
  HostPhase,
  PinnedPackage,
  PlanStatus,
  RebootPolicy,
  RollbackStatus,
  RolloutHostStatus,
  RolloutStatus,
} from '../../engine/rollouts/types.js';

export type {
  HostPhase,
  PinnedPackage,
  PlanStatus,
  RebootPolicy,
  RollbackStatus,
  RolloutHostStatus,
  RolloutStatus,
} from '../../engine/rollouts/types.js';

export interface PlanHostSummary {
  host: string;
  /** 1-based. */
  wave: number;
  packages: PinnedPackage[];
}

export interface PlanDecisionSummary {
  actor: string;
  decision: 'approve' | 'deny';
  reason: string | null;
  at: string;
}

/** A plan as its card shows it. Dates are ISO strings. */
export interface PlanSummary {
  id: string; // plan-3
  selector: string;
  requestedBy: string;
  status: PlanStatus;
  /** What was asked for, in words: "security updates", "P2 or more urgent", "CVE-2024-1, CVE-2024-2"... */
  scope: string;
  /** As typed (or the default): "1,30%,100%"; and the resulting wave sizes. */
  waveSpec: string;
  waveSizes: number[];
  concurrency: number | null;
  bakeSeconds: number;
  /** As typed: "0", "1", "5%". */
  maxFailures: string;
  maxTotalFailures: string;
  reboot: RebootPolicy;
  autoRollback: boolean;
  window: string | null;
  hosts: PlanHostSummary[];
  /** Hosts the selector matched that get nothing, and why ("nothing to update"). */
  skipped: { host: string; reason: string }[];
  /** Environments (host tag) the plan touches; they decide who may approve. */
  environments: string[];
  approvalsRequired: number;
  /** Who may approve, in words: "group sre-leads or user alice". */
  approvers: string;
  decisions: PlanDecisionSummary[];
  /** The oldest scan the plan was computed from. */
  scannedAt: string;
  createdAt: string;
  expiresAt: string;
  rolloutId: string | null;
}

export interface RolloutHostSummary {
  host: string;
  wave: number;
  status: RolloutHostStatus;
  phase: HostPhase | null;
  error: { code: string; message: string } | null;
  /** The verification step that failed: "health: /usr/bin/web-health exited 1", "version: web 1.0-2 != 1.0-3". */
  failedCheck: string | null;
  rollback: RollbackStatus | null;
  rollbackError: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RolloutWaveSummary {
  /** 1-based. */
  wave: number;
  size: number;
  pending: number;
  running: number;
  ok: number;
  failed: number;
}

export interface RolloutSummary {
  id: string; // rollout-2
  planId: string;
  selector: string;
  requestedBy: string;
  status: RolloutStatus;
  /** 1-based; 0 before the first wave starts. */
  currentWave: number;
  waves: RolloutWaveSummary[];
  bakeUntil: string | null;
  /** Why it halted, waits or was aborted, in words. */
  statusReason: string | null;
  window: string | null;
  override: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Estimated end, from the pace so far; null when unknown. */
  eta: string | null;
}
