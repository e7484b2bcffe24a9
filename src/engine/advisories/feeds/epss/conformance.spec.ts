import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpssScore } from '../../types.js';
import { defaultFeedLimits } from '../types.js';
import { readEpss } from './index.js';

/**
 * Optional conformance suite: public EPSS extracts kept beside the project in ../shared/reference (never
 * copied into it). Skipped, with a notice, where that folder is absent.
 */
const samples = new URL('../../../../../../shared/reference/epss/', import.meta.url).pathname;
const present = existsSync(samples);
if (!present) console.log(`notice: ${samples} is absent; EPSS conformance samples skipped`);

async function read(name: string) {
  const scores: EpssScore[] = [];
  const summary = await readEpss(join(samples, name), (batch) => void scores.push(...batch), {
    limits: defaultFeedLimits,
    batchSize: 1000,
  });
  return { summary, scores };
}

describe.skipIf(!present)('public EPSS extracts', () => {
  it('reads the head of the current scores, with its model line', async () => {
    const { summary, scores } = await read('epss_scores-current_head.csv');
    expect(summary).toMatchObject({
      rows: 29,
      modelVersion: 'v2026.06.15',
      scoreDate: '2026-09-29T12:00:22Z',
    });
    expect(scores[0]).toEqual({ cve: 'CVE-1999-0001', probability: 0.03351, percentile: 0.88255 });
  });

  it('reads the 2020 slice, which has no model line', async () => {
    const { summary, scores } = await read('epss_scores-current_2020-slice.csv');
    expect(summary.rows).toBe(15);
    expect(summary).not.toHaveProperty('modelVersion');
    expect(scores.find((s) => s.cve === 'CVE-2020-3952')).toEqual({
      cve: 'CVE-2020-3952',
      probability: 0.90384,
      percentile: 0.99797,
    });
  });
});
