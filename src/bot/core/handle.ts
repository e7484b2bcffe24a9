import type { SelectableHost } from '../../engine/inventory/selector.js';
import { resolveSelector } from '../../engine/inventory/selector.js';
import { commandError } from './command-error.js';
import type { Command } from './grammar/commands.js';
import { commandUsages, parseCommand } from './grammar/parse.js';
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
  runsView,
  scanView,
} from './views/index.js';
import {
  type HostScanSummary,
  type HostSummary,
  isFinishedRun,
  type ScanRunSummary,
  type View,
} from './views.js';
import type { AcceptanceSummary, CveDetail, FeedStatus, FindingSummary } from './views-risk.js';

/** What the core needs from the outside world; the app implements it over Postgres and the queues. */
export interface BotPorts<H extends SelectableHost = SelectableHost> {
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

export interface Reply {
  view: View;
  /** The reply shows a run that is still going: the adapter keeps the message live until it finishes. */
  watch?: { runId: number };
}

function runNumber(runId: string): number | undefined {
  const match = /^scan-(\d+)$/.exec(runId);
  return match ? Number(match[1]) : undefined;
}

async function execute<H extends SelectableHost>(
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
      return { view: scanView(state?.run ?? run, state?.hosts ?? []), watch: { runId } };
    }
    case 'status': {
      if (!command.runId) return { view: runsView(await ports.recentRuns()) };
      const id = runNumber(command.runId);
      const state = id === undefined ? undefined : await ports.scanRun(id);
      if (!state || id === undefined) {
        return {
          view: errorView(
            commandError('invalid_value', `no run '${command.runId}'`, 'see /patch status for recent runs'),
          ),
        };
      }
      return {
        view: scanView(state.run, state.hosts),
        ...(isFinishedRun(state.run) ? {} : { watch: { runId: id } }),
      };
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
      const id = Number(command.acceptanceId.slice('accept-'.length));
      const acceptance = await ports.acceptance(id);
      if (!acceptance)
        return { view: errorView(commandError('invalid_value', `no acceptance '${command.acceptanceId}'`)) };
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
              commandError('invalid_value', `${command.acceptanceId} changed; try again`),
          ),
        };
      return { view: acceptanceView(current ?? acceptance) };
    }
  }
}

/** One command from any adapter: parse, authorize, execute, audit. Never throws for bad input. */
export async function handleCommand<H extends SelectableHost>(
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
