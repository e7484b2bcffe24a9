/**
 * Alpine ordering, `number{.number}[letter]{_suffix[number]}[~hash][-rN]`, as apk-tools 3 compares it
 * (`apk version -t`), including how it orders versions it calls invalid. See readme.md for the rules and
 * the differences from apk-tools 2.
 */
import { compareCodeUnits, compareDigitRuns, isDigit, skipDigits, ZERO } from '../chars.js';
import type { Ordering, Versioning } from '../types.js';
import { compareLegacy } from './legacy.js';

// Token kinds in the order they may follow one another; the comparison relies on this order.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NUMBER = 4;
const COMMIT_HASH = 5;
const REVISION = 6;
const END = 7;
const INVALID = 8;

const DOT = 0x2e;
const UNDERSCORE = 0x5f;
const TILDE = 0x7e;
const HYPHEN = 0x2d;
const LOWER_R = 0x72;

/** Suffix ranks: pre-releases below NO_SUFFIX, post-releases above; 0 is not a suffix. */
const NO_SUFFIX = 5;
const SUFFIX_RANKS: ReadonlyArray<readonly [string, number]> = [
  ['alpha', 1],
  ['beta', 2],
  ['pre', 3],
  ['rc', 4],
  ['cvs', 6],
  ['svn', 7],
  ['git', 8],
  ['hg', 9],
  ['p', 10],
];

function suffixRank(text: string, start: number, end: number): number {
  for (const [name, rank] of SUFFIX_RANKS) {
    if (end - start === name.length && text.startsWith(name, start)) return rank;
  }
  return 0;
}

