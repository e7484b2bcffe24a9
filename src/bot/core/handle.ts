import type { SelectableHost } from '../../engine/inventory/selector.js';
import { resolveSelector } from '../../engine/inventory/selector.js';
import { commandError } from './command-error.js';
import type { Command } from './grammar/commands.js';
import { commandUsages, parseCommand } from './grammar/parse.js';
import {
  decidePlanCommand,
  executeRolloutCommand,
  type RolloutPorts,
  showPlan,
  showRollout,
} from './handle-rollouts.js';
import { type Actor, authorize, type PermissionConfig } from './permissions.js';
import { checkAcceptanceDecision, checkAcceptanceUntil, selectFindings } from './risk.js';
import {
  acceptanceView,
  advisoriesView,
  cveView,
  errorView,
  findingsView,
  helpView,
  hostsView,
  rolloutView,
  runsView,
  scanView,
} from './views/index.js';
import {
  type HostScanSummary,
  type HostSummary,
  isFinishedRun,
  isSettledRollout,
  type RolloutSummary,
  type ScanRunSummary,
  type View,
} from './views.js';
import type { AcceptanceSummary, CveDetail, FeedStatus, FindingSummary } from './views-risk.js';

/** What the core needs from the outside world; the app implements it over Postgres and the queues. */
export interface BotPorts<H extends BotHost = BotHost> extends RolloutPorts<H> {
  hosts(): Promise<H[]>;
  hostSummaries(hosts: H[]): Promise<HostSummary[]>;
  startScan(request: {
    selector: string;
    requestedBy: string;
    refresh: 'auto' | 'always' | 'never';
    hosts: H[];
  }): Promise<ScanRunSummary>;
  scanRun(runId: number): Promise<{ run: ScanRunSummary; hosts: HostScanSummary[] } | undefined>;
  recentRuns(): Promise<ScanRunSummary[]>;
  recentRollouts(): Promise<RolloutSummary[]>;
  audit(entry: {
    actor: string;
    action: string;
    subject?: string;
    details?: Record<string, unknown>;
  }): Promise<void>;
  /** Today's date, YYYY-MM-DD in UTC: due dates and acceptances count in whole days. */
  today(): string;
  findings(hosts: H[]): Promise<FindingSummary[]>;
  cveDetail(cve: string): Promise<CveDetail | null>;
  feeds(): Promise<FeedStatus[]>;
  requestAcceptance(request: {
    cve: string;
    selector: string;
    hosts: H[];
    until: string;
    reason: string;
    requestedBy: string;
  }): Promise<AcceptanceSummary>;
  acceptance(id: number): Promise<AcceptanceSummary | undefined>;
  /** Undefined when it was no longer pending (someone decided first). */
  decideAcceptance(
    id: number,
    decision: { status: 'approved' | 'denied'; actor: string; reason?: string },
  ): Promise<AcceptanceSummary | undefined>;
}

/** A risk acceptance lasts at most this long; after that, a new request (and a new approval). */
const maxAcceptanceDays = 365;

/** Hosts as the core sees them: selectable, with an id and tags (environments, criticality). */
export type BotHost = SelectableHost & { id: number; tags: Record<string, string> };

/** An operation a reply shows while it goes on: the adapter keeps that message live. */
export interface Watch {
  kind: 'scan' | 'rollout';
  id: number;
}

export interface Reply {
  view: View;
  watch?: Watch;
}

function runNumber(runId: string, kind = 'scan'): number | undefined {
  const match = /^([a-z]+)-(\d+)$/.exec(runId);
  return match && match[1] === kind ? Number(match[2]) : undefined;
}

/** The current view of a watched operation, and whether it has settled (will not change by itself). */
export async function renderWatched<H extends BotHost>(
  watch: Watch,
  ports: BotPorts<H>,
): Promise<{ view: View; settled: boolean } | undefined> {
  if (watch.kind === 'scan') {
    const state = await ports.scanRun(watch.id);
    return state && { view: scanView(state.run, state.hosts), settled: isFinishedRun(state.run) };
  }
  const state = await ports.rollout(watch.id);
  return (
    state && {
      view: rolloutView(state.rollout, state.hosts, new Date()),
      settled: isSettledRollout(state.rollout, state.hosts),
    }
  );
}

async function showRun<H extends BotHost>(runId: string, ports: BotPorts<H>): Promise<Reply | undefined> {
  const plan = runNumber(runId, 'plan');
  if (plan !== undefined) return showPlan(plan, ports, new Date());
  const rollout = runNumber(runId, 'rollout');
  if (rollout !== undefined) {
    const reply = await showRollout(ports, rollout, new Date());
    return reply.view.kind === 'error' ? undefined : reply;
  }
  const id = runNumber(runId);
  const state = id === undefined ? undefined : await ports.scanRun(id);
  if (!state || id === undefined) return undefined;
  return {
    view: scanView(state.run, state.hosts),
    ...(isFinishedRun(state.run) ? {} : { watch: { kind: 'scan', id } }),
  };
}

