import { budgetExceeded, formatBudget } from './budget.js';
import type { FailureBudget, RolloutHostStatus, RolloutStatus } from './types.js';

export interface ConductHost {
  hostId: number;
  /** 1-based. */
  wave: number;
  status: RolloutHostStatus;
}

export interface ConductWindow {
  open: boolean;
  acceptingNewHosts: boolean;
  opensAt: Date | null;
}

export interface ConductInput {
  status: RolloutStatus;
  /** 0 = not started. */
  currentWave: number;
  waveCount: number;
  /** In plan order: pending hosts start in this order. */
  hosts: ConductHost[];
  /** Most hosts running at once within a wave; null = the whole wave. */
  concurrency: number | null;
  waveBudget: FailureBudget;
  totalBudget: FailureBudget;
  bakeSeconds: number;
  bakeUntil: Date | null;
  /** null = no maintenance window. */
  window: ConductWindow | null;
  /** Emergency override: ignore the window. */
  override: boolean;
  now: Date;
}

export type ConductStep =
  /** Nothing to do now: paused, halted, aborted, done, or hosts running at capacity. */
  | { kind: 'idle' }
  /** Set status 'waiting'; check again at `until` (null: no known opening). */
  | { kind: 'wait-window'; until: Date | null }
  /** Set status 'running' and currentWave = wave, then start these hosts. */
  | { kind: 'start-hosts'; wave: number; hostIds: number[] }
  /** The wave finished within budget and more waves follow: set status 'baking' until then. */
  | { kind: 'bake'; until: Date }
  /** A budget is exceeded: stop starting hosts (running ones finish). */
  | { kind: 'halt'; reason: string; failedHostIds: number[] }
  /** Every wave finished within budget. */
  | { kind: 'finish' };

const STOPPED: readonly RolloutStatus[] = ['paused', 'halted', 'aborted', 'done'];
const FINAL: readonly RolloutHostStatus[] = ['ok', 'failed', 'rolled-back'];
const IDLE: ConductStep = { kind: 'idle' };

function isFailure(host: ConductHost): boolean {
  return host.status === 'failed' || host.status === 'rolled-back';
}

function budgetBreach(scope: string, hosts: ConductHost[], budget: FailureBudget): string | null {
  const failures = hosts.filter(isFailure).length;
  if (!budgetExceeded(budget, failures, hosts.length)) return null;
  return `${scope}: ${failures} of ${hosts.length} hosts failed (budget ${formatBudget(budget)})`;
}

/**
 * Starts the next pending hosts of `wave` if the window lets new hosts in. Hosts already running may
 * always finish: a closed window or passed cutoff only stops new starts.
 */
function startHosts(input: ConductInput, wave: number): ConductStep {
  const waveHosts = input.hosts.filter((host) => host.wave === wave);
  const running = waveHosts.filter((host) => host.status === 'running').length;
  const windowShut = input.window !== null && !input.override && !input.window.acceptingNewHosts;
  if (windowShut) return running > 0 ? IDLE : { kind: 'wait-window', until: input.window?.opensAt ?? null };
  const capacity = Math.max(1, input.concurrency ?? waveHosts.length) - running;
  const hostIds = waveHosts
    .filter((host) => host.status === 'pending')
    .slice(0, Math.max(0, capacity))
    .map((host) => host.hostId);
  return hostIds.length === 0 ? IDLE : { kind: 'start-hosts', wave, hostIds };
}

/**
 * What the rollout should do next, given where it stands. The engine calls this whenever something
 * changes (a host finishes, a timer fires, the window moves) and applies the step; calling it again
 * without a change returns the same step or idle, so repeated calls are harmless.
 */
export function nextStep(input: ConductInput): ConductStep {
  if (STOPPED.includes(input.status)) return IDLE;
  const current = input.hosts.filter((host) => host.wave === input.currentWave);

  const breaches = [
    input.currentWave > 0 ? budgetBreach(`wave ${input.currentWave}`, current, input.waveBudget) : null,
    budgetBreach('rollout', input.hosts, input.totalBudget),
  ].filter((breach) => breach !== null);
  if (breaches.length > 0) {
    const failedHostIds = input.hosts.filter(isFailure).map((host) => host.hostId);
    return { kind: 'halt', reason: breaches.join('; '), failedHostIds };
  }

  if (input.currentWave === 0) return startHosts(input, 1);
  if (current.some((host) => !FINAL.includes(host.status))) return startHosts(input, input.currentWave);

  if (input.currentWave >= input.waveCount) return { kind: 'finish' };
  // A bake starts when a wave completes while running. 'waiting' here means the bake already ran and the
  // window then held the next wave back, so it must not bake again.
  if (input.bakeSeconds > 0 && input.status === 'running')
    return { kind: 'bake', until: new Date(input.now.getTime() + input.bakeSeconds * 1000) };
  if (input.status === 'baking' && input.bakeUntil !== null && input.now < input.bakeUntil) return IDLE;
  return startHosts(input, input.currentWave + 1);
}
