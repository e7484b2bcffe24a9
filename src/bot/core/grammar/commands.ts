import { z } from 'zod';
import { defineCommand, shown } from './define.js';
import {
  acceptCommand,
  advisoriesCommand,
  approveCommand,
  cveCommand,
  denyCommand,
  findingsCommand,
} from './risk-commands.js';
import {
  abortCommand,
  overrideCommand,
  pauseCommand,
  planCommand,
  resumeCommand,
  rollbackCommand,
} from './rollout-commands.js';
import { didYouMean } from './suggest.js';
import { refreshFlag, runIdArgument, selectorArgument } from './values.js';

/*
 * The command grammar. A new command is one more `defineCommand` here (or in a topic file such as
 * risk-commands.ts), one more entry in `commandSpecs`, and a permission in ../permissions.ts (the
 * compiler asks for it).
 */

export const hostsCommand = defineCommand({
  name: 'hosts',
  usage: 'hosts [selector]',
  summary: 'List hosts with their OS, pending updates and reboot state (default: all).',
  args: { selector: selectorArgument.prefault('all') },
  positionals: ['selector'],
});

export const scanCommand = defineCommand({
  name: 'scan',
  usage: 'scan <selector> [--refresh auto|always|never]',
  summary: 'Scan hosts for available updates (--refresh: refresh package lists first).',
  args: { selector: selectorArgument, refresh: refreshFlag.default('auto') },
  positionals: ['selector'],
});

export const statusCommand = defineCommand({
  name: 'status',
  usage: 'status [run-id]',
  summary: 'Show a scan, plan or rollout (scan-42, plan-3, rollout-2), or the recent ones.',
  args: { runId: runIdArgument.optional() },
  positionals: ['runId'],
});

/** Validated against the registry when parsed, so the help command needs no list of its own. */
const helpTopic = z.string().transform((topic, ctx) => {
  const name = topic.toLowerCase();
  if (commandNames().includes(name)) return name;
  ctx.addIssue({
    code: 'custom',
    message: `no command '${shown(topic)}'${didYouMean(topic, commandNames())}`,
    params: { code: 'unknown_command' },
    input: topic,
  });
  return z.NEVER;
});

export const helpCommand = defineCommand({
  name: 'help',
  usage: 'help [command]',
  summary: 'Show the commands, or how to use one of them.',
  args: { topic: helpTopic.optional() },
  positionals: ['topic'],
});

export const commandSpecs = [
  helpCommand,
  hostsCommand,
  scanCommand,
  statusCommand,
  findingsCommand,
  cveCommand,
  advisoriesCommand,
  acceptCommand,
  planCommand,
  approveCommand,
  denyCommand,
  pauseCommand,
  resumeCommand,
  abortCommand,
  rollbackCommand,
  overrideCommand,
] as const;

export type CommandSpecs = (typeof commandSpecs)[number];
export type Command = z.output<CommandSpecs['schema']>;
export type CommandName = Command['name'];

export function commandNames(): string[] {
  return commandSpecs.map((spec) => spec.name);
}

export const COMMAND_PREFIX = '/patch';

export interface CommandUsage {
  name: CommandName;
  usage: string;
  summary: string;
}

/** Usage lines for help and error hints, with the prefix a user types. */
export const commandUsages: readonly CommandUsage[] = commandSpecs.map((spec) => ({
  name: spec.name,
  usage: `${COMMAND_PREFIX} ${spec.usage}`,
  summary: spec.summary,
}));
