import type { AdvisorySeverity } from '../../types.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from './schema.js';

const cvssV3Vector = /^CVSS:3\.[01]\/\S+$/;
const cvssV4Vector = /^CVSS:4\.0\/\S+$/;
/** Red Hat style rating that AlmaLinux and Rocky put at the start of the summary. */
const summaryRating = /^(Critical|Important|Moderate|Low):\s/;

/**
 * CVSS vectors and the distribution's own rating. Record-level severity wins; per-package severity (OSV
 * allows either) fills in when the record has none. The distribution rating is looked for where each
 * distribution puts it: `severity` of type "Ubuntu" (Ubuntu priority), `ecosystem_specific.urgency`
 * (Debian), `ecosystem_specific.ubuntu_priority` (older Ubuntu records), `database_specific.severity`
 * (AlmaLinux, Rocky, others), and last the "Important: ..." prefix of AlmaLinux and Rocky summaries.
 */
export function extractSeverity(
  record: OsvRecord,
  affected: readonly OsvAffected[],
  warn: (message: string) => void,
): AdvisorySeverity {
  const scores = [...record.severity, ...affected.flatMap((entry) => entry.severity)];
  const severity: AdvisorySeverity = {};
  const cvssV3 = firstVector(scores, 'CVSS_V3', cvssV3Vector, warn);
  const cvssV4 = firstVector(scores, 'CVSS_V4', cvssV4Vector, warn);
  const distribution =
    scores.find((score) => score.type === 'Ubuntu')?.score ??
    affected.map(packageSeverity).find((rating) => rating !== undefined) ??
    textField(record.database_specific, 'severity') ??
    summaryRating.exec(record.summary ?? '')?.[1];
  if (cvssV3) severity.cvssV3 = cvssV3;
  if (cvssV4) severity.cvssV4 = cvssV4;
  if (distribution) severity.distribution = distribution;
  return severity;
}

/** The rating a feed gives one package in one release, when it gives one. */
export function packageSeverity(entry: OsvAffected): string | undefined {
  return (
    textField(entry.ecosystem_specific, 'urgency') ??
    textField(entry.ecosystem_specific, 'ubuntu_priority') ??
    textField(entry.ecosystem_specific, 'severity') ??
    textField(entry.database_specific, 'severity')
  );
}

function firstVector(
  scores: readonly OsvSeverity[],
  type: string,
  shape: RegExp,
  warn: (message: string) => void,
): string | undefined {
  for (const score of scores) {
    if (score.type !== type) continue;
    const vector = score.score.trim();
    if (shape.test(vector)) return vector;
    warn(`${type} score is not a vector: ${JSON.stringify(score.score.slice(0, 80))}`);
  }
  return undefined;
}

function textField(object: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
