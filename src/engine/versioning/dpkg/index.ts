/**
 * Debian version ordering, `[epoch:]upstream[-revision]`, exactly as `dpkg --compare-versions` orders
 * every version it accepts (deb-version(7), Debian Policy 5.6.12). See readme.md for the rules and for
 * what happens to strings dpkg refuses.
 */
import {
  codePointRank,
  compareDigitRuns,
  isDigit,
  isDigitRun,
  isLetter,
  lastIndexOfCode,
  sharedPrefixLength,
  skipDigits,
  ZERO,
} from '../chars.js';
import type { Ordering, Versioning } from '../types.js';

const TILDE = 0x7e;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const NON_ASCII = 0x100;
/** Above every non-ASCII weight. */
const OTHER_ASCII = 0x20000;
/** dpkg stores the epoch in an int: anything above INT_MAX is refused. */
const MAX_EPOCH = '2147483647';

/**
 * Weight of a non-digit in dpkg's character order. '~' sorts before everything, even the end of the
 * string (weight 0, which the caller also gives to a digit), then letters, then non-ASCII characters,
 * then the other ASCII characters. Non-ASCII lands there because dpkg reads UTF-8 bytes as signed chars
 * (weights 128..255, between letters and punctuation at 256 + code); comparing those bytes is comparing
 * code points, so non-ASCII characters weigh their code point rank.
 */
function weight(code: number): number {
  if (isLetter(code)) return code;
  if (code === TILDE) return -1;
  if (code < 0x80) return code + OTHER_ASCII;
  return NON_ASCII + codePointRank(code);
}

/**
 * dpkg's verrevcmp over two ranges: alternately a run of non-digits compared character by character
 * with `weight`, then a run of digits compared as an integer (so "1.0" equals "1.00" and "01" equals "1").
 */
export function compareFragments(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): Ordering {
  // Identical leading characters decide nothing, except as the start of a digit run.
  const shared = sharedPrefixLength(a, aStart, aEnd, b, bStart, bEnd, isDigit);
  let i = aStart + shared;
  let j = bStart + shared;
  while (i < aEnd || j < bEnd) {
    for (;;) {
      // The end of a range weighs what a digit does here: nothing.
      const aCode = i < aEnd ? a.charCodeAt(i) : ZERO;
      const bCode = j < bEnd ? b.charCodeAt(j) : ZERO;
      const aIsDigit = isDigit(aCode);
      const bIsDigit = isDigit(bCode);
      if (aIsDigit && bIsDigit) break;
      const aWeight = aIsDigit ? 0 : weight(aCode);
      const bWeight = bIsDigit ? 0 : weight(bCode);
      if (aWeight !== bWeight) return aWeight < bWeight ? -1 : 1;
      i++;
      j++;
    }
    const aDigitsEnd = skipDigits(a, i, aEnd);
    const bDigitsEnd = skipDigits(b, j, bEnd);
    const order = compareDigitRuns(a, i, aDigitsEnd, b, j, bDigitsEnd);
    if (order !== 0) return order;
    i = aDigitsEnd;
    j = bDigitsEnd;
  }
  return 0;
}

function isSign(code: number): boolean {
  return code === 0x2b || code === 0x2d;
}

/** Where the epoch's digits start: dpkg reads the epoch with strtol, which takes a leading sign. */
function epochDigitsStart(version: string): number {
  return isSign(version.charCodeAt(0)) ? 1 : 0;
}

/**
 * Index of the colon that ends the epoch, or -1. Only a (signed) digit run counts as an epoch: dpkg
 * refuses anything else before the first colon, and reading it as part of the upstream keeps the order
 * total.
 */
function epochColon(version: string): number {
  const digitsStart = epochDigitsStart(version);
  const digitsEnd = skipDigits(version, digitsStart, version.length);
  return digitsEnd > digitsStart && version.charCodeAt(digitsEnd) === COLON ? digitsEnd : -1;
}

