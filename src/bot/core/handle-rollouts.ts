import type { SelectableHost } from '../../engine/inventory/selector.js';
import { resolveSelector } from '../../engine/inventory/selector.js';
import { computePlan, describeScope } from '../../engine/rollouts/plan.js';
import type {
  PinnedPackage,
  PlanFilters,
  PlanHostInput,
  RebootPolicy,
  WaveSpec,
} from '../../engine/rollouts/types.js';
import type { ApprovalRule } from './approvals/index.js';
import { type CommandError, commandError } from './command-error.js';
import type { Command } from './grammar/commands.js';
import type { Actor } from './permissions.js';
import { errorView, planView, rolloutView } from './views/index.js';
import type { View } from './views.js';
import type { PlanSummary, RolloutHostSummary, RolloutSummary } from './views-rollout.js';

/** Defaults for what a plan command leaves out: patchops.yml's `rollouts:` section. */
export interface RolloutDefaults {
  waves: { text: string; waves: WaveSpec[] };
  bakeSeconds: number;
  maxFailures: string;
  /** Undefined: the same as the per-wave budget. */
  maxTotalFailures?: string;
  reboot: RebootPolicy;
  autoRollback: boolean;
  maxScanAgeSeconds: number;
  /** Names of the configured maintenance windows. */
  windows: string[];
  /** The host tag naming a host's environment, for approval rules. */
  environmentTag: string;
}

/** A plan to store: what its card shows, plus what only the engine needs (filters, rule, host ids). */
export type NewPlanRequest = Pick<
  PlanSummary,
  | 'selector'
  | 'requestedBy'
  | 'scope'
  | 'waveSpec'
  | 'waveSizes'
  | 'concurrency'
  | 'bakeSeconds'
  | 'maxFailures'
  | 'maxTotalFailures'
  | 'reboot'
  | 'autoRollback'
  | 'window'
  | 'skipped'
  | 'environments'
> & {
  filters: PlanFilters;
  rule: ApprovalRule;
  scannedAt: Date;
  hosts: { hostId: number; wave: number; packages: PinnedPackage[] }[];
};

export type Steer = 'pause' | 'resume' | 'abort' | 'override';
export type PortResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** What the plan and rollout commands need from the outside world. */
export interface RolloutPorts<H extends SelectableHost = SelectableHost> {
  rolloutDefaults(): RolloutDefaults;
  approvalRule(environments: string[]): ApprovalRule;
  planInputs(hosts: H[]): Promise<PlanHostInput[]>;
  /** Hosts of these that belong to a rollout not finished yet (running, baking, waiting, paused, halted). */
  hostsInRollouts(hosts: H[]): Promise<{ host: string; rolloutId: string; status: string }[]>;
  savePlan(request: NewPlanRequest): Promise<PlanSummary>;
  plan(id: number): Promise<PlanSummary | undefined>;
  /** Approve or deny under the plan's row lock; the approval rules run on the locked state. */
  decidePlan(
    id: number,
    actor: Actor,
    decision: 'approve' | 'deny',
    reason: string | null,
  ): Promise<PortResult<{ plan: PlanSummary; rolloutId: number | null }>>;
  rollout(id: number): Promise<{ rollout: RolloutSummary; hosts: RolloutHostSummary[] } | undefined>;
  steerRollout(id: number, action: Steer, actor: string, reason: string | null): Promise<PortResult<null>>;
  rollbackRollout(id: number, hostNames: string[] | undefined, actor: string): Promise<PortResult<string[]>>;
}

export type RolloutCommand = Extract<
  Command,
  { name: 'plan' | 'pause' | 'resume' | 'abort' | 'rollback' | 'override' }
>;

export interface RolloutReply {
  view: View;
  watch?: { kind: 'rollout'; id: number };
}

const idNumber = (id: string) => Number(id.slice(id.indexOf('-') + 1));

function filtersOf(command: Extract<Command, { name: 'plan' }>): PlanFilters {
  return {
    ...(command.security ? { security: true } : {}),
    ...(command.priority ? { priority: command.priority } : {}),
    ...(command.cve ? { cves: command.cve } : {}),
    ...(command.packages ? { packages: command.packages } : {}),
  };
}

function ago(date: Date | null, now: Date): string {
  if (!date) return 'never scanned';
  const hours = Math.floor((now.getTime() - date.getTime()) / 3_600_000);
  return hours < 48 ? `last scan ${hours} h ago` : `last scan ${Math.floor(hours / 24)} days ago`;
}

