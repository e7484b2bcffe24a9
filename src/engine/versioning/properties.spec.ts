/**
 * Order laws every scheme must keep, on generated versions (valid or not): compare is a total preorder,
 * so sorting works and matching never sees a version both below and above a bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alpineVersion, debianVersion, rpmEvr } from '../../../test/support/version-arbitraries.js';
import { compareFuzzy } from './apk/index.js';
import { compareFragments } from './dpkg/index.js';
import { compareVersions, type VersionScheme } from './index.js';
import { compareSegments } from './rpm/index.js';

interface SchemeUnderTest {
  scheme: VersionScheme;
  versions: fc.Arbitrary<string>;
  /** Compares a version with itself without the `a === b` shortcut. */
  selfCompare: (version: string) => number;
  /** A different spelling of the same version: leading zeros added to a numeric field. */
  respell: (version: string) => string;
}

const schemes: SchemeUnderTest[] = [
  {
    scheme: 'dpkg',
    versions: debianVersion,
    selfCompare: (v) => compareFragments(v, 0, v.length, v, 0, v.length),
    respell: (v) => v.replace(/\d+/g, '0$&'),
  },
  {
    scheme: 'rpm',
    versions: rpmEvr('sometimes'),
    selfCompare: (v) => compareSegments(v, 0, v.length, v, 0, v.length),
    respell: (v) => v.replace(/\d+/g, '0$&'),
  },
  {
    scheme: 'apk',
    versions: alpineVersion,
    selfCompare: (v) => compareFuzzy(v, v),
    // Only the first component is read as a plain number; later ones with a leading zero as strings.
    respell: (v) => `0${v}`,
  },
];

describe.each(schemes)('$scheme order laws', ({ scheme, versions, selfCompare, respell }) => {
  const compare = (a: string, b: string) => compareVersions(scheme, a, b);

  it('is reflexive', () => {
    fc.assert(
      fc.property(versions, (v) => {
        expect(compare(v, v)).toBe(0);
        expect(selfCompare(v)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(versions, versions, (a, b) => {
        expect(compare(a, b)).toBe(-compare(b, a) || 0);
      }),
      { numRuns: 5000 },
    );
  });

  it('is transitive: every pair of a sorted sample is in order, and ties are interchangeable', () => {
    fc.assert(
      fc.property(fc.array(versions, { minLength: 2, maxLength: 40 }), (sample) => {
        const sorted = [...sample].sort(compare);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) {
            const a = sorted[i] ?? '';
            const b = sorted[j] ?? '';
            expect(compare(a, b), `${a} vs ${b}`).toBeLessThanOrEqual(0);
            if (compare(a, b) === 0) {
              for (const other of sorted) expect(compare(a, other)).toBe(compare(b, other));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('treats a respelling with leading zeros as the same version', () => {
    fc.assert(
      fc.property(versions, versions, (v, other) => {
        const respelled = respell(v);
        expect(compare(v, respelled), `${v} vs ${respelled}`).toBe(0);
        expect(compare(respelled, other)).toBe(compare(v, other));
      }),
      { numRuns: 3000 },
    );
  });
});
