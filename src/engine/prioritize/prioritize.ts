import { type CvssFacts, readCvss } from './cvss.js';
import { addDays, earlierDay, isIsoDay, utcDay } from './dates.js';
import { atLeast, normalizeDistributionSeverity } from './distribution-severity.js';
import { hostCriticality, hostExposure } from './host-context.js';
import type { Policy } from './policy.js';
import * as why from './reasons.js';
import { applyExposure, coordinatorDecision, decisionRank } from './ssvc.js';
import {
  type Criticality,
  type Exploitation,
  type FindingRiskInput,
  type MissionWellBeing,
  PRIORITIES,
  type PrioritizationScores,
  type PrioritizeResult,
  type Priority,
  type Reason,
  type TechnicalImpact,
} from './types.js';

interface CvssEvidence {
  /** The vector that decides automatable and technical impact (policy `cvss.prefer`). */
  preferred: CvssFacts | undefined;
  all: CvssFacts[];
}

function readVectors(
  input: FindingRiskInput,
  policy: Policy,
  scores: PrioritizationScores,
  reasons: Reason[],
) {
  const evidence: CvssEvidence = { preferred: undefined, all: [] };
  const read = (vector: string | null | undefined, family: 'v3' | 'v4'): CvssFacts | undefined => {
    if (typeof vector !== 'string' || vector.trim() === '') return undefined;
    const reading = readCvss(vector, family);
    if (!reading.ok) {
      reasons.push(why.invalidCvssReason(family, reading.error));
      return undefined;
    }
    const { score, severity } = reading.cvss;
    scores[family === 'v3' ? 'cvssV3' : 'cvssV4'] = { score, vector: reading.cvss.vector, severity };
    evidence.all.push(reading.cvss);
    return reading.cvss;
  };
  const v3 = read(input.cvssV3, 'v3');
  const v4 = read(input.cvssV4, 'v4');
  evidence.preferred = policy.cvss.prefer === 'v4' ? (v4 ?? v3) : (v3 ?? v4);
  if (evidence.preferred) reasons.push(why.cvssReason(evidence.preferred));
  else if (!reasons.some((r) => r.code === 'cvss-invalid')) reasons.push(why.missingCvssReason());
  return evidence;
}

/** KEV means active; then EPSS and CVSS exploit maturity, each only as far as the policy trusts it. */
function exploitationOf(input: FindingRiskInput, cvss: CvssEvidence, policy: Policy, reasons: Reason[]) {
  const levels: Exploitation[] = [];
  if (input.kev) {
    levels.push('active');
    reasons.push(why.kevReason(input.kev));
  }
  const { epssActiveProbability, epssPocProbability, epssPocPercentile } = policy.exploitation;
  if (input.epss && Number.isFinite(input.epss.probability) && Number.isFinite(input.epss.percentile)) {
    const { probability, percentile } = input.epss;
    const active = epssActiveProbability !== null && probability >= epssActiveProbability;
    const poc =
      (epssPocProbability !== null && probability >= epssPocProbability) ||
      (epssPocPercentile !== null && percentile >= epssPocPercentile);
    levels.push(active ? 'active' : poc ? 'public poc' : 'none');
    reasons.push(why.epssReason(input.epss, active ? 'active' : poc ? 'poc' : 'low'));
  }
  if (policy.exploitation.cvssExploitMaturity) {
    for (const facts of cvss.all) {
      const evidence = why.exploitMaturityReason(facts);
      if (!evidence || reasons.some((r) => r.code === evidence.code)) continue;
      levels.push(facts.exploitMaturity === 'attacked' ? 'active' : 'public poc');
      reasons.push(evidence);
    }
  }
  if (levels.includes('active')) return 'active';
  return levels.includes('public poc') ? 'public poc' : 'none';
}

function technicalImpactOf(
  input: FindingRiskInput,
  cvss: CvssEvidence,
  policy: Policy,
  reasons: Reason[],
): TechnicalImpact {
  const distro = normalizeDistributionSeverity(input.distributionSeverity);
  if (distro) reasons.push(why.distroSeverityReason(distro, cvss.preferred === undefined));
  if (cvss.preferred) {
    if (cvss.preferred.totalImpact) reasons.push(why.totalImpactReason('cvss'));
    return cvss.preferred.totalImpact ? 'total' : 'partial';
  }
  // Without a vector the distribution's rating is the only word on impact; the policy says how far to trust it.
  const threshold = policy.distributionSeverity.totalImpactAt;
  if (distro && threshold && atLeast(distro, threshold)) {
    reasons.push(why.totalImpactReason('distro'));
    return 'total';
  }
  return 'partial';
}

/** SSVC's Mission & Well-being starts from the host's criticality tag; exposure then moves it. */
const CRITICALITY_MISSION: Record<Criticality, MissionWellBeing> = {
  high: 'high',
  medium: 'medium',
  low: 'low',
};

