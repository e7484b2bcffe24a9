import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { type CommandSpecs, commandSpecs } from '../../core/grammar/commands.js';
import { kebabCase } from '../../core/grammar/parse.js';
import { quoteArgument } from '../../core/grammar/quote.js';

/*
 * `/patch` as a Discord application command: one subcommand per command of the grammar, one option per
 * argument and flag, all derived from the grammar so the two cannot drift. Option values come back as
 * typed words (quoted), and the grammar parses and validates them exactly as typed text.
 */

export const COMMAND_NAME = 'patch';

const POSITIONAL_HELP: Record<string, string> = {
  selector: 'Hosts: all, web-01, web-*, group:web, tag:env=prod',
  runId: 'scan-42, plan-3 or rollout-2',
  rolloutId: 'A rollout, e.g. rollout-2',
  topic: 'A command name',
};

/** Discord allows 100 characters for a description. */
const fitDescription = (text: string) => (text.length <= 100 ? text : `${text.slice(0, 99)}…`);

/** What the usage line shows after a flag (`--waves 1,10%,50%,100%` → `1,10%,50%,100%`). */
function flagExample(spec: CommandSpecs, flag: string): string | undefined {
  const match = new RegExp(`--${flag}(?: ([^\\]\\[]+?))?\\]?(?: \\[|$)`).exec(spec.usage);
  return match?.[1]?.trim();
}

function isRequired(spec: CommandSpecs, key: string): boolean {
  const shape = spec.schema.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  return shape[key]?.safeParse(undefined).success === false;
}

function optionOf(spec: CommandSpecs, key: string): APIApplicationCommandBasicOption {
  const name = kebabCase(key);
  const required = isRequired(spec, key);
  if (spec.switches.includes(key)) {
    return {
      type: ApplicationCommandOptionType.Boolean,
      name,
      description: fitDescription(`--${name}`),
      required,
    };
  }
  const example = flagExample(spec, name);
  const description = spec.positionals.includes(key)
    ? (POSITIONAL_HELP[key] ?? name)
    : `--${name}${example ? ` ${example}` : ''}`;
  return {
    type: ApplicationCommandOptionType.String,
    name,
    description: fitDescription(description),
    required,
  };
}

/** The `/patch` command to register (PUT /applications/{id}/commands). */
export function patchCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: COMMAND_NAME,
    description: 'Patch servers: scan, plan, approve, roll out, roll back',
    // Roles decide who may do what: only in servers, never in DMs or where the app is user-installed.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: commandSpecs.map((spec) => {
      const keys = [...spec.positionals, ...spec.flags];
      const options = keys.map((key) => optionOf(spec, key));
      // Discord wants required options first; positionals keep their order among themselves.
      options.sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
      return {
        type: ApplicationCommandOptionType.Subcommand,
        name: spec.name,
        description: fitDescription(spec.summary),
        options,
      };
    }),
  };
}

/** An option of an interaction, as the API sends it and as discord.js hands it on. */
export interface InteractionOption {
  type: number;
  name: string;
  value?: string | number | boolean | null;
  options?: readonly InteractionOption[] | null;
}

/**
 * The typed command a `/patch <subcommand>` interaction stands for, e.g. `plan 'web-*' --waves '1,50%'`.
 * Undefined when it is not one of ours; the grammar validates everything else.
 */
export function commandText(options: readonly InteractionOption[] | undefined): string | undefined {
  const sub = options?.[0];
  if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) return undefined;
  const spec = commandSpecs.find((s) => s.name === sub.name);
  if (!spec) return undefined;
  const given = new Map((sub.options ?? []).map((o) => [o.name, o.value ?? undefined]));
  const words: string[] = [spec.name];
  for (const key of spec.positionals) {
    const value = given.get(kebabCase(key));
    if (value !== undefined) words.push(quoteArgument(String(value)));
  }
  for (const key of spec.flags) {
    const value = given.get(kebabCase(key));
    if (value === undefined || value === false) continue;
    words.push(
      value === true ? `--${kebabCase(key)}` : `--${kebabCase(key)} ${quoteArgument(String(value))}`,
    );
  }
  return words.join(' ');
}
