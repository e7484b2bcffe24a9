import { z } from 'zod';
import { DISTRIBUTION_SEVERITIES } from './distribution-severity.js';
import { EXPOSURES, PRIORITIES, type Priority } from './types.js';

/*
 * The schema of the `prioritization:` section of patchops.yml. Keys are snake_case like the rest of the
 * file; policy.ts turns the result into the camelCase Policy. Every knob has a default (docs/policies.md
 * explains each), so `{}` is a full policy.
 */

export function shown(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const priority = z.enum(PRIORITIES, {
  error: (issue) => `must be P1, P2, P3 or P4, not ${shown(issue.input)}`,
});

const fraction = z
  .number({ error: (issue) => `must be a number from 0 to 1, not ${shown(issue.input)}` })
  .min(0, { error: 'must be a number from 0 to 1' })
  .max(1, { error: 'must be a number from 0 to 1' });

const days = z
  .number({ error: (issue) => `must be a whole number of days, not ${shown(issue.input)}` })
  .int({ error: 'must be a whole number of days' })
  .min(0, { error: 'must be 0 days or more' })
  .max(3650, { error: 'must be at most 3650 days (ten years)' });

const tagValues = z
  .array(z.string().trim().min(1, { error: 'must not be empty' }).toLowerCase(), {
    error: 'must be a list of tag values',
  })
  .min(1, { error: 'must list at least one tag value' });

const tagName = z.string().trim().min(1, { error: 'must name a tag' });

const exposureLevel = z.enum(EXPOSURES, {
  error: (issue) => `must be internet, internal or isolated, not ${shown(issue.input)}`,
});
const criticalityLevel = z.enum(['high', 'medium', 'low'], {
  error: (issue) => `must be high, medium or low, not ${shown(issue.input)}`,
});

const missionStep = z
  .number({ error: 'must be a whole number from -2 to 2' })
  .int({ error: 'must be a whole number from -2 to 2' })
  .min(-2, { error: 'must be a whole number from -2 to 2' })
  .max(2, { error: 'must be a whole number from -2 to 2' });

const automatableSource = z.enum(['from_vector', 'never'], {
  error: (issue) => `must be from_vector or never, not ${shown(issue.input)}`,
});

function exposureEffect(defaults: { mission_step: number; automatable: 'from_vector' | 'never' }) {
  return section(
    z
      .object({
        /** Raises (or lowers) SSVC Mission & Well-being by this many levels: low → medium → high. */
        mission_step: missionStep.default(defaults.mission_step),
        /** `never`: no network path for an automated attack, whatever the CVSS vector says. */
        automatable: automatableSource.default(defaults.automatable),
      })
      .strict(),
  );
}

/** A section absent, or left empty in YAML (`kev:` alone parses as null), means all of its defaults. */
function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => value ?? {}, schema);
}

/** A tag value that meant two levels would make the result depend on the order of this file. */
function noValueTwice(section: { values: Record<string, string[]> }, ctx: z.RefinementCtx): void {
  const owner = new Map<string, string>();
  for (const [level, list] of Object.entries(section.values)) {
    list.forEach((value, index) => {
      const first = owner.get(value);
      if (first !== undefined && first !== level) {
        ctx.addIssue({
          code: 'custom',
          path: ['values', level, index],
          message: `'${value}' is already listed under ${first}`,
        });
      }
      owner.set(value, level);
    });
  }
}

const exposureValues = z
  .object({
    internet: tagValues.prefault(['internet']),
    internal: tagValues.prefault(['internal']),
    isolated: tagValues.prefault(['isolated']),
  })
  .strict();

const criticalityValues = z
  .object({
    high: tagValues.prefault(['high']),
    medium: tagValues.prefault(['medium']),
    low: tagValues.prefault(['low']),
  })
  .strict();

const exposureTags = z
  .object({
    tag: tagName.default('exposure'),
    values: section(exposureValues),
    default: exposureLevel.default('internal'),
  })
  .strict()
  .superRefine(noValueTwice);

const criticalityTags = z
  .object({
    tag: tagName.default('criticality'),
    values: section(criticalityValues),
    default: criticalityLevel.default('medium'),
  })
  .strict()
  .superRefine(noValueTwice);

const dueDays = z
  .object({
    P1: days.default(2),
    P2: days.default(7),
    P3: days.default(30),
    P4: days.default(90),
  })
  .strict()
  .superRefine((due, ctx) => {
    // A less urgent priority with an earlier due date is always a typo, never a policy.
    for (let i = 1; i < PRIORITIES.length; i++) {
      const before = PRIORITIES[i - 1] as Priority;
      const current = PRIORITIES[i] as Priority;
      if (due[current] < due[before]) {
        ctx.addIssue({
          code: 'custom',
          path: [current],
          message: `must be at least ${before}'s ${due[before]} days`,
        });
      }
    }
  });

const severityLevel = z.enum(DISTRIBUTION_SEVERITIES, {
  error: (issue) => `must be critical, high, medium or low, not ${shown(issue.input)}`,
});

const maxReasons = z
  .number({ error: 'must be a whole number from 1 to 10' })
  .int({ error: 'must be a whole number from 1 to 10' })
  .min(1, { error: 'must be a whole number from 1 to 10' })
  .max(10, { error: 'must be a whole number from 1 to 10' });

const cvssVersion = z.enum(['v4', 'v3'], {
  error: (issue) => `must be v4 or v3, not ${shown(issue.input)}`,
});

const flag = z.boolean({ error: (issue) => `must be true or false, not ${shown(issue.input)}` });

export const policySchema = z
  .object({
    exploitation: section(
      z
        .object({
          epss_poc_probability: fraction.nullable().default(0.1),
          epss_poc_percentile: fraction.nullable().default(null),
          epss_active_probability: fraction.nullable().default(null),
          cvss_exploit_maturity: flag.default(true),
        })
        .strict(),
    ),
    cvss: section(z.object({ prefer: cvssVersion.default('v4') }).strict()),
    distribution_severity: section(
      z.object({ total_impact_at: severityLevel.nullable().default('high') }).strict(),
    ),
    host_tags: section(
      z.object({ exposure: section(exposureTags), criticality: section(criticalityTags) }).strict(),
    ),
    exposure_effects: section(
      z
        .object({
          internet: exposureEffect({ mission_step: 1, automatable: 'from_vector' }),
          internal: exposureEffect({ mission_step: 0, automatable: 'from_vector' }),
          isolated: exposureEffect({ mission_step: 0, automatable: 'never' }),
        })
        .strict(),
    ),
    decisions: section(
      z
        .object({
          act: priority.default('P1'),
          attend: priority.default('P2'),
          track_star: priority.default('P3'),
          track: priority.default('P4'),
        })
        .strict(),
    ),
    due_days: section(dueDays),
    kev: section(
      z
        .object({
          minimum_priority: priority.nullable().default('P2'),
          ransomware_priority: priority.nullable().default('P1'),
          cap_due_date: flag.default(true),
        })
        .strict(),
    ),
    summary: section(z.object({ max_reasons: maxReasons.default(5) }).strict()),
  })
  .strict();
