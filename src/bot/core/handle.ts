import type { SelectableHost } from '../../engine/inventory/selector.js';
import { resolveSelector } from '../../engine/inventory/selector.js';
import { commandError } from './command-error.js';
import type { Command } from './grammar/commands.js';
import { commandUsages, parseCommand } from './grammar/parse.js';
import { type Actor, authorize, type PermissionConfig } from './permissions.js';
import { errorView, helpView, hostsView, runsView, scanView } from './views/index.js';
import type { HostScanSummary, HostSummary, ScanRunSummary, View } from './views.js';

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
}

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
      const finished = state.run.status === 'done' || state.run.status === 'failed';
      return { view: scanView(state.run, state.hosts), ...(finished ? {} : { watch: { runId: id } }) };
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
