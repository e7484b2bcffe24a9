/**
 * apk-tools 2 ordering, kept for one job: breaking ties between two versions that apk-tools 3 finds
 * invalid at the same token (it calls them equal). Old Alpine secdb entries such as openssh
 * "6.0.2p1-r3" (a digit after the letter) are invalid for apk-tools 3, but the hosts that carry them run
 * apk-tools 2, which keeps reading and orders "6.0.2p1-r3" before "6.0.2p1-r4". Not on the hot path.
 */
import { isDigit } from '../chars.js';
import type { Ordering } from '../types.js';

// apk-tools 2's token kinds, in its order (INVALID below all of them).
const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NUMBER = 4;
const REVISION = 5;
const END = 6;

/** Pre-release suffixes get negative values and post-release ones non-negative; matched as prefixes. */
const PRE_RELEASE = ['alpha', 'beta', 'pre', 'rc'];
const POST_RELEASE = ['cvs', 'svn', 'git', 'hg', 'p'];

function isLowercase(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

class LegacyTokens {
  private position = 0;
  type = DIGIT;

  constructor(private readonly text: string) {}

  /** The kind of the token at the current position, given the kind of the one just read. */
  private kindOfNext(): number {
    const { text } = this;
    if (this.position >= text.length) return END;
    const code = text.charCodeAt(this.position);
    const previous = this.type;
    let kind: number;
    if ((previous === DIGIT || previous === DIGIT_OR_ZERO) && isLowercase(code)) kind = LETTER;
    else if (previous === LETTER && isDigit(code)) kind = DIGIT;
    else if (previous === SUFFIX && isDigit(code)) kind = SUFFIX_NUMBER;
    else {
      if (code === 0x2e) kind = DIGIT_OR_ZERO;
      else if (code === 0x5f) kind = SUFFIX;
      else if (code === 0x2d && text.charCodeAt(this.position + 1) === 0x72) {
        kind = REVISION;
        this.position++;
      } else kind = INVALID;
      this.position++;
    }
    const allowedBackStep =
      (kind === DIGIT_OR_ZERO && previous === DIGIT) ||
      (kind === SUFFIX && previous === SUFFIX_NUMBER) ||
      (kind === DIGIT && previous === LETTER);
    return kind < previous && !allowedBackStep ? INVALID : kind;
  }

  /** Reads the value of the current token and moves `type` on to the kind of the next one. */
  read(): number {
    const { text } = this;
    if (this.position >= text.length) {
      this.type = END;
      return 0;
    }
    let value = 0;
    let nextKind = INVALID;
    if (this.type === DIGIT_OR_ZERO && text.charCodeAt(this.position) === 0x30) {
      // Leading zeros after a dot count as minus their number, so 1.01 < 1.1 and 1.001 < 1.01.
      const start = this.position;
      while (text.charCodeAt(this.position) === 0x30) this.position++;
      value = start - this.position;
      nextKind = DIGIT;
    } else if (
      this.type === DIGIT_OR_ZERO ||
      this.type === DIGIT ||
      this.type === SUFFIX_NUMBER ||
      this.type === REVISION
    ) {
      while (this.position < text.length && isDigit(text.charCodeAt(this.position))) {
        value = value * 10 + text.charCodeAt(this.position++) - 0x30;
      }
    } else if (this.type === LETTER) {
      value = text.charCodeAt(this.position++);
    } else if (this.type === SUFFIX) {
      const suffix = this.readSuffix();
      if (suffix === undefined) {
        this.type = INVALID;
        return -1;
      }
      value = suffix;
    } else {
      this.type = INVALID;
      return -1;
    }
    if (this.position >= text.length) this.type = END;
    else this.type = nextKind !== INVALID ? nextKind : this.kindOfNext();
    return value;
  }

  /** The suffix's value (matched as a prefix, as apk-tools 2 does), or undefined for an unknown one. */
  private readSuffix(): number | undefined {
    const pre = PRE_RELEASE.findIndex((name) => this.text.startsWith(name, this.position));
    if (pre >= 0) {
      this.position += PRE_RELEASE[pre]?.length ?? 0;
      return pre - PRE_RELEASE.length;
    }
    const post = POST_RELEASE.findIndex((name) => this.text.startsWith(name, this.position));
    if (post >= 0) {
      this.position += POST_RELEASE[post]?.length ?? 0;
      return post;
    }
    return undefined;
  }

  /** The value the suffix token at the current position would have, without consuming it. */
  peekSuffixValue(): number {
    const peek = new LegacyTokens(this.text);
    peek.position = this.position;
    peek.type = SUFFIX;
    return peek.read();
  }
}

export function compareLegacy(a: string, b: string): Ordering {
  const left = new LegacyTokens(a);
  const right = new LegacyTokens(b);
  let leftValue = 0;
  let rightValue = 0;
  while (left.type === right.type && left.type !== END && left.type !== INVALID && leftValue === rightValue) {
    leftValue = left.read();
    rightValue = right.read();
  }
  if (leftValue !== rightValue) return leftValue < rightValue ? -1 : 1;
  if (left.type === right.type) return 0;
  // A pre-release (or unknown) suffix where the other version goes on otherwise makes it older.
  if (left.type === SUFFIX && left.peekSuffixValue() < 0) return -1;
  if (right.type === SUFFIX && right.peekSuffixValue() < 0) return 1;
  return left.type > right.type ? -1 : 1;
}
