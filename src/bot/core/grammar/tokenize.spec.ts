import { describe, expect, it } from 'vitest';
import { type Token, tokenize } from './tokenize.js';

function words(text: string): Token[] {
  const result = tokenize(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.tokens;
}

describe('tokenize', () => {
  it('splits on any run of whitespace', () => {
    expect(words('  scan \t web-01   ').map((t) => t.text)).toEqual(['scan', 'web-01']);
    expect(words('')).toEqual([]);
  });

  it('keeps quoted text as one word and marks it as never a flag', () => {
    expect(words(`"two words" 'it''s' "--refresh"`)).toEqual([
      { text: 'two words', quoted: true },
      { text: 'its', quoted: true },
      { text: '--refresh', quoted: true },
    ]);
  });

  it('lets a flag carry a quoted value', () => {
    expect(words(`--refresh='always'`)).toEqual([{ text: '--refresh=always', quoted: false }]);
  });

  it('handles escapes: \\" and \\\\ inside double quotes, any character after a bare backslash', () => {
    expect(words(String.raw`"a \"b\" \\ \n"`)).toEqual([{ text: String.raw`a "b" \ \n`, quoted: true }]);
    expect(words(String.raw`a\ b \-x`).map((t) => t.text)).toEqual(['a b', '-x']);
    expect(words(String.raw`single '\' stays`).map((t) => t.text)).toEqual(['single', '\\', 'stays']);
  });

  it('keeps an empty quoted word', () => {
    expect(words(`scan ""`)).toEqual([
      { text: 'scan', quoted: false },
      { text: '', quoted: true },
    ]);
  });

  it('counts the argument limit in characters, not UTF-16 units', () => {
    expect(tokenize('😀'.repeat(256)).ok).toBe(true);
    expect(tokenize('😀'.repeat(257)).ok).toBe(false);
  });
});
