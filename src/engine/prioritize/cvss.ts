import calculator from 'ae-cvss-calculator';
import { splitMetrics, V3_METRICS, V3_REQUIRED, V4_METRICS, V4_REQUIRED } from './cvss-metrics.js';
import type { CvssSeverity } from './types.js';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = calculator;

export type CvssVersion = '3.0' | '3.1' | '4.0';
export type AttackVector = 'network' | 'adjacent' | 'local' | 'physical';
/** CVSS exploit maturity (v3 E, v4 E), reduced to what SSVC Exploitation can use. */
export type ExploitMaturity = 'attacked' | 'poc' | 'unreported';

/** What prioritization needs from one vector; computed once per distinct vector. */
export interface CvssFacts {
  version: CvssVersion;
  vector: string;
  /** Base score: CVSS-B for v4, the base score for v3 (threat and temporal metrics do not change it). */
  score: number;
  severity: CvssSeverity;
  attackVector: AttackVector;
  /** AV:N, AC:L, PR:N, UI:N (and AT:N in v4): every step of the attack can be scripted; v4 AU wins. */
  automatable: boolean;
  /** High confidentiality and integrity impact: the attacker can read and change what the software can. */
  totalImpact: boolean;
  exploitMaturity: ExploitMaturity | null;
}

export type CvssReading = { ok: true; cvss: CvssFacts } | { ok: false; vector: string; error: string };

const ATTACK_VECTORS: Record<string, AttackVector> = {
  N: 'network',
  A: 'adjacent',
  L: 'local',
  P: 'physical',
};

const V3_MATURITY: Record<string, ExploitMaturity | null> = {
  X: null,
  U: 'unreported',
  P: 'poc',
  F: 'poc',
  H: 'poc',
};
const V4_MATURITY: Record<string, ExploitMaturity | null> = {
  X: null,
  U: 'unreported',
  P: 'poc',
  A: 'attacked',
};

export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

function baseScore(version: CvssVersion, vector: string): number | undefined {
  if (version === '4.0') {
    const scores = new Cvss4P0(vector).calculateScores();
    return scores.baseMetricsOnly ?? scores.base;
  }
  const cvss = version === '3.0' ? new Cvss3P0(vector) : new Cvss3P1(vector);
  return cvss.calculateScores().base;
}

function facts(version: CvssVersion, vector: string, metrics: Map<string, string>): CvssFacts | string {
  const score = baseScore(version, vector);
  if (score === undefined || !Number.isFinite(score) || score < 0 || score > 10) return 'no base score';
  const v4 = version === '4.0';
  const scriptable =
    metrics.get('AV') === 'N' &&
    metrics.get('AC') === 'L' &&
    metrics.get('PR') === 'N' &&
    metrics.get('UI') === 'N' &&
    (!v4 || metrics.get('AT') === 'N');
  // CVSS 4.0's supplemental Automatable metric is SSVC's own decision point: when given, it decides.
  const declared = v4 ? metrics.get('AU') : undefined;
  const automatable = declared === 'Y' ? true : declared === 'N' ? false : scriptable;
  const confidentiality = metrics.get(v4 ? 'VC' : 'C');
  const integrity = metrics.get(v4 ? 'VI' : 'I');
  const maturity = metrics.get('E') ?? 'X';
  return {
    version,
    vector,
    score,
    severity: severityOf(score),
    attackVector: ATTACK_VECTORS[metrics.get('AV') ?? 'N'] ?? 'network',
    automatable,
    totalImpact: confidentiality === 'H' && integrity === 'H',
    exploitMaturity: (v4 ? V4_MATURITY[maturity] : V3_MATURITY[maturity]) ?? null,
  };
}

function read(vector: string, family: 'v3' | 'v4'): CvssReading {
  const fail = (error: string): CvssReading => ({ ok: false, vector, error });
  const match = /^CVSS:(3\.0|3\.1|4\.0)\/(.*)$/.exec(vector);
  if (!match) return fail(`expected a CVSS:${family === 'v3' ? '3.1' : '4.0'}/… vector`);
  const version = match[1] as CvssVersion;
  if ((family === 'v4') !== (version === '4.0')) {
    return fail(`a CVSS:${version} vector where a ${family} one was expected`);
  }
  const v4 = version === '4.0';
  const metrics = splitMetrics(match[2] ?? '', v4 ? V4_METRICS : V3_METRICS, v4 ? V4_REQUIRED : V3_REQUIRED);
  if (typeof metrics === 'string') return fail(metrics);
  try {
    const result = facts(version, vector, metrics);
    return typeof result === 'string' ? fail(result) : { ok: true, cvss: result };
  } catch (error) {
    // The library throws on some inputs the tables let through; a vector must never stop prioritization.
    return fail(error instanceof Error ? error.message.slice(0, 80) : 'cannot be scored');
  }
}

/** Distinct vectors in a fleet number in the thousands; the bound only guards against junk input. */
const MAX_CACHED = 50_000;
const cache = new Map<string, CvssReading>();

/**
 * A vector read, checked and scored; the same vector is computed once (it comes back for every host with
 * the same package). Never throws: an invalid vector comes back with what is wrong with it.
 */
export function readCvss(vector: string, family: 'v3' | 'v4'): CvssReading {
  const key = `${family} ${vector}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const reading = read(typeof vector === 'string' ? vector.trim() : '', family);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, reading);
  return reading;
}

/** For tests and benchmarks. */
export function cvssCacheSize(): number {
  return cache.size;
}
