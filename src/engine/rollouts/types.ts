/** The vocabulary of plans and rollouts, shared by the pure core, the database and the views. */

/** One package a plan moves on one host: exact versions, so every wave installs the same thing. */
export interface PinnedPackage {
  name: string;
  arch: string;
  from: string;
  to: string;
}

/** One entry of `--waves 1,10%,50%,100%`: a wave size, as a host count or a percentage of all hosts. */
export type WaveSpec = { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

/** `--max-failures 1` or `5%`: how many failed hosts are tolerated; one more halts the rollout. */
export type FailureBudget = { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export const REBOOT_POLICIES = ['never', 'if-required', 'always'] as const;
export type RebootPolicy = (typeof REBOOT_POLICIES)[number];

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';

/** What a plan patches; filters combine (an update must pass every one given). None = every update. */
export interface PlanFilters {
  security?: boolean;
  /** This priority or more urgent (P2 = P1 and P2), from open findings. */
  priority?: Priority;
  cves?: string[];
  packages?: string[];
}

export const PLAN_STATUSES = ['pending', 'approved', 'denied', 'expired', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const ROLLOUT_STATUSES = [
  'waiting',
  'running',
  'baking',
  'paused',
  'halted',
  'aborted',
  'done',
] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** `rolled-back`: verification failed and the host was put back; it still counts as a failure. */
export const ROLLOUT_HOST_STATUSES = ['pending', 'running', 'ok', 'failed', 'rolled-back'] as const;
export type RolloutHostStatus = (typeof ROLLOUT_HOST_STATUSES)[number];

/** Where a host is inside its patch job, for the live view and the audit log. */
export const HOST_PHASES = [
  'precheck',
  'pre-hook',
  'install',
  'reboot',
  'verify',
  'post-hook',
  'rollback',
] as const;
export type HostPhase = (typeof HOST_PHASES)[number];

export const ROLLBACK_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type RollbackStatus = (typeof ROLLBACK_STATUSES)[number];

/** An available update from a host's latest successful scan. */
export interface PlanUpdate {
  name: string;
  arch: string;
  installedVersion: string;
  version: string;
  security: boolean;
}

/** An open finding on a host, as far as planning needs it. */
export interface PlanFinding {
  binaryPackages: string[];
  cves: string[];
  vulnerability: string;
  priority: Priority;
}

/** One host as `computePlan` sees it; the caller loads these, the planner does no I/O. */
export interface PlanHostInput {
  id: number;
  name: string;
  tags: Record<string, string>;
  /** The latest successful scan; null when the host was never scanned. */
  lastScanAt: Date | null;
  /** From that scan. */
  updates: PlanUpdate[];
  /** Installed binary package name → its source package name. */
  sourceOf: ReadonlyMap<string, string>;
  /** Open findings only. */
  findings: PlanFinding[];
}

export interface PlanInput {
  hosts: PlanHostInput[];
  filters: PlanFilters;
  waves: WaveSpec[];
  now: Date;
  maxScanAgeSeconds: number;
}

export interface PlannedHost {
  hostId: number;
  name: string;
  /** 1-based. */
  wave: number;
  packages: PinnedPackage[];
}

export interface SkippedHost {
  name: string;
  reason: string;
}

export type PlanResult =
  | { ok: true; hosts: PlannedHost[]; skipped: SkippedHost[]; waveSizes: number[]; scannedAt: Date }
  | { ok: false; code: 'stale_scan'; stale: { name: string; lastScanAt: Date | null }[] }
  | { ok: false; code: 'nothing_to_patch'; skipped: SkippedHost[] };
