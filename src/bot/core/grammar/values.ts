import { z } from 'zod';
import { parseSelector } from '../../../engine/inventory/selector.js';
import { shown } from './define.js';

/** A selector as typed in chat; validated to the selector grammar, which admits no shell syntax. */
export const selectorArgument = z.string().transform((text, ctx) => {
  const parsed = parseSelector(text);
  if (parsed.ok) return parsed.selector;
  ctx.addIssue({
    code: 'custom',
    message: parsed.error.message,
    params: { code: 'invalid_selector' },
    input: text,
  });
  return z.NEVER;
});

/** Run ids are a kind and a number: scan-42, plan-3, rollout-7. */
export const RUN_ID_PATTERN = /^[a-z]{1,16}-[1-9][0-9]{0,11}$/;

export const runIdArgument = z.string().regex(RUN_ID_PATTERN, {
  error: (issue) => `'${shown(issue.input)}' is not a run id; run ids look like scan-42`,
});

export const REFRESH_MODES = ['auto', 'always', 'never'] as const;

export const refreshFlag = z.enum(REFRESH_MODES, {
  error: (issue) => `--refresh must be auto, always or never, not '${shown(issue.input)}'`,
});
