import { z } from 'zod';
import { isIsoDay } from '../../../engine/prioritize/dates.js';
import { PRIORITIES, type Priority } from '../../../engine/prioritize/types.js';
import { shown } from './define.js';

/*
 * Values of the findings and risk-acceptance commands. Ids are parsed to one canonical spelling; the one
 * free-text value (a reason) is held to plain words and punctuation, because it is shown in cards.
 */

export const CVE_ID_PATTERN = /^CVE-\d{4}-\d{4,}$/;

/** `CVE-2024-3094`, also typed in lower case; always upper case after parsing. */
export const cveIdArgument = z.string().transform((text, ctx) => {
  const id = text.toUpperCase();
  if (CVE_ID_PATTERN.test(id)) return id;
  ctx.addIssue({
    code: 'custom',
    message: `'${shown(text)}' is not a CVE id; CVE ids look like CVE-2024-3094`,
    input: text,
  });
  return z.NEVER;
});

/** Acceptance ids are a run-like id of kind `accept`: accept-12. */
export const ACCEPTANCE_ID_PATTERN = /^accept-[1-9][0-9]{0,11}$/;

export const acceptanceIdArgument = z.string().regex(ACCEPTANCE_ID_PATTERN, {
  error: (issue) => `'${shown(issue.input)}' is not an acceptance id; they look like accept-12`,
});

/** `P1`, `p1,p2`: the priorities to show, most urgent first, each once. */
export const priorityListFlag = z.string().transform((text, ctx): Priority[] => {
  const typed = text.split(',').map((item) => item.trim());
  const items = typed.map((item) => item.toUpperCase());
  const wrongAt = items.findIndex((item) => !(PRIORITIES as readonly string[]).includes(item));
  if (wrongAt < 0) return PRIORITIES.filter((p) => items.includes(p));
  const wrong = typed[wrongAt];
  ctx.addIssue({
    code: 'custom',
    message: `--priority takes P1, P2, P3 or P4, several joined by commas (P1,P2), not '${shown(wrong || text)}'`,
    input: text,
  });
  return z.NEVER;
});

export const MAX_FINDINGS_LIMIT = 1000;

export const limitFlag = z.string().transform((text, ctx) => {
  const limit = /^[0-9]{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (limit >= 1 && limit <= MAX_FINDINGS_LIMIT) return limit;
  ctx.addIssue({
    code: 'custom',
    message: `--limit takes a whole number from 1 to ${MAX_FINDINGS_LIMIT}, not '${shown(text)}'`,
    input: text,
  });
  return z.NEVER;
});

/** A calendar day; whether it lies in the future is the handler's business (it knows the clock). */
export const untilFlag = z
  .string({ error: '--until is required: the last day the acceptance holds, as YYYY-MM-DD' })
  .refine(isIsoDay, {
    error: (issue) => `--until takes a date as YYYY-MM-DD, e.g. 2025-06-30, not '${shown(issue.input)}'`,
  });

export const REASON_MIN_LENGTH = 3;
/** Typed reasons also meet the tokenizer's 256-character cap per argument. */
export const REASON_MAX_LENGTH = 300;

/**
 * Letters of any script, digits, spaces and sentence punctuation. Left out: `<`, `>`, `@`, backticks,
 * `|`, `\`, `{}`, `$`, which chat platforms read as mentions, links or markup.
 */
export const REASON_PATTERN = /^[\p{L}\p{M}\p{N} .,;:!?'"()[\]/#%+\-_=&*~€£]+$/u;

export const reasonFlag = z
  .string({
    error: '--reason is required: say why, in 3 to 300 characters, e.g. --reason "vendor fix due in Q3"',
  })
  .transform((text) => text.trim().replace(/ {2,}/g, ' '))
  .refine((text) => [...text].length >= REASON_MIN_LENGTH, {
    error: `--reason must be at least ${REASON_MIN_LENGTH} characters`,
  })
  .refine((text) => [...text].length <= REASON_MAX_LENGTH, {
    error: `--reason must be at most ${REASON_MAX_LENGTH} characters`,
  })
  .refine((text) => REASON_PATTERN.test(text), {
    error: (issue) => {
      const bad = [...String(issue.input)].find((char) => !REASON_PATTERN.test(char)) ?? '';
      return `--reason may hold letters, digits, spaces and punctuation, not '${bad}'`;
    },
  });
