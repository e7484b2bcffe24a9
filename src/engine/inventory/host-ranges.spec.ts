import { describe, expect, it } from 'vitest';
import { expandHostPattern } from './host-ranges.js';

function expand(pattern: string): string[] {
  const result = expandHostPattern(pattern);
  if (!result.ok) throw new Error(result.message);
  return result.names;
}

describe('expandHostPattern', () => {
  it('keeps a plain name', () => {
    expect(expand('web-01.example.com')).toEqual(['web-01.example.com']);
  });

  it('pads numbers to the width of a zero-padded start', () => {
    expect(expand('web[01:03].example.com')).toEqual([
      'web01.example.com',
      'web02.example.com',
      'web03.example.com',
    ]);
    expect(expand('node[8:10]')).toEqual(['node8', 'node9', 'node10']);
  });

  it('supports a step, letters and several ranges', () => {
    expect(expand('db[0:6:3]')).toEqual(['db0', 'db3', 'db6']);
    expect(expand('rack[a:b]-[1:2]')).toEqual(['racka-1', 'racka-2', 'rackb-1', 'rackb-2']);
  });

  it.each([
    ['web[3:1]', 'ends before it starts'],
    ['web[1]', 'must be [start:end]'],
    ['web[1:x]', 'must be numbers'],
    ['web[1:3:0]', 'invalid step'],
    ['web[1:3', 'unbalanced brackets'],
    ['web1:3]', 'unbalanced brackets'],
    ['web[0:99999]', 'more than 10000 hosts'],
    ['a[0:999]b[0:999]', 'more than 10000 hosts'],
  ])('rejects %s', (pattern, fragment) => {
    const result = expandHostPattern(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(fragment);
  });
});
