import { z } from 'zod';
import { formatPercent, percentOf, readPercent } from './percent.js';
import type { FailureBudget } from './types.js';

export const MAX_BUDGET_COUNT = 100_000;

/** A stored budget (a rollout's JSON column), checked when read back. */
export const failureBudgetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), count: z.int().min(0).max(MAX_BUDGET_COUNT) }),
  z.object({ kind: z.literal('percent'), percent: z.number().min(0).max(100) }),
]);

export type ParsedBudget = { ok: true; budget: FailureBudget } | { ok: false; message: string };

/** `--max-failures 0`, `1` or `5%`. */
export function parseBudget(text: string): ParsedBudget {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count > MAX_BUDGET_COUNT)
      return { ok: false, message: `failure budget '${trimmed}' must be at most ${MAX_BUDGET_COUNT} hosts` };
    return { ok: true, budget: { kind: 'count', count } };
  }
  const percent = readPercent(trimmed);
  if (percent === null)
    return {
      ok: false,
      message: `failure budget '${trimmed}' must be a host count like 1 or a percentage like 5% or 2.5%`,
    };
  if (percent > 100) return { ok: false, message: `failure budget '${trimmed}' must be between 0% and 100%` };
  return { ok: true, budget: { kind: 'percent', percent } };
}

export function formatBudget(budget: FailureBudget): string {
  return budget.kind === 'count' ? String(budget.count) : formatPercent(budget.percent);
}

/** How many hosts of `population` may fail; a percentage rounds down, so 5% of 10 hosts tolerates none. */
export function allowedFailures(budget: FailureBudget, population: number): number {
  return budget.kind === 'count' ? budget.count : percentOf(budget.percent, population);
}

export function budgetExceeded(budget: FailureBudget, failures: number, population: number): boolean {
  return failures > allowedFailures(budget, population);
}
