import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import { applyExposure, coordinatorDecision, decisionRank, shiftMission } from './ssvc.js';
import type {
  Automatable,
  Criticality,
  Exploitation,
  Exposure,
  MissionWellBeing,
  TechnicalImpact,
} from './types.js';

const exploitations: Exploitation[] = ['none', 'public poc', 'active'];
const automatables: Automatable[] = ['no', 'yes'];
const impacts: TechnicalImpact[] = ['partial', 'total'];
const missions: MissionWellBeing[] = ['low', 'medium', 'high'];
/** Least to most exposed. */
const exposures: Exposure[] = ['isolated', 'internal', 'internet'];
const criticalities: Criticality[] = ['low', 'medium', 'high'];

/** The decision the default policy reaches for one combination, exposure included. */
function decide(e: number, a: number, t: number, c: number, x: number): number {
  const exposure = exposures[x] as Exposure;
  const host = applyExposure(
    automatables[a] as Automatable,
    criticalities[c] as MissionWellBeing,
    DEFAULT_POLICY.exposureEffects[exposure],
  );
  return decisionRank(
    coordinatorDecision({
      exploitation: exploitations[e] as Exploitation,
      automatable: host.automatable,
      technicalImpact: impacts[t] as TechnicalImpact,
      missionWellBeing: host.missionWellBeing,
    }),
  );
}

describe('coordinatorDecision', () => {
  it('spans Track to Act', () => {
    const low = {
      exploitation: 'none',
      automatable: 'no',
      technicalImpact: 'partial',
      missionWellBeing: 'low',
    };
    expect(coordinatorDecision(low as never)).toBe('track');
    expect(
      coordinatorDecision({
        exploitation: 'active',
        automatable: 'yes',
        technicalImpact: 'total',
        missionWellBeing: 'medium',
      }),
    ).toBe('act');
    expect(
      coordinatorDecision({
        exploitation: 'none',
        automatable: 'no',
        technicalImpact: 'total',
        missionWellBeing: 'high',
      }),
    ).toBe('track*');
  });

  it('never gets less urgent when any input gets worse, exposure included (default policy)', () => {
    const index = (n: number) => fc.integer({ min: 0, max: n - 1 });
    fc.assert(
      fc.property(index(3), index(2), index(2), index(3), index(3), index(5), (e, a, t, c, x, which) => {
        const inputs = [e, a, t, c, x];
        const limits = [3, 2, 2, 3, 3];
        fc.pre((inputs[which] ?? 0) + 1 < (limits[which] ?? 0));
        const worse = [...inputs];
        worse[which] = (worse[which] ?? 0) + 1;
        const [e2, a2, t2, c2, x2] = worse as [number, number, number, number, number];
        expect(decide(e2, a2, t2, c2, x2)).toBeGreaterThanOrEqual(decide(e, a, t, c, x));
      }),
      { numRuns: 2000 },
    );
  });

  it('covers every combination of the table', () => {
    const outcomes = new Set<string>();
    for (const exploitation of exploitations)
      for (const automatable of automatables)
        for (const technicalImpact of impacts)
          for (const missionWellBeing of missions)
            outcomes.add(
              coordinatorDecision({ exploitation, automatable, technicalImpact, missionWellBeing }),
            );
    expect([...outcomes].sort()).toEqual(['act', 'attend', 'track', 'track*']);
  });
});

describe('exposure effects', () => {
  it('moves mission within low..high', () => {
    expect(shiftMission('low', 1)).toBe('medium');
    expect(shiftMission('high', 1)).toBe('high');
    expect(shiftMission('medium', -2)).toBe('low');
  });

  it('takes automation away from isolated hosts only', () => {
    expect(applyExposure('yes', 'medium', DEFAULT_POLICY.exposureEffects.isolated)).toEqual({
      automatable: 'no',
      missionWellBeing: 'medium',
    });
    expect(applyExposure('yes', 'medium', DEFAULT_POLICY.exposureEffects.internet)).toEqual({
      automatable: 'yes',
      missionWellBeing: 'high',
    });
  });
});
