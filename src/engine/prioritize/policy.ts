import type { z } from 'zod';
import type { DistributionSeverity } from './distribution-severity.js';
import { policySchema, shown } from './policy-schema.js';
import type { Criticality, Decision, Exposure, Priority } from './types.js';

export { policySchema } from './policy-schema.js';

type RawPolicy = z.output<typeof policySchema>;

export interface TagMapping<Level extends string> {
  tag: string;
  /** Lower-case tag values that mean each level. */
  values: Record<Level, readonly string[]>;
  /** The level assumed for a host without the tag (or with a value not listed). */
  default: Level;
}

export interface ExposureEffect {
  missionStep: number;
  automatable: 'from_vector' | 'never';
}

export interface Policy {
  exploitation: {
    epssPocProbability: number | null;
    epssPocPercentile: number | null;
    epssActiveProbability: number | null;
    cvssExploitMaturity: boolean;
  };
  cvss: { prefer: 'v4' | 'v3' };
  distributionSeverity: { totalImpactAt: DistributionSeverity | null };
  hostTags: { exposure: TagMapping<Exposure>; criticality: TagMapping<Criticality> };
  exposureEffects: Record<Exposure, ExposureEffect>;
  decisions: Record<Decision, Priority>;
  dueDays: Record<Priority, number>;
  kev: { minimumPriority: Priority | null; ransomwarePriority: Priority | null; capDueDate: boolean };
  summary: { maxReasons: number };
}

function effect(raw: RawPolicy['exposure_effects']['internet']): ExposureEffect {
  return { missionStep: raw.mission_step, automatable: raw.automatable };
}

function toPolicy(raw: RawPolicy): Policy {
  return {
    exploitation: {
      epssPocProbability: raw.exploitation.epss_poc_probability,
      epssPocPercentile: raw.exploitation.epss_poc_percentile,
      epssActiveProbability: raw.exploitation.epss_active_probability,
      cvssExploitMaturity: raw.exploitation.cvss_exploit_maturity,
    },
    cvss: { prefer: raw.cvss.prefer },
    distributionSeverity: { totalImpactAt: raw.distribution_severity.total_impact_at },
    hostTags: {
      exposure: raw.host_tags.exposure,
      criticality: raw.host_tags.criticality,
    },
    exposureEffects: {
      internet: effect(raw.exposure_effects.internet),
      internal: effect(raw.exposure_effects.internal),
      isolated: effect(raw.exposure_effects.isolated),
    },
    decisions: {
      act: raw.decisions.act,
      attend: raw.decisions.attend,
      'track*': raw.decisions.track_star,
      track: raw.decisions.track,
    },
    dueDays: { ...raw.due_days },
    kev: {
      minimumPriority: raw.kev.minimum_priority,
      ransomwarePriority: raw.kev.ransomware_priority,
      capDueDate: raw.kev.cap_due_date,
    },
    summary: { maxReasons: raw.summary.max_reasons },
  };
}

export type PolicyParseResult = { ok: true; policy: Policy } | { ok: false; problems: string[] };

/** Where in patchops.yml a problem is, for messages. */
export const POLICY_SECTION = 'prioritization';

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = [POLICY_SECTION, ...issue.path.map(String)];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${[...path, key].join('.')}: unknown setting`).join('; ');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${path.join('.')}: is required`;
  if (issue.code === 'invalid_type' && issue.expected === 'object') {
    return `${path.join('.')}: must be a section of settings, not ${shown(issue.input)}`;
  }
  return `${path.join('.')}: ${issue.message}`;
}

/**
 * The `prioritization:` section as YAML parsed it (absent or empty means all defaults). Problems name the
 * setting, e.g. "prioritization.due_days.P3: must be at least P2's 7 days".
 */
export function parsePolicy(section: unknown): PolicyParseResult {
  const parsed = policySchema.safeParse(section ?? {}, { reportInput: true });
  if (parsed.success) return { ok: true, policy: toPolicy(parsed.data) };
  return { ok: false, problems: parsed.error.issues.map(describeIssue) };
}

function buildDefault(): Policy {
  const result = parsePolicy({});
  if (!result.ok) throw new Error(`the default policy is invalid: ${result.problems.join('; ')}`);
  return result.policy;
}

/** The policy used when patchops.yml has no `prioritization:` section; docs/policies.md describes it. */
export const DEFAULT_POLICY: Policy = buildDefault();