async function plan<H extends SelectableHost & { id: number; tags: Record<string, string> }>(
  command: Extract<Command, { name: 'plan' }>,
  actor: Actor,
  ports: RolloutPorts<H>,
  hosts: H[],
  now: Date,
): Promise<RolloutReply> {
  const resolved = resolveSelector(command.selector, hosts);
  if (!resolved.ok) return { view: errorView(commandError('invalid_selector', resolved.error.message)) };
  const defaults = ports.rolloutDefaults();
  if (command.window && !defaults.windows.includes(command.window)) {
    const known =
      defaults.windows.length > 0 ? `configured: ${defaults.windows.join(', ')}` : 'none is configured';
    return {
      view: errorView(
        commandError(
          'invalid_value',
          `no maintenance window '${command.window}' (${known})`,
          'windows are set in patchops.yml',
        ),
      ),
    };
  }
  const busy = await ports.hostsInRollouts(resolved.hosts);
  if (busy.length > 0) {
    const listed = busy.slice(0, 5).map((b) => `${b.host} (${b.rolloutId}, ${b.status})`);
    const more = busy.length > 5 ? ` and ${busy.length - 5} more` : '';
    return {
      view: errorView(
        commandError(
          'conflict',
          `already in a rollout that has not finished: ${listed.join(', ')}${more}`,
          `resume, abort or finish it first: /patch status ${busy[0]!.rolloutId}`,
        ),
      ),
    };
  }
  const filters = filtersOf(command);
  const waves = command.waves ?? defaults.waves;
  const result = computePlan({
    hosts: await ports.planInputs(resolved.hosts),
    filters,
    waves: waves.waves,
    now,
    maxScanAgeSeconds: defaults.maxScanAgeSeconds,
  });
  if (!result.ok && result.code === 'stale_scan') {
    const listed = result.stale.slice(0, 5).map((h) => `${h.name} (${ago(h.lastScanAt, now)})`);
    const more = result.stale.length > 5 ? ` and ${result.stale.length - 5} more` : '';
    return {
      view: errorView(
        commandError(
          'stale_scan',
          `scan first: a plan needs a fresh scan of every host; ${listed.join(', ')}${more}`,
          `/patch scan ${command.selector.text}`,
        ),
      ),
    };
  }
  if (!result.ok) {
    const reasons = result.skipped.slice(0, 5).map((s) => `${s.name}: ${s.reason}`);
    return {
      view: errorView(
        commandError(
          'nothing_to_patch',
          `nothing to patch on ${command.selector.text} (${reasons.join('; ')})`,
        ),
      ),
    };
  }
  const planned = new Set(result.hosts.map((h) => h.hostId));
  const environments = [
    ...new Set(
      resolved.hosts
        .filter((h) => planned.has(h.id))
        .map((h) => h.tags[defaults.environmentTag] ?? 'default'),
    ),
  ].sort();
  const maxFailures = command.maxFailures?.text ?? defaults.maxFailures;
  const summary = await ports.savePlan({
    selector: command.selector.text,
    requestedBy: actor.name,
    filters,
    scope: describeScope(filters),
    waveSpec: waves.text,
    waveSizes: result.waveSizes,
    concurrency: command.concurrency ?? null,
    bakeSeconds: command.bake?.seconds ?? defaults.bakeSeconds,
    maxFailures,
    maxTotalFailures: command.maxTotalFailures?.text ?? defaults.maxTotalFailures ?? maxFailures,
    reboot: command.reboot ?? defaults.reboot,
    autoRollback: command.autoRollback || defaults.autoRollback,
    window: command.window ?? null,
    skipped: result.skipped.map((s) => ({ host: s.name, reason: s.reason })),
    environments,
    rule: ports.approvalRule(environments),
    scannedAt: result.scannedAt,
    hosts: result.hosts.map((h) => ({ hostId: h.hostId, wave: h.wave, packages: h.packages })),
  });
  return { view: planView(summary, now) };
}

async function rolloutReply(ports: RolloutPorts, id: number, now: Date): Promise<RolloutReply> {
  const state = await ports.rollout(id);
  if (!state) return { view: errorView(commandError('invalid_value', `no rollout 'rollout-${id}'`)) };
  return { view: rolloutView(state.rollout, state.hosts, now), watch: { kind: 'rollout', id } };
}

/** A decision on a plan (approve, deny): the rules run in the port, on the locked plan. */
export async function decidePlanCommand(
  planId: string,
  decision: 'approve' | 'deny',
  reason: string | null,
  actor: Actor,
  ports: RolloutPorts,
  now: Date,
): Promise<RolloutReply> {
  const decided = await ports.decidePlan(idNumber(planId), actor, decision, reason);
  if (!decided.ok) return { view: errorView(decided.error) };
  if (decided.value.rolloutId !== null) return rolloutReply(ports, decided.value.rolloutId, now);
  return { view: planView(decided.value.plan, now) };
}

export async function showPlan(
  planId: number,
  ports: RolloutPorts,
  now: Date,
): Promise<RolloutReply | undefined> {
  const summary = await ports.plan(planId);
  return summary ? { view: planView(summary, now) } : undefined;
}

export const showRollout = rolloutReply;

export async function executeRolloutCommand<
  H extends SelectableHost & { id: number; tags: Record<string, string> },
>(
  command: RolloutCommand,
  actor: Actor,
  ports: RolloutPorts<H>,
  hosts: () => Promise<H[]>,
  now: Date,
): Promise<RolloutReply> {
  if (command.name === 'plan') return plan(command, actor, ports, await hosts(), now);
  const id = idNumber(command.rolloutId);
  if (command.name === 'rollback') {
    let names: string[] | undefined;
    if (command.selector) {
      const resolved = resolveSelector(command.selector, await hosts());
      if (!resolved.ok) return { view: errorView(commandError('invalid_selector', resolved.error.message)) };
      names = resolved.hosts.map((h) => h.name);
    }
    const result = await ports.rollbackRollout(id, names, actor.name);
    if (!result.ok) return { view: errorView(result.error) };
    return rolloutReply(ports, id, now);
  }
  const reason = command.name === 'override' ? command.reason : null;
  const result = await ports.steerRollout(id, command.name, actor.name, reason);
  if (!result.ok) return { view: errorView(result.error) };
  return rolloutReply(ports, id, now);
}
