import { describe, expect, it } from 'vitest';
import { clean, displayWidth, padStart, truncate } from './text.js';

describe('terminal text', () => {
  it('removes control characters and flattens line breaks', () => {
    expect(clean('a\u001b[31mb\u0007c\td\r\ne\u202e')).toBe('a[31mbc d  e');
    expect(clean('one\ntwo', true)).toBe('one\ntwo');
  });

  it('measures wide and combining characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('truncates by columns with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('中文中文', 5)).toBe('中文…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(padStart('中', 4)).toBe('  中');
  });
});
