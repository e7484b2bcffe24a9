/** Distribution ratings reduced to one scale, most severe first. */
export const DISTRIBUTION_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type DistributionSeverity = (typeof DISTRIBUTION_SEVERITIES)[number];

/*
 * Each distribution has its own words: Debian unimportant/low/medium/high (with "**" when the tracker is
 * unsure), Ubuntu negligible..critical, Red Hat and SUSE Low/Moderate/Important/Critical.
 */
const WORDS: Record<string, DistributionSeverity> = {
  critical: 'critical',
  urgent: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
};

/** The rating on the common scale, or null for "not yet assigned", "unknown" and anything unheard of. */
export function normalizeDistributionSeverity(
  rating: string | null | undefined,
): DistributionSeverity | null {
  if (!rating) return null;
  const word = rating
    .toLowerCase()
    .replace(/[*\s]+/g, '')
    .trim();
  return Object.hasOwn(WORDS, word) ? (WORDS[word] ?? null) : null;
}

/** True when `severity` is `threshold` or more severe. */
export function atLeast(severity: DistributionSeverity, threshold: DistributionSeverity): boolean {
  return DISTRIBUTION_SEVERITIES.indexOf(severity) <= DISTRIBUTION_SEVERITIES.indexOf(threshold);
}
