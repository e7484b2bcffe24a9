import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest.js';

const commands = ['help', 'hosts', 'scan', 'status'];

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect(editDistance('scan', 'scan')).toBe(0);
    expect(editDistance('sca', 'scan')).toBe(1);
    expect(editDistance('scann', 'scan')).toBe(1);
    expect(editDistance('scen', 'scan')).toBe(1);
    expect(editDistance('sacn', 'scan')).toBe(1);
    expect(editDistance('', 'scan')).toBe(4);
  });
});

describe('closest', () => {
  it.each([
    ['sacn', 'scan'],
    ['SCAN', 'scan'],
    ['stat', 'status'],
    ['host', 'hosts'],
    ['hepl', 'help'],
    ['statsu', 'status'],
  ])('suggests %s → %s', (typed, expected) => {
    expect(closest(typed, commands)).toBe(expected);
  });

  it('does not guess when nothing is close', () => {
    expect(closest('deploy', commands)).toBeNull();
    expect(closest('x', commands)).toBeNull();
    expect(closest('', commands)).toBeNull();
  });
});
