import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WaveSpec } from './types.js';
import { formatWaves, parseWaves, waveSizes, waveSpecSchema } from './waves.js';

function waves(text: string): WaveSpec[] {
  const parsed = parseWaves(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.waves;
}

describe('parseWaves', () => {
  it('reads counts and percentages', () => {
    expect(waves('1,10%,50%,100%')).toEqual([
      { kind: 'count', count: 1 },
      { kind: 'percent', percent: 10 },
      { kind: 'percent', percent: 50 },
      { kind: 'percent', percent: 100 },
    ]);
  });

  it('tolerates whitespace and one decimal', () => {
    expect(waves(' 2 , 2.5% ,100000 ')).toEqual([
      { kind: 'count', count: 2 },
      { kind: 'percent', percent: 2.5 },
      { kind: 'count', count: 100000 },
    ]);
  });

  it('takes up to 20 waves', () => {
    expect(waves(Array(20).fill('1').join(','))).toHaveLength(20);
  });

  it.each([
    ['', 'give at least one wave'],
    ['  ', 'give at least one wave'],
    ['1,0%', "wave 2 '0%' must be between 1% and 100%"],
    ['1,0.5%', "wave 2 '0.5%' must be between 1% and 100%"],
    ['101%', "wave 1 '101%' must be between 1% and 100%"],
    ['0', "wave 1 '0' must be between 1 and 100000 hosts"],
    ['100001', "wave 1 '100001' must be between 1 and 100000 hosts"],
    ['1,,5', 'wave 2 is empty'],
    ['1,', 'wave 2 is empty'],
    ['1,2.55%', "wave 2 '2.55%' must be a host count like 5 or a percentage"],
    ['-1', "wave 1 '-1' must be a host count"],
    ['1.5', "wave 1 '1.5' must be a host count"],
    ['ten', "wave 1 'ten' must be a host count"],
    [Array(21).fill('1').join(','), 'at most 20 waves, got 21'],
  ])('rejects %j', (text, fragment) => {
    const parsed = parseWaves(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(fragment);
  });
});

describe('formatWaves', () => {
  it('writes the text parseWaves reads', () => {
    expect(formatWaves(waves('1, 30% ,100%'))).toBe('1,30%,100%');
    expect(formatWaves(waves('2.5%,7'))).toBe('2.5%,7');
  });
});

describe('waveSizes (Ansible serial)', () => {
  it.each([
    ['1,30%,100%', 10, [1, 3, 6]],
    ['1,30%,100%', 20, [1, 6, 13]],
    ['1,10%,50%,100%', 1000, [1, 100, 500, 399]],
    ['2', 5, [2, 2, 1]],
    ['1,30%', 10, [1, 3, 3, 3]],
    ['100%', 7, [7]],
    ['1%', 10, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['5,10', 3, [3]],
    ['1,2', 1, [1]],
    ['2.5%', 80, Array<number>(40).fill(2)],
  ])('%s on %i hosts', (text, hostCount, expected) => {
    expect(waveSizes(waves(text), hostCount)).toEqual(expected);
  });

  it('takes a percentage of all hosts, not of those left', () => {
    expect(waveSizes(waves('50%,50%,50%'), 10)).toEqual([5, 5]);
    expect(waveSizes(waves('40%'), 10)).toEqual([4, 4, 2]);
  });

  it('gives no waves for no hosts', () => {
    expect(waveSizes(waves('1,100%'), 0)).toEqual([]);
  });

  it('puts every host in one wave when no waves are given, like Ansible without serial', () => {
    expect(waveSizes([], 4)).toEqual([4]);
  });

  const waveArb: fc.Arbitrary<WaveSpec> = fc.oneof(
    fc.integer({ min: 1, max: 100_000 }).map((count) => ({ kind: 'count' as const, count })),
    fc.integer({ min: 10, max: 1000 }).map((tenths) => ({ kind: 'percent' as const, percent: tenths / 10 })),
  );
  const wavesArb = fc.array(waveArb, { minLength: 1, maxLength: 20 });

  it('covers every host exactly once, in waves of at least one', () => {
    fc.assert(
      fc.property(wavesArb, fc.integer({ min: 0, max: 5000 }), (specs, hostCount) => {
        const sizes = waveSizes(specs, hostCount);
        expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(hostCount);
        for (const size of sizes) expect(size).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('gives every full batch its planned size; only the last may be cut short', () => {
    fc.assert(
      fc.property(wavesArb, fc.integer({ min: 1, max: 5000 }), (specs, hostCount) => {
        const sizes = waveSizes(specs, hostCount);
        for (const [index, size] of sizes.slice(0, -1).entries()) {
          const spec = specs[Math.min(index, specs.length - 1)]!;
          const planned =
            spec.kind === 'count'
              ? spec.count
              : Math.max(1, Math.floor((spec.percent * 10 * hostCount) / 1000));
          expect(size).toBe(planned);
        }
      }),
    );
  });

  it('round-trips through formatWaves and parseWaves', () => {
    fc.assert(
      fc.property(wavesArb, (specs) => {
        expect(waves(formatWaves(specs))).toEqual(specs);
      }),
    );
  });

  it('validates stored waves with waveSpecSchema', () => {
    expect(waveSpecSchema.safeParse({ kind: 'percent', percent: 2.5 }).success).toBe(true);
    expect(waveSpecSchema.safeParse({ kind: 'count', count: 0 }).success).toBe(false);
    expect(waveSpecSchema.safeParse({ kind: 'count', count: 1.5 }).success).toBe(false);
  });
});
