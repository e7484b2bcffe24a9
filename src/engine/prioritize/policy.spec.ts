import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY, parsePolicy } from './policy.js';

function problems(section: unknown): string[] {
  const result = parsePolicy(section);
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.problems;
}

describe('parsePolicy', () => {
  it('gives the documented defaults for an absent or empty section', () => {
    for (const empty of [undefined, null, {}]) {
      expect(parsePolicy(empty)).toEqual({ ok: true, policy: DEFAULT_POLICY });
    }
    expect(DEFAULT_POLICY).toMatchObject({
      exploitation: { epssPocProbability: 0.1, epssPocPercentile: null, epssActiveProbability: null },
      decisions: { act: 'P1', attend: 'P2', 'track*': 'P3', track: 'P4' },
      dueDays: { P1: 2, P2: 7, P3: 30, P4: 90 },
      kev: { minimumPriority: 'P2', ransomwarePriority: 'P1', capDueDate: true },
      hostTags: {
        exposure: { tag: 'exposure', default: 'internal' },
        criticality: { tag: 'criticality', default: 'medium' },
      },
      exposureEffects: {
        internet: { missionStep: 1, automatable: 'from_vector' },
        isolated: { missionStep: 0, automatable: 'never' },
      },
    });
  });

  it('matches the default policy documented in docs/policies.md', () => {
    const doc = readFileSync(new URL('../../../docs/policies.md', import.meta.url), 'utf8');
    const block = /```yaml\n(prioritization:[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const section = (parseYaml(block ?? '') as { prioritization: unknown }).prioritization;
    expect(parsePolicy(section)).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it('reads the section as YAML gives it, keeping defaults for what is not said', () => {
    const yaml = parseYaml(`
prioritization:
  due_days:
    P1: 1
  kev:            # left empty: all defaults
  host_tags:
    exposure:
      tag: zone
      values:
        internet: [DMZ, public]
  exposure_effects:
    internet:
      mission_step: 2
`) as { prioritization: unknown };
    const result = parsePolicy(yaml.prioritization);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.dueDays).toEqual({ P1: 1, P2: 7, P3: 30, P4: 90 });
    expect(result.policy.kev).toEqual(DEFAULT_POLICY.kev);
    expect(result.policy.hostTags.exposure).toEqual({
      tag: 'zone',
      values: { internet: ['dmz', 'public'], internal: ['internal'], isolated: ['isolated'] },
      default: 'internal',
    });
    expect(result.policy.exposureEffects.internet).toEqual({ missionStep: 2, automatable: 'from_vector' });
  });

  it('names the setting in every problem', () => {
    expect(
      problems({
        exploitation: { epss_poc_probability: 1.5, epss_poc_percentile: '0.9' },
        due_days: { P3: 5 },
        kev: { minimum_priority: 'P7', ransomware: true },
        decisions: 'strict',
        summary: { max_reasons: 0 },
        cvss: { prefer: 'v2' },
        host_tags: { exposure: { default: 'dmz', values: { internal: ['lan', 'internet'] } } },
      }),
    ).toEqual([
      'prioritization.exploitation.epss_poc_probability: must be a number from 0 to 1',
      "prioritization.exploitation.epss_poc_percentile: must be a number from 0 to 1, not '0.9'",
      "prioritization.cvss.prefer: must be v4 or v3, not 'v2'",
      "prioritization.host_tags.exposure.default: must be internet, internal or isolated, not 'dmz'",
      "prioritization.decisions: must be a section of settings, not 'strict'",
      "prioritization.due_days.P3: must be at least P2's 7 days",
      "prioritization.kev.minimum_priority: must be P1, P2, P3 or P4, not 'P7'",
      'prioritization.kev.ransomware: unknown setting',
      'prioritization.summary.max_reasons: must be a whole number from 1 to 10',
    ]);
  });

  it('refuses a tag value that would mean two levels', () => {
    expect(problems({ host_tags: { criticality: { values: { low: ['high'] } } } })).toEqual([
      "prioritization.host_tags.criticality.values.low.0: 'high' is already listed under high",
    ]);
  });

  it('refuses unknown top-level settings and a section that is not one', () => {
    expect(problems({ epss: {} })).toEqual(['prioritization.epss: unknown setting']);
    expect(problems([])).toEqual(['prioritization: must be a section of settings, not []']);
    expect(problems({ due_days: { P1: 1.5, P2: -1 } })).toEqual([
      'prioritization.due_days.P1: must be a whole number of days',
      'prioritization.due_days.P2: must be 0 days or more',
    ]);
  });
});
