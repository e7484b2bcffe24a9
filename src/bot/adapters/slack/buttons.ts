import { z } from 'zod';
import type { Button } from '../../core/views.js';
import { LIMITS } from './limits.js';

/*
 * A button's `value` carries the typed command it stands for, so a click needs no server-side state:
 * `{"c": command, "p": prompt flag, "l": prompt label}`. It comes back from Slack, so it is parsed as
 * untrusted input; the command in it is then parsed and authorized like typed text.
 */

const buttonValueSchema = z
  .object({
    c: z.string().trim().min(1),
    p: z.string().min(1).optional(),
    l: z.string().min(1).optional(),
  })
  .strict()
  .refine((v) => (v.p === undefined) === (v.l === undefined), { message: 'p and l go together' });

/** JSON that came back from Slack (a button value, a modal's metadata), checked; undefined if malformed. */
export function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface ButtonAction {
  command: string;
  prompt?: { flag: string; label: string };
}

/** The JSON `value` of a button, or undefined when it would be over Slack's limit (never cut a command). */
export function buttonValue(button: Button): string | undefined {
  const value = JSON.stringify({
    c: button.command,
    ...(button.prompt ? { p: button.prompt.flag, l: button.prompt.label } : {}),
  });
  return value.length <= LIMITS.buttonValue ? value : undefined;
}

/** The command (and prompt) a clicked button stands for; undefined for anything malformed. */
export function parseButtonValue(value: string): ButtonAction | undefined {
  if (typeof value !== 'string' || value.length > LIMITS.buttonValue) return undefined;
  const parsed = parseJson(value, buttonValueSchema);
  if (!parsed) return undefined;
  const { c, p, l } = parsed;
  return p !== undefined && l !== undefined ? { command: c, prompt: { flag: p, label: l } } : { command: c };
}
