/**
 * Character helpers shared by the schemes. Everything works on UTF-16 code units of a range
 * [start, end) of the original string, so comparing never slices or allocates.
 */
import type { Ordering } from './types.js';

export const ZERO = 0x30;
export const NINE = 0x39;

export function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** ASCII letters only, like the C locale's isalpha that dpkg and rpm use. */
export function isLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** Index of the first non-digit at or after `start` (or `end`). */
export function skipDigits(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Compares two runs of ASCII digits as unbounded non-negative integers: leading zeros are ignored, then the
 * longer run is larger, then the first differing digit decides. Exact for any length, unlike parseInt.
 */
export function compareDigitRuns(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): Ordering {
  let i = aStart;
  let j = bStart;
  while (i < aEnd && a.charCodeAt(i) === ZERO) i++;
  while (j < bEnd && b.charCodeAt(j) === ZERO) j++;
  const aLength = aEnd - i;
  const bLength = bEnd - j;
  if (aLength !== bLength) return aLength < bLength ? -1 : 1;
  return compareCodeUnits(a, i, aEnd, b, j, bEnd);
}

/**
 * Rank of a UTF-16 code unit such that comparing ranks unit by unit orders strings by code point, which
 * is also how C tools order their UTF-8 bytes: surrogates (characters above U+FFFF) rank after U+FFFF.
 */
export function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * memcmp-then-length order (C's strcmp on the two ranges, read as UTF-8): a proper prefix sorts first.
 */
export function compareCodeUnits(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): Ordering {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const shorter = Math.min(aLength, bLength);
  for (let k = 0; k < shorter; k++) {
    const aUnit = a.charCodeAt(aStart + k);
    const bUnit = b.charCodeAt(bStart + k);
    if (aUnit !== bUnit) return codePointRank(aUnit) < codePointRank(bUnit) ? -1 : 1;
  }
  if (aLength === bLength) return 0;
  return aLength < bLength ? -1 : 1;
}

/**
 * Index of the last `code` in the string, or -1. A plain loop: String.prototype.lastIndexOf is a runtime
 * call in V8 that costs more than the whole comparison on short strings.
 */
export function lastIndexOfCode(text: string, code: number): number {
  let i = text.length - 1;
  while (i >= 0 && text.charCodeAt(i) !== code) i--;
  return i;
}

/**
 * Length of the common prefix of a[aStart, aEnd) and b[bStart, bEnd), cut back so that it does not end
 * inside a run of characters that `keepsRun` accepts: comparing what follows then gives the same answer
 * as comparing the whole ranges, as long as runs are the only units wider than one character.
 */
export function sharedPrefixLength(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
  keepsRun: (code: number) => boolean,
): number {
  const limit = Math.min(aEnd - aStart, bEnd - bStart);
  let length = 0;
  while (length < limit && a.charCodeAt(aStart + length) === b.charCodeAt(bStart + length)) length++;
  while (length > 0 && keepsRun(a.charCodeAt(aStart + length - 1))) length--;
  return length;
}

/** True when every code unit of the range is an ASCII digit (an empty range is not a number). */
export function isDigitRun(text: string, start: number, end: number): boolean {
  return end > start && skipDigits(text, start, end) === end;
}
