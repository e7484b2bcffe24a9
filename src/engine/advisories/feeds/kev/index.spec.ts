import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KevEntry } from '../../types.js';
import { FeedError } from '../errors.js';
import { defaultFeedLimits } from '../types.js';
import { readKev } from './index.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'patchops-kev-spec-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function read(path: string) {
  const entries: KevEntry[] = [];
  const summary = await readKev(path, (batch) => void entries.push(...batch), {
    limits: defaultFeedLimits,
    batchSize: 2,
  });
  return { summary, entries };
}

const glibc: KevEntry = {
  cve: 'CVE-2023-4911',
  vendor: 'GNU',
  product: 'GNU C Library',
  name: 'GNU C Library Buffer Overflow Vulnerability',
  dateAdded: '2023-11-21',
  dueDate: '2023-12-12',
  knownRansomware: true,
  requiredAction:
    'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
};

describe('readKev', () => {
  it('reads the JSON catalog with its version and release date', async () => {
    const { summary, entries } = await read(join(fixtures, 'kev-catalog.json'));
    expect(summary).toEqual({
      feed: 'kev',
      source: join(fixtures, 'kev-catalog.json'),
      format: 'json',
      catalogVersion: '2025.07.15',
      dateReleased: '2025-07-15T16:59:00.0000Z',
      entries: 3,
      warnings: [],
    });
    expect(entries.map((e) => [e.cve, e.knownRansomware])).toEqual([
      ['CVE-2024-6387', false],
      ['CVE-2023-4911', true],
      ['CVE-2021-44228', true],
    ]);
    expect(entries[1]).toEqual(glibc);
  });

  it('reads the CSV form to the same entries (but no catalog version)', async () => {
    const json = await read(join(fixtures, 'kev-catalog.json'));
    const csv = await read(join(fixtures, 'kev-catalog.csv'));
    expect(csv.summary).toMatchObject({ format: 'csv', entries: 3 });
    expect(csv.summary).not.toHaveProperty('catalogVersion');
    expect(csv.entries).toEqual(json.entries);
  });

  it('reads a gzipped catalog', async () => {
    const path = join(work, 'kev.json.gz');
    await writeFile(path, gzipSync(await readFile(join(fixtures, 'kev-catalog.json'))));
    expect((await read(path)).entries).toHaveLength(3);
  });

  it('names the entry and the field of an off-schema JSON entry', async () => {
    const catalog = JSON.parse(await readFile(join(fixtures, 'kev-catalog.json'), 'utf8'));
    catalog.vulnerabilities[1].dueDate = '2023/12/12';
    const path = join(work, 'bad-date.json');
    await writeFile(path, JSON.stringify(catalog));
    const error = await read(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).location).toEqual({
      source: path,
      record: 'CVE-2023-4911',
      field: 'vulnerabilities[1].dueDate',
    });
    expect((error as FeedError).message).toMatch(/expected a YYYY-MM-DD date/);
  });

  it('names the line of a bad CSV row, counting quoted line breaks', async () => {
    const text = await readFile(join(fixtures, 'kev-catalog.csv'), 'utf8');
    const path = join(work, 'bad-cve.csv');
    await writeFile(path, text.replace('CVE-2021-44228,', 'CVE-21-44228,'));
    await expect(read(path)).rejects.toThrow(
      /bad-cve\.csv, line 5, record CVE-21-44228, field cveID: .*CVE id/,
    );
  });

  it('refuses a CSV whose header lacks cveID, and a catalog with no entries', async () => {
    const noHeader = join(work, 'no-header.csv');
    await writeFile(noHeader, 'cve,vendor\nCVE-2024-1,x\n');
    await expect(read(noHeader)).rejects.toThrow(/line 1: header must name the column cveID/);
    const empty = join(work, 'empty-catalog.json');
    await writeFile(
      empty,
      JSON.stringify({ catalogVersion: '1', dateReleased: '2025-01-01', count: 0, vulnerabilities: [] }),
    );
    await expect(read(empty)).rejects.toThrow(/no KEV entries found/);
  });

  it('warns when the declared count disagrees with the entries', async () => {
    const catalog = JSON.parse(await readFile(join(fixtures, 'kev-catalog.json'), 'utf8'));
    catalog.count = 4;
    const path = join(work, 'count.json');
    await writeFile(path, JSON.stringify(catalog));
    expect((await read(path)).summary.warnings).toEqual(['catalog declares 4 entries but holds 3']);
  });

  it('refuses an empty file', async () => {
    const path = join(work, 'empty.json');
    await writeFile(path, '');
    await expect(read(path)).rejects.toThrow(/empty file/);
  });
});
