import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy, parsePolicy } from './policy.js';
import { compareUrgency, mostUrgent, prioritize } from './prioritize.js';
import type { FindingRiskInput } from './types.js';

const CRITICAL_NETWORK = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
const LOCAL_PRIVESC = 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'; // 7.8
const MEDIUM_LOCAL = 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N'; // 4.4
const NETWORK_DOS = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'; // 7.5
const V4_CRITICAL = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'; // 9.3

const KEV = { dateAdded: '2024-05-02', dueDate: '2024-05-23', knownRansomware: false };
const HIGH_EPSS = { probability: 0.94312, percentile: 0.99912 };
const LOW_EPSS = { probability: 0.001, percentile: 0.12 };

function finding(overrides: Partial<FindingRiskInput> = {}): FindingRiskInput {
  return { hostTags: {}, fixAvailable: true, ...overrides };
}

const internet = { exposure: 'internet', criticality: 'medium' };
const internetCritical = { exposure: 'internet', criticality: 'high' };
const internal = { exposure: 'internal', criticality: 'medium' };

function policy(section: unknown): Policy {
  const parsed = parsePolicy(section);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.policy;
}

describe('prioritize with the default policy', () => {
  it.each([
    {
      name: 'KEV + ransomware, quiet host',
      priority: 'P1',
      decision: 'track',
      input: finding({ kev: { ...KEV, knownRansomware: true }, cvssV3: MEDIUM_LOCAL, hostTags: internal }),
    },
    {
      name: 'KEV, internet, CVSS 9.8',
      priority: 'P1',
      decision: 'act',
      input: finding({ kev: KEV, cvssV3: CRITICAL_NETWORK, hostTags: internet }),
    },
    {
      name: 'KEV, local privesc, internal',
      priority: 'P2',
      decision: 'attend',
      input: finding({ kev: KEV, cvssV3: LOCAL_PRIVESC, hostTags: internal }),
    },
    {
      name: 'KEV floor lifts a Track',
      priority: 'P2',
      decision: 'track',
      input: finding({
        kev: KEV,
        cvssV3: NETWORK_DOS,
        hostTags: { exposure: 'isolated', criticality: 'low' },
      }),
    },
    {
      name: 'PoC, internet, 9.8, medium host',
      priority: 'P2',
      decision: 'attend',
      input: finding({ epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internet }),
    },
    {
      name: 'PoC, internet, 9.8, critical host',
      priority: 'P2',
      decision: 'attend',
      input: finding({ epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internetCritical }),
    },
    {
      name: 'PoC, internet, 9.8, low host',
      priority: 'P3',
      decision: 'track*',
      input: finding({
        epss: HIGH_EPSS,
        cvssV3: CRITICAL_NETWORK,
        hostTags: { exposure: 'internet', criticality: 'low' },
      }),
    },
    {
      name: 'PoC, internal, 9.8, critical host',
      priority: 'P2',
      decision: 'attend',
      input: finding({
        epss: HIGH_EPSS,
        cvssV3: CRITICAL_NETWORK,
        hostTags: { exposure: 'internal', criticality: 'high' },
      }),
    },
    {
      name: 'no exploit, internet, 9.8, critical',
      priority: 'P2',
      decision: 'attend',
      input: finding({ epss: LOW_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internetCritical }),
    },
    {
      name: 'no exploit, internal, 9.8',
      priority: 'P4',
      decision: 'track',
      input: finding({ epss: LOW_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internal }),
    },
    {
      name: 'EPSS 0.001, CVSS 4.4',
      priority: 'P4',
      decision: 'track',
      input: finding({ epss: LOW_EPSS, cvssV3: MEDIUM_LOCAL, hostTags: internal }),
    },
    { name: 'nothing known', priority: 'P4', decision: 'track', input: finding() },
  ])('$name → $priority ($decision)', ({ priority, decision, input }) => {
    const result = prioritize(input, DEFAULT_POLICY, '2024-05-10');
    expect([result.priority, result.decision]).toEqual([priority, decision]);
  });

  it('explains itself in one line, heaviest reasons first', () => {
    const result = prioritize(
      finding({
        kev: { ...KEV, knownRansomware: true },
        epss: HIGH_EPSS,
        cvssV3: CRITICAL_NETWORK,
        hostTags: internetCritical,
      }),
      DEFAULT_POLICY,
      '2024-05-10',
    );
    expect(result.summary).toBe(
      'KEV since 2024-05-02 (ransomware), EPSS 0.94 (99th pct), CVSS 9.8 network, internet-facing, critical host',
    );
    expect(result.reasons.map((r) => r.code)).toEqual([
      'kev-ransomware',
      'epss-high',
      'cvss',
      'exposure',
      'criticality',
      'automatable',
      'total-impact',
    ]);
    const weights = result.reasons.map((r) => r.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it('records the SSVC path and the scores it used', () => {
    const result = prioritize(
      finding({
        kev: KEV,
        epss: HIGH_EPSS,
        cvssV3: CRITICAL_NETWORK,
        cvssV4: V4_CRITICAL,
        hostTags: internet,
      }),
      DEFAULT_POLICY,
      '2024-05-10',
    );
    expect(result.ssvc).toEqual({
      exploitation: 'active',
      automatable: 'yes',
      technicalImpact: 'total',
      missionWellBeing: 'high',
      exposure: 'internet',
      criticality: 'medium',
      decision: 'act',
    });
    expect(result.scores).toEqual({
      kev: KEV,
      epss: HIGH_EPSS,
      cvssV3: { score: 9.8, vector: CRITICAL_NETWORK, severity: 'critical' },
      cvssV4: { score: 9.3, vector: V4_CRITICAL, severity: 'critical' },
    });
    // v4 is preferred by default for the wording too.
    expect(result.reasons.find((r) => r.code === 'cvss')?.text).toBe('CVSS 9.3 network (v4)');
  });

  it('says when a host has no exposure or criticality tag, and what it assumed', () => {
    const result = prioritize(finding({ hostTags: { exposure: 'dmz' } }), DEFAULT_POLICY, '2024-05-10');
    expect(result.reasons.map((r) => r.text)).toEqual(
      expect.arrayContaining([
        "exposure 'dmz' not in policy (internal assumed)",
        'no criticality tag (medium assumed)',
        'no CVSS vector',
      ]),
    );
  });

  it('isolates hosts from automated attacks and matches tag values in any case', () => {
    const result = prioritize(
      finding({ epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: { exposure: 'Isolated' } }),
      DEFAULT_POLICY,
      '2024-05-10',
    );
    expect(result.ssvc).toMatchObject({ exposure: 'isolated', automatable: 'no' });
    expect(result.reasons.some((r) => r.code === 'automatable')).toBe(false);
  });

  it('notes a missing fix without changing the priority', () => {
    const fixed = prioritize(finding({ kev: KEV }), DEFAULT_POLICY, '2024-05-10');
    const unfixed = prioritize(finding({ kev: KEV, fixAvailable: false }), DEFAULT_POLICY, '2024-05-10');
    expect(unfixed.priority).toBe(fixed.priority);
    expect(unfixed.reasons.map((r) => r.text)).toContain('no fix yet');
  });

  it('treats CVSS exploit maturity as exploitation evidence', () => {
    const attacked = `${V4_CRITICAL}/E:A`;
    const result = prioritize(
      finding({ cvssV4: attacked, hostTags: internal }),
      DEFAULT_POLICY,
      '2025-01-01',
    );
    expect(result.ssvc.exploitation).toBe('active');
    expect(result.summary).toMatch(/^exploitation reported \(CVSS E:A\)/);
    const poc = prioritize(
      finding({ cvssV3: `${CRITICAL_NETWORK}/E:P`, hostTags: internal }),
      DEFAULT_POLICY,
      '2025-01-01',
    );
    expect(poc.ssvc.exploitation).toBe('public poc');
  });

  it('falls back on the distribution rating for impact when there is no vector', () => {
    const result = prioritize(
      finding({ distributionSeverity: 'Important', epss: HIGH_EPSS, hostTags: internetCritical }),
      DEFAULT_POLICY,
      '2025-01-01',
    );
    expect(result.ssvc).toMatchObject({ technicalImpact: 'total', automatable: 'no', decision: 'attend' });
    expect(result.reasons.map((r) => r.text)).toContain('distro severity high');
    const low = prioritize(finding({ distributionSeverity: 'low**' }), DEFAULT_POLICY, '2025-01-01');
    expect(low.ssvc.technicalImpact).toBe('partial');
  });
});

describe('prioritize: invalid CVSS vectors', () => {
  it.each([
    ['garbage'],
    ['CVSS:3.1/AV:N/AC:L'],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    [V4_CRITICAL],
  ])('never throws on %j and says "invalid CVSS vector"', (vector) => {
    const result = prioritize(finding({ cvssV3: vector }), DEFAULT_POLICY, '2025-01-01');
    expect(result.priority).toBe('P4');
    expect(result.reasons.find((r) => r.code === 'cvss-invalid')?.text).toMatch(
      /^invalid CVSS vector \(v3: /,
    );
    expect(result.scores.cvssV3).toBeUndefined();
  });

  it('keeps using the valid vector when only the other one is broken', () => {
    const result = prioritize(
      finding({ cvssV3: CRITICAL_NETWORK, cvssV4: 'CVSS:4.0/AV:N', hostTags: internet, kev: KEV }),
      DEFAULT_POLICY,
      '2025-01-01',
    );
    expect(result.decision).toBe('act');
    expect(result.reasons.map((r) => r.code)).toContain('cvss-invalid');
    expect(result.summary).toContain('CVSS 9.8 network');
  });

  it('ignores blank vectors and EPSS values that are not numbers', () => {
    const result = prioritize(
      finding({ cvssV3: '  ', epss: { probability: Number.NaN, percentile: 0.5 } }),
      DEFAULT_POLICY,
      '2025-01-01',
    );
    expect(result.reasons.map((r) => r.code)).not.toContain('cvss-invalid');
    expect(result.scores.epss).toBeUndefined();
  });
});

describe('prioritize: due dates', () => {
  it('counts the policy days from the first-seen UTC day', () => {
    const at = (priorityInput: FindingRiskInput) =>
      prioritize(priorityInput, DEFAULT_POLICY, '2025-02-26').dueDate;
    expect(at(finding({ kev: { ...KEV, knownRansomware: true, dueDate: '2030-01-01' } }))).toBe('2025-02-28');
    expect(at(finding({ epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internet }))).toBe('2025-03-05');
    expect(at(finding())).toBe('2025-05-27');
  });

  it('uses the UTC day of a timestamp, whatever its offset', () => {
    const late = prioritize(finding(), DEFAULT_POLICY, '2024-12-31T23:30:00-05:00');
    expect(late.dueDate).toBe('2025-04-01'); // first seen 2025-01-01 UTC + 90 days
    const asDate = prioritize(finding(), DEFAULT_POLICY, new Date(Date.UTC(2024, 1, 28, 23, 59)));
    expect(asDate.dueDate).toBe('2024-05-28'); // 2024 is a leap year: Feb 29 counts
  });

  it('is capped by the KEV due date, and says so', () => {
    const result = prioritize(
      finding({ kev: { ...KEV, dueDate: '2024-05-11' } }),
      DEFAULT_POLICY,
      '2024-05-10',
    );
    expect(result.dueDate).toBe('2024-05-11');
    expect(result.reasons.map((r) => r.text)).toContain('due by KEV date 2024-05-11');
  });

  it('keeps a KEV due date that has already passed: the finding is overdue from the start', () => {
    const result = prioritize(finding({ kev: KEV }), DEFAULT_POLICY, '2025-01-01');
    expect(result.dueDate).toBe('2024-05-23');
  });

  it('ignores the KEV cap when the policy turns it off or the date is malformed', () => {
    const uncapped = policy({ kev: { cap_due_date: false } });
    expect(prioritize(finding({ kev: KEV }), uncapped, '2025-01-01').dueDate).toBe('2025-01-08');
    const malformed = finding({ kev: { ...KEV, dueDate: '23/05/2024' } });
    expect(prioritize(malformed, DEFAULT_POLICY, '2025-01-01').dueDate).toBe('2025-01-08');
  });

  it('refuses a first-seen value that is not a date', () => {
    expect(() => prioritize(finding(), DEFAULT_POLICY, 'yesterday')).toThrow(RangeError);
    expect(() => prioritize(finding(), DEFAULT_POLICY, '2025-02-30')).toThrow(RangeError);
  });
});

describe('prioritize: custom policies', () => {
  it('maps decisions and days as configured', () => {
    const strict = policy({ decisions: { track: 'P3' }, due_days: { P1: 1, P3: 14, P4: 14 } });
    const result = prioritize(finding(), strict, '2025-01-01');
    expect([result.priority, result.dueDate]).toEqual(['P3', '2025-01-15']);
  });

  it('uses the configured tag names and values', () => {
    const custom = policy({
      host_tags: {
        exposure: { tag: 'zone', values: { internet: ['dmz', 'public'] } },
        criticality: { tag: 'tier', values: { high: ['gold'] }, default: 'low' },
      },
    });
    const result = prioritize(
      finding({ epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: { zone: 'DMZ', tier: 'gold' } }),
      custom,
      '2025-01-01',
    );
    expect(result.ssvc).toMatchObject({ exposure: 'internet', criticality: 'high', decision: 'attend' });
    const untagged = prioritize(finding({ hostTags: {} }), custom, '2025-01-01');
    expect(untagged.ssvc.criticality).toBe('low');
  });

  it('can trust EPSS more: a percentile threshold, or EPSS as active exploitation', () => {
    const input = finding({
      epss: { probability: 0.05, percentile: 0.97 },
      cvssV3: CRITICAL_NETWORK,
      hostTags: internet,
    });
    expect(prioritize(input, DEFAULT_POLICY, '2025-01-01').ssvc.exploitation).toBe('none');
    const byPercentile = policy({ exploitation: { epss_poc_percentile: 0.95 } });
    expect(prioritize(input, byPercentile, '2025-01-01').ssvc.exploitation).toBe('public poc');
    const asActive = policy({ exploitation: { epss_active_probability: 0.05 } });
    expect(prioritize(input, asActive, '2025-01-01')).toMatchObject({ priority: 'P1', decision: 'act' });
  });

  it('can drop the KEV floor and the ransomware rule', () => {
    const lenient = policy({ kev: { minimum_priority: null, ransomware_priority: null } });
    const input = finding({
      kev: { ...KEV, knownRansomware: true },
      cvssV3: NETWORK_DOS,
      hostTags: { exposure: 'isolated', criticality: 'low' },
    });
    expect(prioritize(input, lenient, '2024-05-10').priority).toBe('P4');
    expect(prioritize(input, DEFAULT_POLICY, '2024-05-10').priority).toBe('P1');
  });

  it('can make internet exposure count for nothing', () => {
    const flat = policy({ exposure_effects: { internet: { mission_step: 0 } } });
    const input = finding({ epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internet });
    expect(prioritize(input, flat, '2025-01-01').decision).toBe('track*');
  });

  it('shortens the summary to the configured number of reasons', () => {
    const short = policy({ summary: { max_reasons: 2 } });
    const input = finding({ kev: KEV, epss: HIGH_EPSS, cvssV3: CRITICAL_NETWORK, hostTags: internet });
    expect(prioritize(input, short, '2024-05-10').summary).toBe('KEV since 2024-05-02, EPSS 0.94 (99th pct)');
  });
});

describe('mostUrgent', () => {
  it('picks the most urgent priority, then the earliest due date', () => {
    const p4 = prioritize(finding(), DEFAULT_POLICY, '2025-01-01');
    const p2late = prioritize(
      finding({ kev: { ...KEV, dueDate: '2030-01-01' } }),
      DEFAULT_POLICY,
      '2025-01-05',
    );
    const p2early = prioritize(
      finding({ kev: { ...KEV, dueDate: '2030-01-01' } }),
      DEFAULT_POLICY,
      '2025-01-01',
    );
    expect(mostUrgent([p4, p2late, p2early])).toBe(p2early);
    expect(mostUrgent([])).toBeUndefined();
    expect(compareUrgency(p2early, p2early)).toBe(0);
  });
});
