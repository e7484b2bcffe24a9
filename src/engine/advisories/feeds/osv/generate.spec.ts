import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAdvisory } from '../../types.js';
import { defaultFeedLimits } from '../types.js';
import { generateOsvRecords, writeGeneratedOsvDirectory, writeGeneratedOsvZip } from './generate.js';
import { normalizeOsvRecord, readOsv } from './index.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'patchops-generate-spec-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('generateOsvRecords', () => {
  it('is deterministic from the seed', () => {
    const first = JSON.stringify([...generateOsvRecords(200, 7)]);
    expect(JSON.stringify([...generateOsvRecords(200, 7)])).toBe(first);
    expect(JSON.stringify([...generateOsvRecords(200, 8)])).not.toBe(first);
  });

  it('produces valid, varied Debian 12 records with unique ids', () => {
    const advisories = [...generateOsvRecords(2000, 1)].map((record) => {
      const result = normalizeOsvRecord(record, { source: 'generated' });
      if (result.kind !== 'advisory') throw new Error(`skipped ${record.id}`);
      return result.advisory;
    });
    const ranges = advisories.flatMap((a) => a.affected.flatMap((p) => p.ranges));
    expect(new Set(advisories.map((a) => a.id)).size).toBe(2000);
    expect(advisories.every((a) => a.affected.every((p) => p.ecosystem === 'Debian:12'))).toBe(true);
    expect(advisories.every((a) => a.cves.length > 0)).toBe(true);
    expect(advisories.some((a) => a.id.startsWith('DEBIAN-CVE-'))).toBe(true);
    expect(advisories.some((a) => a.id.startsWith('DSA-'))).toBe(true);
    expect(ranges.some((r) => r.fixed === undefined)).toBe(true);
    expect(ranges.filter((r) => r.fixed === undefined).length / ranges.length).toBeGreaterThan(0.1);
    expect(advisories.some((a) => a.affected.some((p) => p.ranges.length > 1))).toBe(true);
    expect(advisories.some((a) => a.severity.cvssV3)).toBe(true);
    expect(advisories.some((a) => a.severity.cvssV4)).toBe(true);
    expect(advisories.some((a) => a.severity.distribution)).toBe(true);
  });

  it('writes a zip and a directory that read back to the same advisories', async () => {
    const zip = join(work, 'generated.zip');
    const directory = join(work, 'generated');
    await writeGeneratedOsvZip(zip, 300, 3);
    await writeGeneratedOsvDirectory(directory, 300, 3);
    expect(await readdir(directory)).toHaveLength(300);
    const read = async (path: string) => {
      const advisories: NormalizedAdvisory[] = [];
      await readOsv(path, (batch) => void advisories.push(...batch), {
        limits: defaultFeedLimits,
        batchSize: 64,
      });
      return advisories.sort((a, b) => a.id.localeCompare(b.id));
    };
    const fromZip = await read(zip);
    expect(fromZip).toHaveLength(300);
    expect(await read(directory)).toEqual(fromZip);
  });
});
