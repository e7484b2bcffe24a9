/*
 * The metrics each CVSS version defines, with their allowed values (FIRST specifications 3.1 and 4.0).
 * The calculator library is lenient (it keeps the last of two AV metrics, ignores the prefix); vectors are
 * checked against these tables first, so a malformed vector is reported instead of scored.
 */

export type MetricTable = Readonly<Record<string, readonly string[]>>;

const CIA = ['H', 'L', 'N'];
const REQUIREMENT = ['X', 'H', 'M', 'L'];

export const V3_REQUIRED = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

export const V3_METRICS: MetricTable = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: CIA,
  I: CIA,
  A: CIA,
  E: ['X', 'U', 'P', 'F', 'H'],
  RL: ['X', 'O', 'T', 'W', 'U'],
  RC: ['X', 'U', 'R', 'C'],
  CR: REQUIREMENT,
  IR: REQUIREMENT,
  AR: REQUIREMENT,
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', ...CIA],
  MI: ['X', ...CIA],
  MA: ['X', ...CIA],
};

export const V4_REQUIRED = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'] as const;

export const V4_METRICS: MetricTable = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: CIA,
  VI: CIA,
  VA: CIA,
  SC: CIA,
  SI: CIA,
  SA: CIA,
  E: ['X', 'A', 'P', 'U'],
  CR: REQUIREMENT,
  IR: REQUIREMENT,
  AR: REQUIREMENT,
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', ...CIA],
  MVI: ['X', ...CIA],
  MVA: ['X', ...CIA],
  MSC: ['X', ...CIA],
  MSI: ['X', 'S', ...CIA],
  MSA: ['X', 'S', ...CIA],
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
};

/**
 * Metric → value, in vector order, or what is wrong with the text. Metrics must be known, given once and
 * have a known value; every base metric must be there.
 */
export function splitMetrics(
  body: string,
  table: MetricTable,
  required: readonly string[],
): Map<string, string> | string {
  const metrics = new Map<string, string>();
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return `'${part.slice(0, 20)}' is not METRIC:VALUE`;
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const allowed = Object.hasOwn(table, name) ? table[name] : undefined;
    if (allowed === undefined) return `unknown metric ${name.slice(0, 12)}`;
    if (metrics.has(name)) return `${name} is given twice`;
    if (!allowed.includes(value)) return `${name}:${value.slice(0, 12)} is not a valid value`;
    metrics.set(name, value);
  }
  const missing = required.filter((name) => !metrics.has(name));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  return metrics;
}
