import { describe, expect, it } from 'vitest';
import { allowedFailures, budgetExceeded, failureBudgetSchema, formatBudget, parseBudget } from './budget.js';
import type { FailureBudget } from './types.js';

function budget(text: string): FailureBudget {
  const parsed = parseBudget(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.budget;
}

describe('parseBudget', () => {
  it.each([
    ['0', { kind: 'count', count: 0 }],
    ['1', { kind: 'count', count: 1 }],
    [' 100000 ', { kind: 'count', count: 100000 }],
    ['5%', { kind: 'percent', percent: 5 }],
    ['0%', { kind: 'percent', percent: 0 }],
    ['2.5%', { kind: 'percent', percent: 2.5 }],
    ['100%', { kind: 'percent', percent: 100 }],
  ])('reads %j', (text, expected) => {
    expect(budget(text)).toEqual(expected);
  });

  it.each([
    ['', 'must be a host count like 1 or a percentage'],
    ['-1', 'must be a host count'],
    ['1.5', 'must be a host count'],
    ['5.25%', 'must be a host count'],
    ['101%', "failure budget '101%' must be between 0% and 100%"],
    ['100001', 'must be at most 100000 hosts'],
  ])('rejects %j', (text, fragment) => {
    const parsed = parseBudget(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(fragment);
  });
});

describe('formatBudget', () => {
  it('writes the text parseBudget reads', () => {
    for (const text of ['0', '3', '5%', '2.5%', '100%']) expect(formatBudget(budget(text))).toBe(text);
  });
});

describe('allowedFailures and budgetExceeded', () => {
  it('tolerates a count as is', () => {
    expect(allowedFailures(budget('1'), 1000)).toBe(1);
    expect(budgetExceeded(budget('1'), 1, 1000)).toBe(false);
    expect(budgetExceeded(budget('1'), 2, 1000)).toBe(true);
  });

  it('rounds a percentage down', () => {
    expect(allowedFailures(budget('5%'), 20)).toBe(1);
    expect(allowedFailures(budget('5%'), 39)).toBe(1);
    expect(allowedFailures(budget('5%'), 10)).toBe(0);
    expect(allowedFailures(budget('29%'), 100)).toBe(29);
    expect(budgetExceeded(budget('5%'), 1, 10)).toBe(true);
    expect(budgetExceeded(budget('5%'), 1, 20)).toBe(false);
  });

  it('halts on the first failure with a zero budget', () => {
    expect(budgetExceeded(budget('0'), 0, 5)).toBe(false);
    expect(budgetExceeded(budget('0'), 1, 5)).toBe(true);
    expect(budgetExceeded(budget('0%'), 1, 1000)).toBe(true);
  });

  it('never halts with 100%', () => {
    expect(budgetExceeded(budget('100%'), 7, 7)).toBe(false);
  });

  it('validates stored budgets with failureBudgetSchema', () => {
    expect(failureBudgetSchema.safeParse({ kind: 'count', count: 0 }).success).toBe(true);
    expect(failureBudgetSchema.safeParse({ kind: 'percent', percent: 101 }).success).toBe(false);
  });
});