export function compare(a: string, b: string): Ordering {
  if (a === b) return 0;
  const aColon = epochColon(a);
  const bColon = epochColon(b);
  // A missing epoch is an empty digit run, which compares equal to 0 (as does the "-0" dpkg accepts).
  const aEpochStart = aColon < 0 ? 0 : epochDigitsStart(a);
  const bEpochStart = bColon < 0 ? 0 : epochDigitsStart(b);
  const byEpoch = compareDigitRuns(a, aEpochStart, Math.max(aColon, 0), b, bEpochStart, Math.max(bColon, 0));
  if (byEpoch !== 0) return byEpoch;

  const aStart = aColon + 1;
  const bStart = bColon + 1;
  // The revision is whatever follows the last hyphen; without one it is empty, which equals "0".
  const aHyphen = lastIndexOfCode(a, HYPHEN);
  const bHyphen = lastIndexOfCode(b, HYPHEN);
  const aUpstreamEnd = aHyphen >= aStart ? aHyphen : a.length;
  const bUpstreamEnd = bHyphen >= bStart ? bHyphen : b.length;
  const byUpstream = compareFragments(a, aStart, aUpstreamEnd, b, bStart, bUpstreamEnd);
  if (byUpstream !== 0) return byUpstream;
  return compareFragments(a, aUpstreamEnd + 1, a.length, b, bUpstreamEnd + 1, b.length);
}

export interface DpkgSyntaxProblem {
  /** 'error': dpkg refuses to compare the version; 'warning': dpkg warns, then compares it anyway. */
  severity: 'error' | 'warning';
  message: string;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

function hasOnly(text: string, start: number, end: number, punctuation: string): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code) && !isLetter(code) && !punctuation.includes(text[i] ?? '')) return false;
  }
  return true;
}

/** dpkg's epoch checks: strtol's reading (optional sign, digits) must end at the colon and fit an int. */
function checkEpoch(version: string, colon: number): DpkgSyntaxProblem | undefined {
  const start = epochDigitsStart(version);
  if (!isDigit(version.charCodeAt(start))) return { severity: 'error', message: 'epoch in version is empty' };
  if (!isDigitRun(version, start, colon))
    return { severity: 'error', message: 'epoch in version is not number' };
  if (version.charCodeAt(0) === 0x2d && compareDigitRuns(version, start, colon, '0', 0, 1) > 0) {
    return { severity: 'error', message: 'epoch in version is negative' };
  }
  if (compareDigitRuns(version, start, colon, MAX_EPOCH, 0, MAX_EPOCH.length) > 0) {
    return { severity: 'error', message: 'epoch in version is too big' };
  }
  if (colon === version.length - 1) {
    return { severity: 'error', message: 'nothing after colon in version number' };
  }
  return undefined;
}

/**
 * What dpkg says about a version, in the order dpkg checks it and with its messages; undefined when it
 * says nothing. Stricter than dpkg in one place: any whitespace is an error here, because `compare` does
 * not trim (dpkg trims leading and trailing blanks).
 */
export function checkDpkgVersion(version: string): DpkgSyntaxProblem | undefined {
  if (version.length === 0) return { severity: 'error', message: 'version string is empty' };
  for (let i = 0; i < version.length; i++) {
    if (isSpace(version.charCodeAt(i))) {
      return { severity: 'error', message: 'version string has embedded spaces' };
    }
  }
  const colon = version.indexOf(':');
  if (colon >= 0) {
    const problem = checkEpoch(version, colon);
    if (problem) return problem;
  }
  const start = colon + 1;
  const hyphen = version.lastIndexOf('-');
  const hasRevision = hyphen >= start;
  if (hasRevision && hyphen === version.length - 1) {
    return { severity: 'error', message: 'revision number is empty' };
  }
  const upstreamEnd = hasRevision ? hyphen : version.length;
  if (upstreamEnd === start) return { severity: 'error', message: 'version number is empty' };
  if (!isDigit(version.charCodeAt(start))) {
    return { severity: 'warning', message: 'version number does not start with digit' };
  }
  if (!hasOnly(version, start, upstreamEnd, '.-+~:')) {
    return { severity: 'warning', message: 'invalid character in version number' };
  }
  if (hasRevision && !hasOnly(version, hyphen + 1, version.length, '.+~')) {
    return { severity: 'warning', message: 'invalid character in revision number' };
  }
  return undefined;
}

/** Valid means dpkg accepts the version without an error or a warning, which is what Policy requires. */
export function isValid(version: string): boolean {
  return checkDpkgVersion(version) === undefined;
}

export const dpkg: Versioning = { compare, isValid };