function moreUrgent(a: Priority, b: Priority): Priority {
  return PRIORITIES.indexOf(a) <= PRIORITIES.indexOf(b) ? a : b;
}

function adjustForKev(priority: Priority, input: FindingRiskInput, policy: Policy, reasons: Reason[]) {
  if (!input.kev) return priority;
  let adjusted = priority;
  const { minimumPriority, ransomwarePriority } = policy.kev;
  if (minimumPriority && moreUrgent(minimumPriority, adjusted) !== adjusted) {
    adjusted = minimumPriority;
    reasons.push(why.kevFloorReason(adjusted));
  }
  if (
    input.kev.knownRansomware &&
    ransomwarePriority &&
    moreUrgent(ransomwarePriority, adjusted) !== adjusted
  ) {
    adjusted = ransomwarePriority;
    reasons.push(why.ransomwarePriorityReason(adjusted));
  }
  return adjusted;
}

/**
 * Priority, SSVC decision, due date and the reasons for one vulnerability on one host. Pure and
 * deterministic: the due date counts from `firstSeen` (its UTC day), never from the clock. Never throws for
 * bad feed data (an invalid vector becomes a reason); a `firstSeen` that is not a date throws RangeError.
 */
export function prioritize(
  input: FindingRiskInput,
  policy: Policy,
  firstSeen: Date | string,
): PrioritizeResult {
  const firstDay = utcDay(firstSeen);
  const reasons: Reason[] = [];
  const scores: PrioritizationScores = {};
  if (input.kev) {
    const { dateAdded, dueDate, knownRansomware } = input.kev;
    scores.kev = { dateAdded, dueDate, knownRansomware };
  }
  if (input.epss && Number.isFinite(input.epss.probability) && Number.isFinite(input.epss.percentile))
    scores.epss = { probability: input.epss.probability, percentile: input.epss.percentile };

  const cvss = readVectors(input, policy, scores, reasons);
  const exploitation = exploitationOf(input, cvss, policy, reasons);
  const technicalImpact = technicalImpactOf(input, cvss, policy, reasons);

  const exposure = hostExposure(input.hostTags, policy);
  const criticality = hostCriticality(input.hostTags, policy);
  const { exposure: exposureTag, criticality: criticalityTag } = policy.hostTags;
  reasons.push(why.exposureReason(exposure.level, exposure.tagged, exposureTag.tag, exposure.value));
  reasons.push(
    why.criticalityReason(criticality.level, criticality.tagged, criticalityTag.tag, criticality.value),
  );
  const { automatable, missionWellBeing } = applyExposure(
    cvss.preferred?.automatable ? 'yes' : 'no',
    CRITICALITY_MISSION[criticality.level],
    policy.exposureEffects[exposure.level],
  );
  if (automatable === 'yes') reasons.push(why.automatableReason());
  if (!input.fixAvailable) reasons.push(why.noFixReason());

  const decision = coordinatorDecision({ exploitation, automatable, technicalImpact, missionWellBeing });
  const priority = adjustForKev(policy.decisions[decision], input, policy, reasons);

  let dueDate = addDays(firstDay, policy.dueDays[priority]);
  const kevDue = input.kev?.dueDate;
  if (policy.kev.capDueDate && kevDue !== undefined && isIsoDay(kevDue) && kevDue < dueDate) {
    dueDate = earlierDay(dueDate, kevDue);
    reasons.push(why.dueCappedReason(kevDue));
  }

  const sorted = why.byWeight(reasons);
  return {
    priority,
    decision,
    dueDate,
    reasons: sorted,
    summary: why.summaryLine(sorted, policy.summary.maxReasons),
    ssvc: {
      exploitation,
      automatable,
      technicalImpact,
      missionWellBeing,
      exposure: exposure.level,
      criticality: criticality.level,
      decision,
    },
    scores,
  };
}

/**
 * The result to show for a finding that several CVEs make: the most urgent priority, then the earliest due
 * date, then the stronger decision. Undefined for an empty list.
 */
export function mostUrgent(results: readonly PrioritizeResult[]): PrioritizeResult | undefined {
  let best: PrioritizeResult | undefined;
  for (const result of results) {
    if (best === undefined || compareUrgency(result, best) < 0) best = result;
  }
  return best;
}

/** Negative when `a` is more urgent than `b`. */
export function compareUrgency(
  a: Pick<PrioritizeResult, 'priority' | 'dueDate' | 'decision'>,
  b: Pick<PrioritizeResult, 'priority' | 'dueDate' | 'decision'>,
): number {
  return (
    PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) ||
    (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) ||
    decisionRank(b.decision) - decisionRank(a.decision)
  );
}
