import { z } from 'zod';
import { parseBudget } from '../../../engine/rollouts/budget.js';
import { parseDuration } from '../../../engine/rollouts/duration.js';
import { REBOOT_POLICIES } from '../../../engine/rollouts/types.js';
import { parseWaves } from '../../../engine/rollouts/waves.js';
import { shown } from './define.js';
import { CVE_ID_PATTERN } from './risk-values.js';

/*
 * Values of the plan and rollout commands. Each is parsed into the engine's own types here, so a plan
 * is only ever made from values the engine's parsers accepted; package names are held to the Debian and
 * RPM name charset because they end up on a host's command line (quoted, and validated again there).
 */

function parsedWith<T>(
  flag: string,
  parse: (text: string) => ({ ok: true } & T) | { ok: false; message: string },
) {
  return z.string().transform((text, ctx) => {
    const parsed = parse(text);
    if (parsed.ok) return { text: text.trim(), ...parsed };
    ctx.addIssue({ code: 'custom', message: `${flag}: ${parsed.message}`, input: text });
    return z.NEVER;
  });
}

export const wavesFlag = parsedWith('--waves', parseWaves);
export const bakeFlag = parsedWith('--bake', parseDuration);
export const budgetFlag = (flag: string) => parsedWith(flag, parseBudget);

export const rebootFlag = z.enum(REBOOT_POLICIES, {
  error: (issue) => `--reboot must be never, if-required or always, not '${shown(issue.input)}'`,
});

export const windowFlag = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, {
  error: (issue) => `'${shown(issue.input)}' is not a window name (letters, digits, _ and -)`,
});

export const concurrencyFlag = z.string().transform((text, ctx) => {
  const value = /^[0-9]{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (value >= 1 && value <= 1000) return value;
  ctx.addIssue({
    code: 'custom',
    message: `--concurrency takes a whole number from 1 to 1000, not '${shown(text)}'`,
    input: text,
  });
  return z.NEVER;
});

function commaList(flag: string, max: number, pattern: RegExp, what: string, normalize = (s: string) => s) {
  return z.string().transform((text, ctx) => {
    const items = [...new Set(text.split(',').map((item) => normalize(item.trim())))];
    const wrong = items.find((item) => !pattern.test(item));
    if (wrong === undefined && items.length <= max) return items;
    ctx.addIssue({
      code: 'custom',
      message:
        wrong === undefined
          ? `${flag} takes at most ${max} items`
          : `${flag}: '${shown(wrong)}' is not ${what}`,
      input: text,
    });
    return z.NEVER;
  });
}

export const cveListFlag = commaList('--cve', 50, CVE_ID_PATTERN, 'a CVE id (CVE-2024-3094)', (s) =>
  s.toUpperCase(),
);

/** Debian and RPM package names: lower-case letters, digits and + . _ - (RPM also allows upper case). */
export const PACKAGE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/;
export const packageListFlag = commaList('--packages', 100, PACKAGE_NAME_PATTERN, 'a package name');

export const planPriorityFlag = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(
    z.enum(['P1', 'P2', 'P3', 'P4'], {
      error: (issue) =>
        `--priority takes one of P1, P2, P3, P4 (P2 means P1 and P2), not '${shown(issue.input)}'`,
    }),
  );

export const PLAN_ID_PATTERN = /^plan-[1-9][0-9]{0,11}$/;
export const ROLLOUT_ID_PATTERN = /^rollout-[1-9][0-9]{0,11}$/;

export const rolloutIdArgument = z.string().regex(ROLLOUT_ID_PATTERN, {
  error: (issue) => `'${shown(issue.input)}' is not a rollout id; they look like rollout-7`,
});

/** What approve and deny act on: a plan (plan-3) or a risk acceptance (accept-12). */
export const decisionIdArgument = z.string().regex(/^(plan|accept)-[1-9][0-9]{0,11}$/, {
  error: (issue) => `'${shown(issue.input)}' is neither a plan (plan-3) nor an acceptance (accept-12)`,
});
