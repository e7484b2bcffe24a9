import { type CommandError, type CommandErrorCode, commandError } from '../command-error.js';
import { COMMAND_PREFIX, type Command, type CommandSpecs, commandNames, commandSpecs } from './commands.js';
import { shown } from './define.js';
import { didYouMean } from './suggest.js';
import { type Token, tokenize } from './tokenize.js';

export type ParseResult = { ok: true; command: Command } | { ok: false; error: CommandError };

const SELECTOR_HINT = 'selectors: all, web-01, web-*, group:NAME, tag:KEY=VALUE; join several with commas';

type Words = { positionals: string[]; flags: Record<string, string | true> };

function fail(code: CommandErrorCode, message: string, hint?: string): ParseResult {
  return { ok: false, error: commandError(code, message, hint) };
}

function usageOf(spec: CommandSpecs): string {
  return `usage: ${COMMAND_PREFIX} ${spec.usage}`;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `maxFailures` → `max-failures`: how a flag is typed (and named in Discord's options). */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Split the words after the command name into positionals and flags, as the spec declares them. */
function splitWords(spec: CommandSpecs, tokens: readonly Token[]): Words | CommandError {
  const words: Words = { positionals: [], flags: {} };
  const flagNames = spec.flags.map((key) => `--${kebabCase(key)}`);
  let flagsEnded = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const isFlag = !token.quoted && !flagsEnded && token.text.startsWith('-') && token.text.length > 1;
    if (!token.quoted && token.text === '--' && !flagsEnded) {
      flagsEnded = true;
      continue;
    }
    if (!isFlag) {
      words.positionals.push(token.text);
      continue;
    }
    const equals = token.text.indexOf('=');
    const typed = equals < 0 ? token.text : token.text.slice(0, equals);
    const key = /^--[a-z][a-z0-9-]*$/.test(typed) ? camelCase(typed.slice(2)) : '';
    if (!spec.flags.includes(key)) {
      const known =
        flagNames.length === 0 ? `${spec.name} takes no flags` : `${spec.name} has no flag '${shown(typed)}'`;
      return commandError('unknown_flag', `${known}${didYouMean(typed, flagNames)}`, usageOf(spec));
    }
    if (Object.hasOwn(words.flags, key)) {
      return commandError('duplicate_flag', `${typed} is given twice`, usageOf(spec));
    }
    if (spec.switches.includes(key)) {
      if (equals >= 0) return commandError('invalid_value', `${typed} takes no value`, usageOf(spec));
      words.flags[key] = true;
    } else if (equals >= 0) {
      words.flags[key] = token.text.slice(equals + 1);
    } else {
      const next = tokens[i + 1];
      if (next === undefined || (!next.quoted && next.text.startsWith('--'))) {
        return commandError('missing_flag_value', `${typed} needs a value`, usageOf(spec));
      }
      words.flags[key] = next.text;
      i++;
    }
  }
  return words;
}

function extraArgumentError(spec: CommandSpecs, extra: string, words: Words): CommandError {
  const count = spec.positionals.length;
  const takes =
    count === 0 ? 'takes no arguments' : `takes ${count === 1 ? 'one argument' : `${count} arguments`}`;
  // The usual slips: a reason left unquoted (its words spill over), hosts separated by spaces.
  const reason = words.flags.reason;
  const hint =
    typeof reason === 'string' && !reason.includes(' ')
      ? `put a reason of several words in quotes (--reason "waiting for the vendor fix"); ${usageOf(spec)}`
      : spec.positionals.includes('selector')
        ? `join selector items with commas, not spaces (web-01,db-01); ${usageOf(spec)}`
        : usageOf(spec);
  return commandError('extra_argument', `unexpected argument '${shown(extra)}': ${spec.name} ${takes}`, hint);
}

function validate(spec: CommandSpecs, words: Words): ParseResult {
  const raw: Record<string, unknown> = { name: spec.name, ...words.flags };
  spec.positionals.forEach((key, index) => {
    raw[key] = words.positionals[index];
  });
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return { ok: true, command: parsed.data };
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  if (raw[key] === undefined && spec.positionals.includes(key)) {
    return fail('missing_argument', `${spec.name} needs a <${kebabCase(key)}>`, usageOf(spec));
  }
  const params = issue?.code === 'custom' ? issue.params : undefined;
  const code: CommandErrorCode =
    params?.code === 'invalid_selector' || params?.code === 'unknown_command' ? params.code : 'invalid_value';
  const message = issue?.message ?? `invalid ${key}`;
  const hint =
    code === 'unknown_command'
      ? `commands: ${commandNames().join(', ')}`
      : code === 'invalid_selector'
        ? SELECTOR_HINT
        : usageOf(spec);
  return fail(code, message, hint);
}

/**
 * Parse what follows `/patch` (Slack and Discord pass only that), or a whole line starting with `/patch`
 * (the console). Never throws: any text yields a command or a CommandError to show the user.
 */
export function parseCommand(text: string): ParseResult {
  if (typeof text !== 'string') return fail('invalid_value', 'the command must be text');
  const tokenized = tokenize(text);
  if (!tokenized.ok) return tokenized;
  let tokens = tokenized.tokens;
  const first = tokens[0];
  if (first !== undefined && !first.quoted && first.text === COMMAND_PREFIX) tokens = tokens.slice(1);
  const head = tokens[0];
  // `/patch` alone asks what the bot can do.
  if (head === undefined) return { ok: true, command: { name: 'help' } };
  const name = head.text.toLowerCase();
  const spec = commandSpecs.find((candidate) => candidate.name === name);
  if (spec === undefined) {
    const typed = shown(head.text);
    const message = head.text.startsWith('/')
      ? `'${typed}' is not a patchops command; commands start with ${COMMAND_PREFIX}`
      : `unknown command '${typed}'${didYouMean(head.text, commandNames())}`;
    return fail(
      'unknown_command',
      message,
      `commands: ${commandNames().join(', ')} — try ${COMMAND_PREFIX} help`,
    );
  }
  const words = splitWords(spec, tokens.slice(1));
  if ('code' in words) return { ok: false, error: words };
  // Report problems in reading order: a bad first argument before a surplus second one.
  const validated = validate(spec, words);
  const extra = words.positionals[spec.positionals.length];
  if (validated.ok && extra !== undefined)
    return { ok: false, error: extraArgumentError(spec, extra, words) };
  return validated;
}

/** Re-exported for callers that already import the parser. */
export { commandUsages } from './commands.js';
