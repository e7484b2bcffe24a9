import { describe, expect, it } from 'vitest';
import { convertEvents } from './ranges.js';

describe('convertEvents', () => {
  it('reads introduced → fixed as one fixed range', () => {
    expect(convertEvents([{ introduced: '0' }, { fixed: '1.2-3' }])).toEqual({
      ranges: [{ introduced: '0', fixed: '1.2-3' }],
      ignored: [],
    });
  });

  it('reads introduced → last_affected as a range without a fix', () => {
    expect(convertEvents([{ introduced: '1.0' }, { last_affected: '1.4' }]).ranges).toEqual([
      { introduced: '1.0', lastAffected: '1.4' },
    ]);
  });

  it('reads a lone introduced as "no fix yet"', () => {
    expect(convertEvents([{ introduced: '0' }]).ranges).toEqual([{ introduced: '0' }]);
  });

  it('splits several introduced/fixed pairs into several ranges, keeping the given order', () => {
    const events = [
      { introduced: '0' },
      { fixed: '1.2-1+deb12u1' },
      { introduced: '1.2-1+deb12u3' },
      { fixed: '1.2-1+deb12u4' },
      { introduced: '2.0-1' },
    ];
    expect(convertEvents(events).ranges).toEqual([
      { introduced: '0', fixed: '1.2-1+deb12u1' },
      { introduced: '1.2-1+deb12u3', fixed: '1.2-1+deb12u4' },
      { introduced: '2.0-1' },
    ]);
  });

  it('keeps an introduced that another introduced follows as an open range (union semantics)', () => {
    expect(convertEvents([{ introduced: '0' }, { introduced: '1.5' }, { fixed: '2.0' }]).ranges).toEqual([
      { introduced: '0' },
      { introduced: '1.5', fixed: '2.0' },
    ]);
  });

  it('ignores, and reports, a fixed with nothing open and a limit (never taken for a fix)', () => {
    const converted = convertEvents([{ fixed: '0.5' }, { introduced: '1.0' }, { limit: '3.0' }]);
    expect(converted.ranges).toEqual([{ introduced: '1.0' }]);
    expect(converted.ignored).toEqual(['fixed 0.5 before any introduced', 'limit 3.0']);
  });
});
