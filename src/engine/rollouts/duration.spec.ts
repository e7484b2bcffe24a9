import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_SECONDS, parseDuration } from './duration.js';

function seconds(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.seconds;
}

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['90s', 90],
    ['10m', 600],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['1d2h3m4s', 93_784],
    [' 30M ', 1800],
    ['7d', MAX_DURATION_SECONDS],
  ])('reads %j', (text, expected) => {
    expect(seconds(text)).toBe(expected);
  });

  it.each([
    ['', 'must look like 90s'],
    ['10', 'must look like 90s'],
    ['30m1h', 'must look like 90s'],
    ['1h1h', 'must look like 90s'],
    ['1.5h', 'must look like 90s'],
    ['-1m', 'must look like 90s'],
    ['1w', 'must look like 90s'],
    ['1 h', 'must look like 90s'],
    ['7d1s', 'must be at most 7 days'],
    ['200h', 'must be at most 7 days'],
  ])('rejects %j', (text, fragment) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(fragment);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [90, '1m30s'],
    [600, '10m'],
    [5400, '1h30m'],
    [172_800, '2d'],
    [90_000, '1d1h'],
  ])('%i seconds → %s', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_SECONDS }), (value) => {
        expect(seconds(formatDuration(value))).toBe(value);
      }),
    );
  });
});