function isLowercase(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

/**
 * apk's character classes let every byte above 127 through (they only describe ASCII), so a non-ASCII
 * character extends a suffix span (which then names no suffix) or a hash span, as it does in apk.
 */
function isSuffixCharacter(code: number): boolean {
  return isLowercase(code) || code > 0x7f;
}

function isHashCharacter(code: number): boolean {
  return isDigit(code) || (code >= 0x61 && code <= 0x66) || code > 0x7f;
}

/** Walks one version token by token; two instances are reused by every comparison, so none allocates. */
class Tokens {
  text = '';
  position = 0;
  type = INVALID;
  /** The token's text is text[valueStart, valueEnd). */
  valueStart = 0;
  valueEnd = 0;
  suffix = 0;

  start(text: string): void {
    this.text = text;
    this.position = 0;
    this.type = this.readDigits(INITIAL_DIGIT);
  }

  /** Reads the next token; a token that may not follow the previous one makes the rest INVALID. */
  next(): void {
    this.type = this.position < this.text.length ? this.read(this.type) : END;
  }

  private read(previous: number): number {
    const code = this.text.charCodeAt(this.position);
    if (isLowercase(code)) {
      if (previous > DIGIT) return INVALID;
      this.valueStart = this.position;
      this.valueEnd = ++this.position;
      return LETTER;
    }
    if (code === DOT || isDigit(code)) {
      if (code === DOT) {
        if (previous > DIGIT) return INVALID;
        this.position++;
      }
      if (previous === INITIAL_DIGIT || previous === DIGIT) return this.readDigits(DIGIT);
      return previous === SUFFIX ? this.readDigits(SUFFIX_NUMBER) : INVALID;
    }
    if (code === UNDERSCORE) {
      if (previous > SUFFIX_NUMBER) return INVALID;
      this.position++;
      this.readSpan(isSuffixCharacter);
      this.suffix = suffixRank(this.text, this.valueStart, this.valueEnd);
      return this.suffix === 0 ? INVALID : SUFFIX;
    }
    if (code === TILDE) {
      if (previous >= COMMIT_HASH) return INVALID;
      this.position++;
      this.readSpan(isHashCharacter);
      return this.valueEnd === this.valueStart ? INVALID : COMMIT_HASH;
    }
    if (code === HYPHEN && previous < REVISION && this.text.charCodeAt(this.position + 1) === LOWER_R) {
      this.position += 2;
      return this.readDigits(REVISION);
    }
    return INVALID;
  }

  /** Reads a run of digits as a token of the given kind; an empty run is INVALID. */
  private readDigits(type: number): number {
    this.valueStart = this.position;
    this.position = skipDigits(this.text, this.position, this.text.length);
    this.valueEnd = this.position;
    return this.valueEnd === this.valueStart ? INVALID : type;
  }

  private readSpan(accepts: (code: number) => boolean): void {
    const { text } = this;
    this.valueStart = this.position;
    while (this.position < text.length && accepts(text.charCodeAt(this.position))) this.position++;
    this.valueEnd = this.position;
  }
}

const left = new Tokens();
const right = new Tokens();

/** Compares two tokens of the same kind. */
function compareTokens(a: Tokens, b: Tokens): Ordering {
  switch (a.type) {
    case DIGIT:
      // A component after a dot with a leading zero compares as a string (Gentoo's rule): 1.01 < 1.1.
      if (a.text.charCodeAt(a.valueStart) === ZERO || b.text.charCodeAt(b.valueStart) === ZERO) {
        return compareCodeUnits(a.text, a.valueStart, a.valueEnd, b.text, b.valueStart, b.valueEnd);
      }
      return compareDigitRuns(a.text, a.valueStart, a.valueEnd, b.text, b.valueStart, b.valueEnd);
    case INITIAL_DIGIT:
    case SUFFIX_NUMBER:
    case REVISION:
      return compareDigitRuns(a.text, a.valueStart, a.valueEnd, b.text, b.valueStart, b.valueEnd);
    case LETTER: {
      const difference = a.text.charCodeAt(a.valueStart) - b.text.charCodeAt(b.valueStart);
      return difference === 0 ? 0 : difference < 0 ? -1 : 1;
    }
    case SUFFIX:
      return a.suffix === b.suffix ? 0 : a.suffix < b.suffix ? -1 : 1;
    default:
      return compareCodeUnits(a.text, a.valueStart, a.valueEnd, b.text, b.valueStart, b.valueEnd);
  }
}

/**
 * Compares token by token while both have the same kind of token. When the kinds differ, a pre-release
 * suffix is older than anything, and otherwise the version whose next token comes later in a version
 * (or that has ended) is older: 1.0_rc1 < 1.0 < 1.0-r1 < 1.0_p1 < 1.0a < 1.0.1. With `prefixMatch`, b may
 * also simply end first (apk's fuzzy `~` match: 3.6.9 ~ 3.6).
 */
function compareTokenwise(a: string, b: string, prefixMatch: boolean): Ordering {
  left.start(a);
  right.start(b);
  while (left.type === right.type && left.type < END) {
    const order = compareTokens(left, right);
    if (order !== 0) return order;
    left.next();
    right.next();
  }
  if (left.type === right.type) {
    // apk-tools 3 calls two versions equal once both turn invalid at the same token; apk-tools 2, which
    // the hosts carrying such versions run, still orders them (6.0.2p1-r3 < 6.0.2p1-r4).
    return left.type === INVALID && !prefixMatch ? compareLegacy(a, b) : 0;
  }
  if (prefixMatch && right.type === END) return 0;
  if (left.type === SUFFIX && left.suffix < NO_SUFFIX) return -1;
  if (right.type === SUFFIX && right.suffix < NO_SUFFIX) return 1;
  return left.type > right.type ? -1 : 1;
}

export function compare(a: string, b: string): Ordering {
  if (a === b) return 0;
  return compareTokenwise(a, b, false);
}

/**
 * apk's fuzzy comparison (the `~` operator): like `compare`, except that a version equals any prefix of
 * itself made of whole tokens, so `compareFuzzy("3.6.9", "3.6")` is 0 while "3.5" stays older.
 */
export function compareFuzzy(version: string, prefix: string): Ordering {
  return compareTokenwise(version, prefix, true);
}

/** Valid means apk-tools 3 accepts it: every token may follow the one before it, up to the end. */
export function isValid(version: string): boolean {
  left.start(version);
  while (left.type < END) left.next();
  return left.type === END;
}

export const apk: Versioning = { compare, isValid };
