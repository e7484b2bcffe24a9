import { describe, expect, it } from 'vitest';
import { formatPercent, percentOf, readPercent } from './percent.js';

describe('readPercent', () => {
  it.each([
    ['5%', 5],
    ['2.5%', 2.5],
    ['100%', 100],
    ['0%', 0],
  ])('reads %s', (text, percent) => {
    expect(readPercent(text)).toBe(percent);
  });

  it.each(['5', '%', '2.55%', '.5%', '5 %', '1000%', '-1%', '5%%'])('refuses %s', (text) => {
    expect(readPercent(text)).toBeNull();
  });
});

describe('percentOf', () => {
  it('rounds down exactly, where floating point would lose a host', () => {
    expect(0.29 * 100).toBeLessThan(29);
    expect(percentOf(29, 100)).toBe(29);
    expect(percentOf(2.5, 10)).toBe(0);
    expect(percentOf(2.5, 40)).toBe(1);
    expect(percentOf(100, 7)).toBe(7);
  });
});

describe('formatPercent', () => {
  it('writes at most one decimal', () => {
    expect(formatPercent(5)).toBe('5%');
    expect(formatPercent(2.5)).toBe('2.5%');
  });
});
