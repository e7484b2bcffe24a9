import { describe, expect, it } from 'vitest';
import type { Ordering } from '../types.js';
import { compare, isValid, rpmvercmp } from './index.js';

// Hand-written; each expectation was checked once against rpm 4.18's rpm.vercmp.
const cases: [string, string, Ordering][] = [
  // epochs: leading digits and a colon; missing or empty is 0
  ['1:1.0', '2.0', 1],
  ['0:1.0', '1.0', 0],
  [':1.0', '1.0', 0],
  ['01:1', '1:1', 0],
  ['10:1', '9:2', 1],
  ['a:1', 'b:1', -1],
  // tildes sort before everything, even the end
  ['1.0~rc1', '1.0', -1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc1~git', '1.0~rc1', -1],
  ['1.0~', '1.0', -1],
  ['1.0~rc1-1', '1.0-1', -1],
  // carets sort after the end but before any further segment
  ['1.0^', '1.0', 1],
  ['1.0^git1', '1.0', 1],
  ['1.0^git1', '1.0.1', -1],
  ['1.0^git1', '1.01', -1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0^git1~pre', '1.0^git1', -1],
  // segments: a numeric one beats an alphabetic one; letters compare as ASCII
  ['1.0a', '1.0', 1],
  ['1.a', '1.1', -1],
  ['10xyz', '10.1xyz', -1],
  ['xyz.4', '8', -1],
  ['1.0A', '1.0a', -1],
  // leading zeros are ignored
  ['1.01', '1.1', 0],
  ['1.0010', '1.10', 0],
  ['1.000', '1.0', 0],
  ['1.99999999999999999999', '1.100000000000000000000', -1],
  // other characters only separate, and trailing separators do not count
  ['1_0', '1.0', 0],
  ['1..0', '1.0', 0],
  ['1.0.', '1.0', 0],
  ['1.0é', '1.0', 0],
  ['1.0', '1.0.0', -1],
  // releases: after the last hyphen; a missing release sorts before any release, even an empty one
  ['1.0-1', '1.0-2', -1],
  ['1.0-9.el9', '1.0-10.el9', -1],
  ['1.0-1.el9', '1.0-1.el9_4', -1],
  ['1.0-1.el9', '1.0-1.el10', -1],
  ['8.7p1-38.el9_4.1', '8.7p1-38.el9_4', 1],
  ['1.0', '1.0-1', -1],
  ['1.0-', '1.0', 1],
  ['1.0-', '1.0-0', -1],
];

describe('rpm compare', () => {
  it.each(cases)('%s vs %s is %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(-expected || 0);
  });

  it('rpmvercmp compares one field and reads no epoch or release', () => {
    expect(rpmvercmp('1:2', '2')).toBe(-1);
    expect(rpmvercmp('1-2', '1.2')).toBe(0);
    expect(rpmvercmp('', '')).toBe(0);
    expect(rpmvercmp('', '0')).toBe(-1);
  });
});

describe('rpm validity', () => {
  it.each(['1.0', '1:1.0-1.el9', '1.0~rc1^git1-0.1.fc40', '8.7p1-38.el9_4.1', '4294967295:1', '2.0_1+b'])(
    '%s is valid',
    (evr) => {
      expect(isValid(evr)).toBe(true);
    },
  );

  it.each([
    '',
    ':1',
    'a:1',
    '1.0-',
    '-1',
    '1.0-1-2',
    '1.0 1',
    '1:2:3',
    '1.0/1',
    '4294967296:1',
    '1.0é',
    '1:',
  ])('%j is invalid', (evr) => {
    expect(isValid(evr)).toBe(false);
  });
});
