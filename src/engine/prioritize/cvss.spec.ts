import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cvssCacheSize, readCvss, severityOf } from './cvss.js';

function facts(vector: string, family: 'v3' | 'v4') {
  const reading = readCvss(vector, family);
  if (!reading.ok) throw new Error(`${vector}: ${reading.error}`);
  return reading.cvss;
}

function error(vector: string, family: 'v3' | 'v4'): string {
  const reading = readCvss(vector, family);
  if (reading.ok) throw new Error(`expected ${vector} to be invalid`);
  return reading.error;
}

describe('readCvss: CVSS 3.x', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'high'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'high'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'low'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
  ])('%s scores %d (%s)', (vector, score, severity) => {
    expect(facts(vector, 'v3')).toMatchObject({ score, severity });
  });

  it('extracts what SSVC needs: attack vector, automatable, technical impact, exploit maturity', () => {
    expect(facts('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'v3')).toEqual({
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      score: 9.8,
      severity: 'critical',
      attackVector: 'network',
      automatable: true,
      totalImpact: true,
      exploitMaturity: null,
    });
    const userClick = facts('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N/E:F/RL:O', 'v3');
    expect(userClick).toMatchObject({ automatable: false, totalImpact: false, exploitMaturity: 'poc' });
    expect(facts('CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N/E:U', 'v3')).toMatchObject({
      attackVector: 'adjacent',
      automatable: false,
      totalImpact: true,
      exploitMaturity: 'unreported',
    });
  });

  it('reads the base score only: temporal and environmental metrics do not change it', () => {
    const temporal = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/MAV:L';
    expect(facts(temporal, 'v3').score).toBe(9.8);
  });
});

describe('readCvss: CVSS 4.0', () => {
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.8, 'medium'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 9.3, 'critical'],
  ])('%s has base score %d (%s)', (vector, score, severity) => {
    expect(facts(vector, 'v4')).toMatchObject({ version: '4.0', score, severity });
  });

  it('needs AT:N to be automatable, and lets the supplemental AU metric decide when given', () => {
    const base = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    expect(facts(base, 'v4').automatable).toBe(true);
    expect(facts(base.replace('AT:N', 'AT:P'), 'v4').automatable).toBe(false);
    expect(facts(`${base}/AU:N`, 'v4').automatable).toBe(false);
    expect(facts(`${base.replace('UI:N', 'UI:A')}/AU:Y`, 'v4').automatable).toBe(true);
  });

  it('reads exploit maturity and ignores supplemental metrics for the score', () => {
    const base = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    expect(facts(`${base}/E:A`, 'v4').exploitMaturity).toBe('attacked');
    expect(facts(`${base}/E:P/S:P/R:U/V:C/RE:H/U:Amber/MSI:S`, 'v4')).toMatchObject({
      exploitMaturity: 'poc',
      score: 9.3,
    });
  });
});

describe('readCvss: invalid vectors', () => {
  it.each([
    ['', 'v3', 'expected a CVSS:3.1/… vector'],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'v3', 'expected a CVSS:3.1/… vector'],
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', 'v3', 'expected a CVSS:3.1/… vector'],
    ['CVSS:3.1/AV:N/AC:L', 'v3', 'missing PR, UI, S, C, I, A'],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'v3', 'AV is given twice'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:1', 'v3', 'unknown metric FOO'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'v3', 'AV:X is not a valid value'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', 'v3', "'' is not METRIC:VALUE"],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:h', 'v3', 'A:h is not a valid value'],
    [
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      'v3',
      'a CVSS:4.0 vector where a v3 one was expected',
    ],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'v4', 'a CVSS:3.1 vector where a v4 one was expected'],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'v4', 'missing AT'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'v4', 'UI:R is not a valid value'],
  ] as const)('%j (%s): %s', (vector, family, message) => {
    expect(error(vector, family)).toBe(message);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 120 }),
        fc.constantFrom('v3' as const, 'v4' as const),
        (text, family) => {
          const reading = readCvss(text, family);
          expect(typeof reading.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
    const metric = fc.constantFrom('AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A', 'E', 'AT', 'VC', 'MSI', 'U');
    const value = fc.constantFrom('N', 'L', 'H', 'X', 'P', 'A', 'C', 'U', 'R', 'S', 'Red', '');
    fc.assert(
      fc.property(
        fc.constantFrom('CVSS:3.1/', 'CVSS:3.0/', 'CVSS:4.0/'),
        fc.array(fc.tuple(metric, value), { maxLength: 16 }),
        (prefix, parts) => {
          const vector = prefix + parts.map(([m, v]) => `${m}:${v}`).join('/');
          const reading = readCvss(vector, prefix === 'CVSS:4.0/' ? 'v4' : 'v3');
          if (reading.ok) expect(reading.cvss.score).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('readCvss: memoization', () => {
  it('computes each distinct vector once and returns the same reading', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N';
    const first = readCvss(vector, 'v3');
    const size = cvssCacheSize();
    for (let i = 0; i < 1000; i++) expect(readCvss(vector, 'v3')).toBe(first);
    expect(cvssCacheSize()).toBe(size);
  });
});

describe('severityOf', () => {
  it('uses the standard bands', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOf)).toEqual([
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
