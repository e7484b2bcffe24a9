export type { CommandError, CommandErrorCode } from '../command-error.js';
export {
  COMMAND_PREFIX,
  type Command,
  type CommandName,
  type CommandUsage,
  commandNames,
  commandSpecs,
  commandUsages,
} from './commands.js';
export { type ParseResult, parseCommand } from './parse.js';
export { promptedCommand, quoteArgument } from './quote.js';
export { MAX_ARGUMENT_LENGTH, MAX_INPUT_LENGTH } from './tokenize.js';
