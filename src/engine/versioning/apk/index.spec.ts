import { describe, expect, it } from 'vitest';
import type { Ordering } from '../types.js';
import { compare, compareFuzzy, isValid } from './index.js';
import { compareLegacy } from './legacy.js';

// Hand-written from apk-tools 3's rules (src/version.c); the public vectors cover the rest.
const cases: [string, string, Ordering][] = [
  // numeric components
  ['1.2', '1.10', -1],
  ['2', '10', -1],
  ['1.0', '1.0.0', -1],
  ['1.99999999999999999999', '1.100000000000000000000', -1],
  // a leading zero after a dot makes the component compare as a string; the first is numeric
  ['1.01', '1.1', -1],
  ['8.2.0', '8.2.001', -1],
  ['1.06', '1.006', 1],
  ['006', '6', 0],
  // one letter after the numbers
  ['1.0a', '1.0b', -1],
  ['1.0', '1.0a', -1],
  ['1.0a', '1.0.1', -1],
  // suffixes: alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p, then their numbers
  ['1.0_alpha', '1.0_beta', -1],
  ['1.0_pre', '1.0_rc', -1],
  ['1.0_rc1', '1.0', -1],
  ['1.0_rc9', '1.0_rc10', -1],
  ['1.0', '1.0_cvs', -1],
  ['1.0_cvs', '1.0_svn', -1],
  ['1.0_git', '1.0_hg', -1],
  ['1.0_hg', '1.0_p', -1],
  ['1.0_p1', '1.0.1', -1],
  ['1.0_alpha_pre2', '1.0_alpha', -1],
  ['9.7_p1-r4', '9.7_p1-r10', -1],
  // commit hashes compare as strings
  ['1.0~1234', '1.0~2345', -1],
  ['1.0~abc-r1', '1.0~abc-r0', 1],
  ['1.0', '1.0~abc', -1],
  // revisions
  ['1.0-r1', '1.0-r2', -1],
  ['1.0-r9', '1.0-r10', -1],
  ['1.0', '1.0-r0', -1],
  ['1.0-r1', '1.0a', -1],
  // invalid versions: apk-tools 3 order up to the first invalid token...
  ['1.0', '1.0bc', -1],
  ['1-r-1', '1-r0', -1],
  // ...and apk-tools 2's order where both turn invalid at the same token
  ['6.0.2p1-r3', '6.0.2p1-r4', -1],
  ['a', 'b', -1],
  ['', '', 0],
];

describe('apk compare', () => {
  it.each(cases)('%s vs %s is %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(-expected || 0);
  });

  it('orders token kinds as documented', () => {
    const chain = ['1.0_rc1', '1.0', '1.0-r1', '1.0~c0ffee', '1.0_p1', '1.0a', '1.0.1'];
    for (let i = 1; i < chain.length; i++) expect(compare(chain[i - 1] ?? '', chain[i] ?? '')).toBe(-1);
  });

  it('fuzzy comparison lets a version match a prefix of whole tokens', () => {
    expect(compareFuzzy('3.6.9', '3.6')).toBe(0);
    expect(compareFuzzy('3.6_pre1', '3.6')).toBe(0);
    expect(compareFuzzy('3.6', '3.6')).toBe(0);
    expect(compareFuzzy('3.5', '3.6')).toBe(-1);
    expect(compareFuzzy('3.60', '3.6')).toBe(1);
    expect(compareFuzzy('3.6', '3.6.1')).toBe(-1);
  });

  it('apk-tools 2 ordering reads digits after a letter and treats empty parts as zero', () => {
    expect(compareLegacy('6.6.2p1', '6.6.2p2')).toBe(-1);
    expect(compareLegacy('0..8', '0...8')).toBe(1);
    expect(compareLegacy('1.0', '1.00')).toBe(1);
    expect(compareLegacy('1.2_rc1', '1.2')).toBe(-1);
    expect(compareLegacy('1-ruff2', '1-ruff1')).toBe(0);
  });
});

describe('apk validity', () => {
  it.each(['1', '1.2', '1.2.3a_rc1_p2~c0ffee-r4', '0.1_git20240101_pre1', '9.7_p1-r4', '1.0~1234abcd'])(
    '%s is valid',
    (version) => {
      expect(isValid(version)).toBe(true);
    },
  );

  it.each([
    '',
    'a',
    '.1',
    '1.',
    '1a1',
    '1.0_foo',
    '1.0_',
    '1.0-r',
    '1.0-r1-r2',
    '1.0~',
    '1.0~xyz',
    '1.0_p1.1',
    '1.0A',
    '1 ',
  ])('%j is invalid', (version) => {
    expect(isValid(version)).toBe(false);
  });
});
