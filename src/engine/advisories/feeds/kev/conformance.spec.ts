import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KevEntry } from '../../types.js';
import { defaultFeedLimits } from '../types.js';
import { readKev } from './index.js';

/**
 * Optional conformance suite: CISA's public catalog kept beside the project in ../shared/reference (never
 * copied into it). Skipped, with a notice, where that folder is absent.
 */
const samples = new URL('../../../../../../shared/reference/kev/', import.meta.url).pathname;
const present = existsSync(samples);
if (!present) console.log(`notice: ${samples} is absent; KEV conformance samples skipped`);

async function read(name: string) {
  const entries: KevEntry[] = [];
  const summary = await readKev(join(samples, name), (batch) => void entries.push(...batch), {
    limits: defaultFeedLimits,
    batchSize: 500,
  });
  return { summary, entries };
}

describe.skipIf(!present)('public KEV catalog', () => {
  it('reads the full catalog: 1404 entries, version 2025.08.25', async () => {
    const { summary, entries } = await read('known_exploited_vulnerabilities.json');
    expect(summary).toMatchObject({
      format: 'json',
      catalogVersion: '2025.08.25',
      entries: 1404,
      warnings: [],
    });
    expect(entries).toHaveLength(1404);
    expect(entries.filter((e) => e.knownRansomware)).toHaveLength(293);
    expect(entries.find((e) => e.cve === 'CVE-2021-44228')).toMatchObject({
      vendor: 'Apache',
      product: 'Log4j2',
    });
  });

  it('reads the 24-entry sample', async () => {
    const { entries } = await read('kev_sample.json');
    expect(entries).toHaveLength(24);
    expect(entries.map((e) => e.cve)).toEqual(expect.arrayContaining(['CVE-2023-4911', 'CVE-2021-4034']));
  });

  it('reads the CSV head to the same entries as the JSON', async () => {
    const csv = await read('known_exploited_vulnerabilities_first20.csv');
    const json = await read('known_exploited_vulnerabilities.json');
    expect(csv.summary).toMatchObject({ format: 'csv', entries: 20 });
    expect(csv.entries).toEqual(json.entries.slice(0, 20));
  });
});
