import { z } from 'zod';
import { formatPercent, percentOf, readPercent } from './percent.js';
import type { WaveSpec } from './types.js';

export const MAX_WAVES = 20;
export const MAX_WAVE_COUNT = 100_000;

/** A stored wave list (a plan's JSON column), checked when read back. */
export const waveSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), count: z.int().min(1).max(MAX_WAVE_COUNT) }),
  z.object({ kind: z.literal('percent'), percent: z.number().min(1).max(100) }),
]);

export type ParsedWaves = { ok: true; waves: WaveSpec[] } | { ok: false; message: string };

function parseEntry(entry: string, position: number): WaveSpec | string {
  const label = `wave ${position} '${entry}'`;
  if (entry === '') return `wave ${position} is empty`;
  if (/^\d+$/.test(entry)) {
    const count = Number(entry);
    if (count < 1 || count > MAX_WAVE_COUNT) return `${label} must be between 1 and ${MAX_WAVE_COUNT} hosts`;
    return { kind: 'count', count };
  }
  const percent = readPercent(entry);
  if (percent === null) return `${label} must be a host count like 5 or a percentage like 10% or 2.5%`;
  if (percent < 1 || percent > 100) return `${label} must be between 1% and 100%`;
  return { kind: 'percent', percent };
}

/** `--waves 1,10%,50%,100%`: batch sizes in order, the last one repeating (see `waveSizes`). */
export function parseWaves(text: string): ParsedWaves {
  if (text.trim() === '') return { ok: false, message: 'give at least one wave, like 1,10%,100%' };
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_WAVES)
    return { ok: false, message: `at most ${MAX_WAVES} waves, got ${entries.length}` };
  const waves: WaveSpec[] = [];
  for (const [index, entry] of entries.entries()) {
    const wave = parseEntry(entry, index + 1);
    if (typeof wave === 'string') return { ok: false, message: wave };
    waves.push(wave);
  }
  return { ok: true, waves };
}

export function formatWaves(waves: WaveSpec[]): string {
  return waves
    .map((wave) => (wave.kind === 'count' ? String(wave.count) : formatPercent(wave.percent)))
    .join(',');
}

/**
 * Ansible's `serial`, so people who know it get no surprise: each entry is one batch; a percentage is of
 * ALL hosts (not of those left), rounded down, at least 1; the last entry repeats until every host has a
 * batch; a batch never takes more than the hosts left. The one difference: Ansible rounds percentages in
 * floating point (29% of 100 gives 28 there), we round exactly.
 */
export function waveSizes(waves: WaveSpec[], hostCount: number): number[] {
  const sizes: number[] = [];
  let left = Math.max(0, Math.floor(hostCount));
  for (let index = 0; left > 0; index++) {
    const wave = waves[Math.min(index, waves.length - 1)];
    // No waves at all, or a size below 1, means "everything left" in Ansible too.
    const size = wave === undefined ? left : batchSize(wave, hostCount);
    const taken = size < 1 ? left : Math.min(size, left);
    sizes.push(taken);
    left -= taken;
  }
  return sizes;
}

function batchSize(wave: WaveSpec, hostCount: number): number {
  if (wave.kind === 'count') return Math.floor(wave.count);
  return Math.max(1, percentOf(wave.percent, hostCount));
}
