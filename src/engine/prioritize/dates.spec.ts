import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isIsoDay, utcDay } from './dates.js';
import { epssText, formatProbability, ordinal } from './reasons.js';

describe('UTC day arithmetic', () => {
  it('takes the UTC calendar day of dates and timestamps', () => {
    expect(utcDay('2025-03-04')).toBe('2025-03-04');
    expect(utcDay('2025-03-04T23:59:59Z')).toBe('2025-03-04');
    expect(utcDay('2025-03-04T22:00:00-05:00')).toBe('2025-03-05');
    expect(utcDay('2025-03-05T01:00:00+02:00')).toBe('2025-03-04');
    expect(utcDay(new Date(Date.UTC(2025, 2, 4, 12)))).toBe('2025-03-04');
  });

  it('adds days across months, leap days and daylight-saving changes', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31'); // Europe moves its clocks that night
    expect(addDays('2025-12-31', 90)).toBe('2026-03-31');
    expect(addDays('2025-01-01', 0)).toBe('2025-01-01');
  });

  it('counts days between two dates', () => {
    expect(daysBetween('2025-03-01', '2025-03-04')).toBe(3);
    expect(daysBetween('2025-03-04', '2025-03-01')).toBe(-3);
    expect(daysBetween('2024-12-31', '2025-03-01')).toBe(60);
  });

  it('checks calendar days', () => {
    expect(isIsoDay('2024-02-29')).toBe(true);
    expect(isIsoDay('2025-02-29')).toBe(false);
    expect(isIsoDay('2025-2-1')).toBe(false);
    expect(() => utcDay('2025-13-01')).toThrow(RangeError);
    expect(() => utcDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('reason wording', () => {
  it('writes ordinals and probabilities for people', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 99, 100].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '99th',
      '100th',
    ]);
    expect([0.94312, 0.001, 0.00043, 0.0000012, 0, 1].map(formatProbability)).toEqual([
      '0.94',
      '0.001',
      '0.00043',
      '0.0000012',
      '0',
      '1',
    ]);
    expect(epssText({ probability: 0.94, percentile: 0.9999 })).toBe('EPSS 0.94 (99th pct)');
    expect(epssText({ probability: 0.00036, percentile: 0.07 })).toBe('EPSS 0.00036 (7th pct)');
    expect(epssText({ probability: 1, percentile: 1 })).toBe('EPSS 1 (100th pct)');
  });
});
