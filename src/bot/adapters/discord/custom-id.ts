import { z } from 'zod';
import { COMMAND_PREFIX, commandNames } from '../../core/grammar/commands.js';
import type { Button } from '../../core/views.js';

/*
 * A button's custom_id: `patchops:<kind>:<verb>:<args>`, at most 100 characters (Discord's limit).
 * `kind` is `run` (the click runs the command) or `ask-<flag>` (the click first asks for the flag's value,
 * e.g. `ask-reason` for Deny). The id comes back from Discord in an interaction, so decoding is strict:
 * a known verb, plain unquoted arguments, nothing else. The decoded command is still parsed and authorized
 * like typed text; this only keeps junk out. A command that does not fit is never truncated: it has no id.
 */

export const CUSTOM_ID_PREFIX = 'patchops';
export const MAX_CUSTOM_ID_LENGTH = 100;

/** One argument as typed without quotes: selectors (`web-*`, `group:web`, `tag:env=prod`), ids, flags. */
const ARG = '[A-Za-z0-9._,*?:=@/+-]+';
const ARGS_PATTERN = new RegExp(`^(?:${ARG}(?: ${ARG})*)?$`);
const FLAG_NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;

const customIdSchema = z
  .string()
  .max(MAX_CUSTOM_ID_LENGTH)
  .regex(/^patchops:(?:run|ask-[a-z][a-z0-9-]{0,29}):[a-z]{1,20}:/);

export interface DecodedCustomId {
  /** The command without the `/patch` prefix, e.g. `deny plan-3`. */
  command: string;
  /** The click must ask for this flag's value first (a modal); `label` is a generic one for the flag. */
  prompt?: { flag: string; label: string };
}

/** The command as the grammar sees it, without a leading `/patch ` (exact: nothing else is trimmed). */
function withoutPrefix(command: string): string {
  return command.startsWith(`${COMMAND_PREFIX} `) ? command.slice(COMMAND_PREFIX.length + 1) : command;
}

function isVerb(verb: string): boolean {
  return commandNames().includes(verb);
}

/** `--reason` → `Reason`: the modal's label when a prompt comes back from an id. */
function flagLabel(name: string): string {
  const words = name.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The custom_id for a button, or undefined when its command cannot be carried whole in 100 characters. */
export function encodeCustomId(button: Pick<Button, 'command' | 'prompt'>): string | undefined {
  const text = withoutPrefix(button.command);
  const space = text.indexOf(' ');
  const verb = space < 0 ? text : text.slice(0, space);
  const args = space < 0 ? '' : text.slice(space + 1);
  if (!isVerb(verb) || !ARGS_PATTERN.test(args)) return undefined;
  let kind = 'run';
  if (button.prompt) {
    const flag = button.prompt.flag;
    const name = flag.startsWith('--') ? flag.slice(2) : '';
    if (!FLAG_NAME_PATTERN.test(name)) return undefined;
    kind = `ask-${name}`;
  }
  const id = `${CUSTOM_ID_PREFIX}:${kind}:${verb}:${args}`;
  return id.length <= MAX_CUSTOM_ID_LENGTH ? id : undefined;
}

/** The command behind a custom_id from Discord, or undefined for a malformed or foreign one. */
export function decodeCustomId(id: unknown): DecodedCustomId | undefined {
  const parsed = customIdSchema.safeParse(id);
  if (!parsed.success) return undefined;
  const [, kind = '', verb = '', ...tail] = parsed.data.split(':');
  const args = tail.join(':');
  if (!isVerb(verb) || !ARGS_PATTERN.test(args)) return undefined;
  const command = args === '' ? verb : `${verb} ${args}`;
  if (kind === 'run') return { command };
  const name = kind.slice('ask-'.length);
  return { command, prompt: { flag: `--${name}`, label: flagLabel(name) } };
}
