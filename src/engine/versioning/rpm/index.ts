/**
 * RPM ordering of `[epoch:]version[-release]` (EVR) strings: the epoch as an integer, then version and
 * release with rpmvercmp, as rpm 4.18's `rpm.vercmp` does. See readme.md for the rules.
 */
import {
  compareCodeUnits,
  compareDigitRuns,
  isDigit,
  isLetter,
  lastIndexOfCode,
  sharedPrefixLength,
  skipDigits,
} from '../chars.js';
import type { Ordering, Versioning } from '../types.js';

const COLON = 0x3a;
const HYPHEN = 0x2d;
const TILDE = 0x7e;
const CARET = 0x5e;
/** rpm keeps the epoch in a 32-bit unsigned tag. */
const MAX_EPOCH = '4294967295';
/** What rpmbuild accepts in Version and Release once macros are expanded. */
const ALLOWED_PUNCTUATION = '._+~^';

function isAlphanumeric(code: number): boolean {
  return isLetter(code) || isDigit(code);
}

/** Everything but ASCII letters, digits, '~' and '^' only separates segments and is otherwise ignored. */
function isSeparator(code: number): boolean {
  return !isLetter(code) && !isDigit(code) && code !== TILDE && code !== CARET;
}

function skipLetters(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isLetter(text.charCodeAt(i))) i++;
  return i;
}

/**
 * rpmvercmp over two ranges. Segments are maximal runs of digits or of letters; a numeric segment beats
 * an alphabetic one; numbers compare as integers (leading zeros ignored), letters as ASCII strings. '~'
 * sorts before anything, even the end; '^' sorts after the end but before any further segment.
 */
export function compareSegments(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): Ordering {
  // Identical leading characters decide nothing, except as the start of a digit or letter segment.
  const shared = sharedPrefixLength(a, aStart, aEnd, b, bStart, bEnd, isAlphanumeric);
  let i = aStart + shared;
  let j = bStart + shared;
  while (i < aEnd || j < bEnd) {
    while (i < aEnd && isSeparator(a.charCodeAt(i))) i++;
    while (j < bEnd && isSeparator(b.charCodeAt(j))) j++;
    const aCode = i < aEnd ? a.charCodeAt(i) : -1;
    const bCode = j < bEnd ? b.charCodeAt(j) : -1;

    if (aCode === TILDE || bCode === TILDE) {
      if (aCode !== TILDE) return 1;
      if (bCode !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (aCode === CARET || bCode === CARET) {
      if (i >= aEnd) return -1;
      if (j >= bEnd) return 1;
      if (aCode !== CARET) return 1;
      if (bCode !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= aEnd || j >= bEnd) break;

    // The segment's kind is set by a; b's segment is the run of the same kind (maybe empty).
    const numeric = isDigit(aCode);
    const aSegmentEnd = numeric ? skipDigits(a, i, aEnd) : skipLetters(a, i, aEnd);
    const bSegmentEnd = numeric ? skipDigits(b, j, bEnd) : skipLetters(b, j, bEnd);
    if (bSegmentEnd === j) return numeric ? 1 : -1;
    const order = numeric
      ? compareDigitRuns(a, i, aSegmentEnd, b, j, bSegmentEnd)
      : compareCodeUnits(a, i, aSegmentEnd, b, j, bSegmentEnd);
    if (order !== 0) return order;
    i = aSegmentEnd;
    j = bSegmentEnd;
  }
  // Same segments, maybe different separators: whichever has something left (only separators) wins.
  if (i >= aEnd && j >= bEnd) return 0;
  return i >= aEnd ? -1 : 1;
}

/** rpmvercmp on two whole strings: what rpm uses for one field (a version, or a release). */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  return compareSegments(a, 0, a.length, b, 0, b.length);
}

/** Index of the colon after a leading run of digits (rpm's parseEVR rule), or -1: "a:1" has no epoch. */
function epochColon(evr: string): number {
  const digitsEnd = skipDigits(evr, 0, evr.length);
  return evr.charCodeAt(digitsEnd) === COLON ? digitsEnd : -1;
}

export function compare(a: string, b: string): Ordering {
  if (a === b) return 0;
  const aColon = epochColon(a);
  const bColon = epochColon(b);
  // Missing (or empty) epoch: an empty digit run, equal to 0.
  const byEpoch = compareDigitRuns(a, 0, Math.max(aColon, 0), b, 0, Math.max(bColon, 0));
  if (byEpoch !== 0) return byEpoch;

  // The release follows the last hyphen. An epoch is digits only, so that hyphen is never inside it.
  const aHyphen = lastIndexOfCode(a, HYPHEN);
  const bHyphen = lastIndexOfCode(b, HYPHEN);
  const aVersionEnd = aHyphen < 0 ? a.length : aHyphen;
  const bVersionEnd = bHyphen < 0 ? b.length : bHyphen;
  const byVersion = compareSegments(a, aColon + 1, aVersionEnd, b, bColon + 1, bVersionEnd);
  if (byVersion !== 0) return byVersion;

  // rpm 4.18 orders a missing release before any release, even an empty one ("1" < "1-").
  if (aHyphen < 0 || bHyphen < 0) {
    if (aHyphen === bHyphen) return 0;
    return aHyphen < 0 ? -1 : 1;
  }
  return compareSegments(a, aHyphen + 1, a.length, b, bHyphen + 1, b.length);
}

function isField(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code) && !isLetter(code) && !ALLOWED_PUNCTUATION.includes(text[i] ?? '')) return false;
  }
  return true;
}

/**
 * Valid means rpmbuild could have produced it: an optional all-digit epoch that fits 32 bits, a non-empty
 * version and an optional non-empty release, both of letters, digits and `._+~^`.
 */
export function isValid(evr: string): boolean {
  const colon = evr.indexOf(':');
  if (colon >= 0) {
    if (colon === 0 || skipDigits(evr, 0, colon) !== colon) return false;
    if (compareDigitRuns(evr, 0, colon, MAX_EPOCH, 0, MAX_EPOCH.length) > 0) return false;
  }
  const hyphen = evr.lastIndexOf('-');
  const versionEnd = hyphen < 0 ? evr.length : hyphen;
  if (!isField(evr, colon + 1, versionEnd)) return false;
  return hyphen < 0 || isField(evr, hyphen + 1, evr.length);
}

export const rpm: Versioning = { compare, isValid };