async function execute<H extends BotHost>(
  command: Command,
  actor: Actor,
  ports: BotPorts<H>,
): Promise<Reply> {
  switch (command.name) {
    case 'help':
      return {
        view: helpView(command.topic ? commandUsages.filter((u) => u.name === command.topic) : commandUsages),
      };
    case 'hosts': {
      const resolved = resolveSelector(command.selector, await ports.hosts());
      if (!resolved.ok) return { view: errorView(commandError('invalid_selector', resolved.error.message)) };
      return { view: hostsView(command.selector.text, await ports.hostSummaries(resolved.hosts)) };
    }
    case 'scan': {
      const resolved = resolveSelector(command.selector, await ports.hosts());
      if (!resolved.ok) return { view: errorView(commandError('invalid_selector', resolved.error.message)) };
      const run = await ports.startScan({
        selector: command.selector.text,
        requestedBy: actor.name,
        refresh: command.refresh,
        hosts: resolved.hosts,
      });
      const runId = runNumber(run.id)!;
      const state = await ports.scanRun(runId);
      return { view: scanView(state?.run ?? run, state?.hosts ?? []), watch: { kind: 'scan', id: runId } };
    }
    case 'status': {
      if (!command.runId) return { view: runsView(await ports.recentRuns(), await ports.recentRollouts()) };
      const shown = await showRun(command.runId, ports);
      return (
        shown ?? {
          view: errorView(
            commandError('invalid_value', `no run '${command.runId}'`, 'see /patch status for recent runs'),
          ),
        }
      );
    }
    case 'findings': {
      const resolved = resolveSelector(command.selector, await ports.hosts());
      if (!resolved.ok) return { view: errorView(commandError('invalid_selector', resolved.error.message)) };
      const filters = {
        ...(command.priority ? { priority: command.priority } : {}),
        ...(command.kev ? { kev: true } : {}),
        ...(command.cve ? { cve: command.cve } : {}),
        ...(command.limit ? { limit: command.limit } : {}),
      };
      const { shown, totals } = selectFindings(await ports.findings(resolved.hosts), filters, ports.today());
      return { view: findingsView(command.selector.text, shown, totals, filters) };
    }
    case 'cve':
      return { view: cveView(command.cveId, await ports.cveDetail(command.cveId)) };
    case 'advisories':
      return { view: advisoriesView(await ports.feeds(), new Date().toISOString()) };
    case 'accept': {
      const tooLate = checkAcceptanceUntil(command.until, ports.today(), maxAcceptanceDays);
      if (tooLate) return { view: errorView(tooLate) };
      const resolved = resolveSelector(command.selector, await ports.hosts());
      if (!resolved.ok) return { view: errorView(commandError('invalid_selector', resolved.error.message)) };
      const acceptance = await ports.requestAcceptance({
        cve: command.cveId,
        selector: command.selector.text,
        hosts: resolved.hosts,
        until: command.until,
        reason: command.reason,
        requestedBy: actor.name,
      });
      return { view: acceptanceView(acceptance) };
    }
    case 'approve':
    case 'deny': {
      const reason = command.name === 'deny' ? command.reason : null;
      if (command.id.startsWith('plan-'))
        return decidePlanCommand(command.id, command.name, reason, actor, ports, new Date());
      const id = Number(command.id.slice('accept-'.length));
      const acceptance = await ports.acceptance(id);
      if (!acceptance)
        return { view: errorView(commandError('invalid_value', `no acceptance '${command.id}'`)) };
      const refused = checkAcceptanceDecision(acceptance, actor);
      if (refused) return { view: errorView(refused) };
      const decided = await ports.decideAcceptance(id, {
        status: command.name === 'approve' ? 'approved' : 'denied',
        actor: actor.name,
        ...(command.name === 'deny' ? { reason: command.reason } : {}),
      });
      // Someone else decided between our read and our write: say what happened to them, not to us.
      const current = decided ?? (await ports.acceptance(id));
      if (!decided && current)
        return {
          view: errorView(
            checkAcceptanceDecision(current, actor) ??
              commandError('invalid_value', `${command.id} changed; try again`),
          ),
        };
      return { view: acceptanceView(current ?? acceptance) };
    }
    case 'plan':
    case 'pause':
    case 'resume':
    case 'abort':
    case 'rollback':
    case 'override':
      return executeRolloutCommand(command, actor, ports, () => ports.hosts(), new Date());
  }
}

/** One command from any adapter: parse, authorize, execute, audit. Never throws for bad input. */
export async function handleCommand<H extends BotHost>(
  text: string,
  actor: Actor,
  ports: BotPorts<H>,
  permissions: PermissionConfig | undefined,
): Promise<Reply> {
  const parsed = parseCommand(text);
  if (!parsed.ok) {
    await ports.audit({
      actor: actor.name,
      action: 'command.rejected',
      details: { code: parsed.error.code, text: text.slice(0, 300) },
    });
    return { view: errorView(parsed.error) };
  }
  const allowed = authorize(actor, parsed.command, permissions);
  if (!allowed.ok) {
    await ports.audit({
      actor: actor.name,
      action: 'command.denied',
      details: { command: parsed.command.name, text: text.slice(0, 300) },
    });
    return { view: errorView(allowed.error) };
  }
  await ports.audit({
    actor: actor.name,
    action: 'command',
    subject: parsed.command.name,
    details: { text: text.slice(0, 300) },
  });
  return execute(parsed.command, actor, ports);
}
