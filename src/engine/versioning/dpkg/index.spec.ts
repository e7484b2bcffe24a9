import { describe, expect, it } from 'vitest';
import type { Ordering } from '../types.js';
import { checkDpkgVersion, compare, isValid } from './index.js';

// Hand-written; each expectation was checked once against `dpkg --compare-versions` (dpkg 1.21, Debian 12).
const cases: [string, string, Ordering][] = [
  // epochs: missing is 0, compared as integers, before anything else
  ['1:1.0', '2.0', 1],
  ['0:1.0', '1.0', 0],
  ['01:1.0', '1:1.0', 0],
  ['1:0', '0:99', 1],
  ['2147483647:1', '1:2', 1],
  ['+1:2', '1:2', 0],
  ['1:2:3', '1:2', 1],
  // tildes sort before everything, even the end of the string
  ['1.0~rc1', '1.0', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0~rc1~git', '1.0~rc1', -1],
  ['1.0~', '1.0', -1],
  ['1.0~rc1-1', '1.0-1', -1],
  ['1.0z', '1.0~', 1],
  // letters sort before non-letters (ASCII order among them), non-ASCII between letters and punctuation
  ['1.0a', '1.0+', -1],
  ['1.0a', '1.0.', -1],
  ['1.0A', '1.0a', -1],
  ['1.0+', '1.0.', -1],
  ['1a', '1é', -1],
  ['1é', '1+', -1],
  // digit runs compare as integers
  ['1.9', '1.10', -1],
  ['1.09', '1.9', 0],
  ['1.001', '1.1', 0],
  ['1.0', '1.00', 0],
  ['10', '9', 1],
  ['1.99999999999999999999', '1.100000000000000000000', -1],
  // an extra part, even an empty one after a separator, makes a version newer
  ['1.0', '1', 1],
  ['1.0.', '1.0', 1],
  ['1..0', '1.0', 1],
  // revisions: after the last hyphen, missing equals "0"
  ['1.0-1', '1.0-2', -1],
  ['1.0-9', '1.0-10', -1],
  ['1.0-1', '1.0-1+deb12u1', -1],
  ['1.0-1ubuntu1', '1.0-1+deb12u1', -1],
  ['1.0-1~bpo11+1', '1.0-1', -1],
  ['1.0', '1.0-0', 0],
  ['1.0-0', '1.0-00', 0],
  ['1:1.0', '1:1.0-0', 0],
  ['1.0~', '1.0-1', -1],
  ['1-2-3', '1-2-4', -1],
  ['1.0-beta-1', '1.0-1', 1],
  // the empty version (dpkg's blank version) sorts after "~" only
  ['', '0', 0],
  ['', '~', 1],
];

describe('dpkg compare', () => {
  it.each(cases)('%s vs %s is %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(-expected || 0);
  });

  it('orders versions it would refuse consistently instead of throwing', () => {
    expect(compare('a:1', 'a:1')).toBe(0);
    expect(compare('1-', '1')).toBe(0);
    expect(compare('1:', '0:')).toBe(1);
  });
});

describe('dpkg validity', () => {
  it.each([
    '1.0',
    '1:2.3-4',
    '2:1.2.3~rc1+dfsg-1ubuntu0.22.04.1',
    '1.0-beta-1',
    '1:2:3',
    '0:0',
    '2147483647:1',
  ])('%s is valid', (version) => {
    expect(isValid(version)).toBe(true);
    expect(checkDpkgVersion(version)).toBeUndefined();
  });

  it.each([
    ['', 'error', 'version string is empty'],
    [' 1.0', 'error', 'version string has embedded spaces'],
    ['1.0 ', 'error', 'version string has embedded spaces'],
    [':1', 'error', 'epoch in version is empty'],
    ['a:1', 'error', 'epoch in version is empty'],
    ['1a:1', 'error', 'epoch in version is not number'],
    ['-1:1', 'error', 'epoch in version is negative'],
    ['2147483648:1', 'error', 'epoch in version is too big'],
    ['1:', 'error', 'nothing after colon in version number'],
    ['1-', 'error', 'revision number is empty'],
    ['1:-1', 'error', 'version number is empty'],
    ['a1', 'warning', 'version number does not start with digit'],
    ['1.0_1', 'warning', 'invalid character in version number'],
    ['1.0-1_2', 'warning', 'invalid character in revision number'],
    ['1.0-1=2', 'warning', 'invalid character in revision number'],
    ['1.0-1:2', 'error', 'epoch in version is not number'],
  ])('%j: %s, %s', (version, severity, message) => {
    expect(checkDpkgVersion(version)).toEqual({ severity, message });
    expect(isValid(version)).toBe(false);
  });
});
