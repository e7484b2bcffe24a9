import type { CommandError } from '../command-error.js';
import type { Command } from './commands.js';
import { parseCommand } from './parse.js';

/** For grammar tests: the command that `text` parses to, or a failure that shows why it did not. */
export function accept(text: string): Command {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`expected '${text}' to parse: ${result.error.message}`);
  return result.command;
}

/** For grammar tests: the error `text` is refused with, or a failure showing what it parsed to instead. */
export function reject(text: string): CommandError {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected '${text}' to fail, got ${JSON.stringify(result.command)}`);
  return result.error;
}
