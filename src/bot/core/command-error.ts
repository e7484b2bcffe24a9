/**
 * What the user did wrong, said so they can fix it: a short message, and a hint (usually the usage line).
 * Shown ephemerally, only to the person who typed the command.
 */
export type CommandErrorCode =
  | 'too_long'
  | 'control_character'
  | 'unterminated_quote'
  | 'argument_too_long'
  | 'unknown_command'
  | 'unknown_flag'
  | 'duplicate_flag'
  | 'missing_flag_value'
  | 'missing_argument'
  | 'extra_argument'
  | 'invalid_value'
  | 'invalid_selector'
  | 'forbidden'
  /** The state of things refuses it: a scan too old to plan from, nothing to patch, a rollout running. */
  | 'stale_scan'
  | 'nothing_to_patch'
  | 'conflict'
  /** Not the user's doing: our side failed, or the chat platform cannot show the answer where asked. */
  | 'internal'
  | 'not_in_channel';

export interface CommandError {
  code: CommandErrorCode;
  message: string;
  hint?: string;
}

export function commandError(code: CommandErrorCode, message: string, hint?: string): CommandError {
  return hint === undefined ? { code, message } : { code, message, hint };
}
