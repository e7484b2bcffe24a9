/**
 * Percentages with at most one decimal ("2.5%"), shared by wave sizes and failure budgets. Arithmetic runs
 * on tenths of a percent so "floor" is exact: 29% of 100 is 29, where floating point would give 28.
 */

const PERCENT_SHAPE = /^(\d{1,3}(?:\.\d)?)%$/;

/** The number before the `%`, or null when the text is not a percentage with at most one decimal. */
export function readPercent(text: string): number | null {
  const match = PERCENT_SHAPE.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** floor(total × percent / 100), computed without floating-point error. */
export function percentOf(percent: number, total: number): number {
  const tenths = Math.round(percent * 10);
  return Math.floor((tenths * total) / 1000);
}

export function formatPercent(percent: number): string {
  return `${Math.round(percent * 10) / 10}%`;
}
