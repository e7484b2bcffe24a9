import type { CvssFacts } from './cvss.js';
import type { Criticality, Exposure, Reason, ReasonCode } from './types.js';

/*
 * Reason weights order the summary line: exploitation evidence first, then severity, then the host. The
 * numbers only need to sort; the ranges are kept apart so a context note never outranks a fact.
 */
const WEIGHT = {
  kev: 100,
  exploitReported: 90,
  epssActive: 85,
  epssHigh: 80,
  exploitPoc: 75,
  internet: 60,
  criticalHost: 55,
  distroSeverityAlone: 50,
  cvssInvalid: 35,
  automatable: 32,
  totalImpact: 30,
  distroSeverity: 25,
  noFix: 20,
  exposure: 15,
  criticality: 12,
  epssLow: 10,
  untagged: 8,
  ransomwarePriority: 6,
  cvssMissing: 5,
  kevFloor: 4,
  dueCapped: 3,
} as const;

function reason(code: ReasonCode, text: string, weight: number): Reason {
  return { code, text, weight };
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** Two significant digits, never exponent notation: 0.94, 0.001, 0.00043. */
export function formatProbability(probability: number): string {
  const rounded = Number(probability.toPrecision(2));
  return rounded >= 1e-6 || rounded === 0 ? String(rounded) : rounded.toFixed(8).replace(/0+$/, '');
}

/** "0.94 (99th pct)": percentiles are cut down, so 0.999 is the 99th, never the 100th. */
export function epssValue(epss: { probability: number; percentile: number }): string {
  const percentile = Math.max(0, Math.min(100, Math.floor(epss.percentile * 100 + 1e-9)));
  return `${formatProbability(epss.probability)} (${ordinal(percentile)} pct)`;
}

/** "EPSS 0.94 (99th pct)" */
export function epssText(epss: { probability: number; percentile: number }): string {
  return `EPSS ${epssValue(epss)}`;
}

export function kevReason(kev: { dateAdded: string; knownRansomware: boolean }): Reason {
  return kev.knownRansomware
    ? reason('kev-ransomware', `KEV since ${kev.dateAdded} (ransomware)`, WEIGHT.kev)
    : reason('kev', `KEV since ${kev.dateAdded}`, WEIGHT.kev);
}

export function epssReason(
  epss: { probability: number; percentile: number },
  level: 'active' | 'poc' | 'low',
): Reason {
  if (level === 'low') return reason('epss', epssText(epss), WEIGHT.epssLow);
  return reason('epss-high', epssText(epss), level === 'active' ? WEIGHT.epssActive : WEIGHT.epssHigh);
}

export function exploitMaturityReason(cvss: CvssFacts): Reason | undefined {
  const metric = /\/E:([A-Z])/.exec(cvss.vector)?.[1] ?? '';
  if (cvss.exploitMaturity === 'attacked') {
    return reason('exploit-reported', `exploitation reported (CVSS E:${metric})`, WEIGHT.exploitReported);
  }
  if (cvss.exploitMaturity === 'poc') {
    return reason('exploit-poc', `exploit code public (CVSS E:${metric})`, WEIGHT.exploitPoc);
  }
  return undefined;
}

/** "CVSS 9.8 network", "CVSS 9.3 network (v4)": heavier as the score rises (40 to 70). */
export function cvssReason(cvss: CvssFacts): Reason {
  const version = cvss.version === '4.0' ? ' (v4)' : '';
  return reason(
    'cvss',
    `CVSS ${cvss.score.toFixed(1)} ${cvss.attackVector}${version}`,
    Math.round(400 + cvss.score * 30) / 10,
  );
}

export function invalidCvssReason(family: 'v3' | 'v4', error: string): Reason {
  return reason('cvss-invalid', `invalid CVSS vector (${family}: ${error})`, WEIGHT.cvssInvalid);
}

export function missingCvssReason(): Reason {
  return reason('cvss-missing', 'no CVSS vector', WEIGHT.cvssMissing);
}

export function distroSeverityReason(severity: string, alone: boolean): Reason {
  return reason(
    'distro-severity',
    `distro severity ${severity}`,
    alone ? WEIGHT.distroSeverityAlone : WEIGHT.distroSeverity,
  );
}

export function automatableReason(): Reason {
  return reason('automatable', 'automatable', WEIGHT.automatable);
}

export function totalImpactReason(source: 'cvss' | 'distro'): Reason {
  const text = source === 'cvss' ? 'total technical impact' : 'total impact assumed (distro severity)';
  return reason('total-impact', text, WEIGHT.totalImpact);
}

const EXPOSURE_TEXT: Record<Exposure, string> = {
  internet: 'internet-facing',
  internal: 'internal',
  isolated: 'isolated',
};

const CRITICALITY_TEXT: Record<Criticality, string> = {
  high: 'critical host',
  medium: 'medium-criticality host',
  low: 'low-criticality host',
};

function untagged(tag: string, value: string | undefined, assumed: string): string {
  return value === undefined
    ? `no ${tag} tag (${assumed} assumed)`
    : `${tag} '${value.slice(0, 20)}' not in policy (${assumed} assumed)`;
}

export function exposureReason(exposure: Exposure, tagged: boolean, tag: string, value?: string): Reason {
  if (!tagged) return reason('exposure-untagged', untagged(tag, value, exposure), WEIGHT.untagged);
  const weight = exposure === 'internet' ? WEIGHT.internet : WEIGHT.exposure;
  return reason('exposure', EXPOSURE_TEXT[exposure], weight);
}

export function criticalityReason(
  criticality: Criticality,
  tagged: boolean,
  tag: string,
  value?: string,
): Reason {
  if (!tagged) return reason('criticality-untagged', untagged(tag, value, criticality), WEIGHT.untagged);
  const weight = criticality === 'high' ? WEIGHT.criticalHost : WEIGHT.criticality;
  return reason('criticality', CRITICALITY_TEXT[criticality], weight);
}

export function noFixReason(): Reason {
  return reason('no-fix', 'no fix yet', WEIGHT.noFix);
}

export function kevFloorReason(priority: string): Reason {
  return reason('kev-floor', `raised to ${priority}: in KEV`, WEIGHT.kevFloor);
}

export function ransomwarePriorityReason(priority: string): Reason {
  return reason('ransomware-priority', `${priority}: known ransomware use`, WEIGHT.ransomwarePriority);
}

export function dueCappedReason(kevDue: string): Reason {
  return reason('due-capped-by-kev', `due by KEV date ${kevDue}`, WEIGHT.dueCapped);
}

/** Heaviest first; equal weights keep the order they were found in. */
export function byWeight(reasons: readonly Reason[]): Reason[] {
  return reasons
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.weight - a.item.weight || a.index - b.index)
    .map(({ item }) => item);
}

export function summaryLine(sorted: readonly Reason[], maxReasons: number): string {
  return sorted
    .slice(0, maxReasons)
    .map((r) => r.text)
    .join(', ');
}
