import type { CommandError } from '../command-error.js';
import type { View } from '../views.js';

/** A problem with what someone typed or clicked: shown only to them. */
export function errorView(error: CommandError): View {
  const data = error.hint === undefined ? { code: error.code, message: error.message } : { ...error };
  return {
    kind: 'error',
    error: data,
    title: error.message,
    tone: 'error',
    ephemeral: true,
    blocks: error.hint === undefined ? [] : [{ type: 'text', text: error.hint, muted: true }],
  };
}
