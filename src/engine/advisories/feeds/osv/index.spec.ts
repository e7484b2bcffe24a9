import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAdvisory } from '../../types.js';
import { FeedError } from '../errors.js';
import { writeZip } from '../io/zip-writer.js';
import { defaultFeedLimits, type ReadOptions } from '../types.js';
import { readOsv } from './index.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const goodFixtures = [
  'almalinux-alsa.json',
  'alpine-cve.json',
  'debian-cve-urgency.json',
  'debian-dsa-openssl.json',
  'list-of-records.json',
  'mixed-ecosystems.json',
  'ranges-mixed.json',
  'rocky-rlsa.json',
  'suse-su.json',
  'ubuntu-cve.json',
  'ubuntu-usn.json',
  'unsupported-pypi.json',
  'withdrawn.json',
];
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'patchops-osv-spec-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function options(overrides: Partial<ReadOptions> = {}): ReadOptions {
  return { limits: { ...defaultFeedLimits }, batchSize: 1000, ...overrides };
}

async function collect(path: string, readOptions = options()) {
  const batches: NormalizedAdvisory[][] = [];
  const summary = await readOsv(path, (batch) => void batches.push(batch), readOptions);
  return { summary, batches, advisories: batches.flat() };
}

async function fixtureZip(name: string, files = goodFixtures): Promise<string> {
  const path = join(work, name);
  const entries = await Promise.all(
    files.map(async (file) => ({ name: `advisories/${file}`, data: await readFile(join(fixtures, file)) })),
  );
  await writeZip(path, entries);
  return path;
}

describe('readOsv', () => {
  it('reads a single record file', async () => {
    const { summary, advisories } = await collect(join(fixtures, 'debian-dsa-openssl.json'));
    expect(advisories.map((a) => a.id)).toEqual(['DSA-5900-1']);
    expect(summary).toMatchObject({ feed: 'osv', documents: 1, records: 1, advisories: 1 });
  });

  it('reads a file holding a list of records', async () => {
    const { advisories } = await collect(join(fixtures, 'list-of-records.json'));
    expect(advisories.map((a) => a.id)).toEqual(['DSA-5902-1', 'DSA-5903-1']);
  });

  it('reads a zip built from the fixtures, entry by entry, counting what it skips', async () => {
    const { summary, advisories } = await collect(await fixtureZip('fixtures.zip'));
    expect(summary).toEqual({
      feed: 'osv',
      source: join(work, 'fixtures.zip'),
      documents: 13,
      records: 14,
      advisories: 13,
      withdrawn: 1,
      skipped: { unsupportedEcosystem: 1, noAffectedPackages: 0 },
      skippedEcosystems: { PyPI: 2, 'Red Hat:enterprise_linux:9::appstream': 1 },
      ignoredFiles: 0,
      warnings: ['DEBIAN-CVE-2023-99901: examplepkg: ignored event limit 3.5-1'],
    });
    expect(advisories.map((a) => a.id)).toContain('USN-7300-1');
    expect(advisories.find((a) => a.id === 'ALSA-2025:1330')?.cves).toEqual([
      'CVE-2024-53104',
      'CVE-2024-50302',
    ]);
  });

  it('reads a directory recursively, in name order, ignoring other files', async () => {
    const tree = join(work, 'tree');
    await mkdir(join(tree, 'debian', 'nested'), { recursive: true });
    await copyFile(join(fixtures, 'debian-dsa-openssl.json'), join(tree, 'debian', 'nested', 'b.json'));
    await copyFile(join(fixtures, 'alpine-cve.json'), join(tree, 'a.json'));
    await writeFile(
      join(tree, 'debian', 'c.json.gz'),
      gzipSync(await readFile(join(fixtures, 'suse-su.json'))),
    );
    await writeFile(join(tree, 'README.md'), '# not a record');
    await writeFile(join(tree, '.hidden.json'), 'not even JSON');
    const { summary, advisories } = await collect(tree);
    expect(advisories.map((a) => a.id)).toEqual([
      'ALPINE-CVE-2024-12797',
      'SUSE-SU-2025:0500-1',
      'DSA-5900-1',
    ]);
    expect(summary.ignoredFiles).toBe(1);
  });

  it('hands advisories over in batches of the given size', async () => {
    const { batches } = await collect(await fixtureZip('batches.zip'), options({ batchSize: 5 }));
    expect(batches.map((batch) => batch.length)).toEqual([5, 5, 3]);
  });

  it('fails the whole import on one off-schema record, naming the entry and the field', async () => {
    const zip = await fixtureZip('one-bad.zip', [...goodFixtures.slice(0, 3), 'bad-package-name.json']);
    const error = await collect(zip).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).location).toEqual({
      source: zip,
      entry: 'advisories/bad-package-name.json',
      record: 'DSA-5901-1',
      field: 'affected[1].package.name',
    });
  });

  it('refuses an empty file, an empty directory and a zip without records', async () => {
    const empty = join(work, 'empty.json');
    await writeFile(empty, '  \n');
    await expect(collect(empty)).rejects.toThrow(/empty\.json: empty file/);
    await mkdir(join(work, 'empty-dir'));
    await expect(collect(join(work, 'empty-dir'))).rejects.toThrow(/no OSV records found/);
    const noRecords = join(work, 'no-records.zip');
    await writeZip(noRecords, [{ name: 'README', data: Buffer.from('hello') }]);
    await expect(collect(noRecords)).rejects.toThrow(/no-records\.zip: no OSV records found/);
  });

  it('refuses a file that is not JSON', async () => {
    const path = join(work, 'not-json.json');
    await writeFile(path, '{"id": "DSA-1-1", ');
    await expect(collect(path)).rejects.toThrow(/not-json\.json: not valid JSON/);
  });

  it('refuses a record file over maxRecordBytes before reading it, and a list over maxDocumentBytes', async () => {
    const record = join(fixtures, 'debian-dsa-openssl.json');
    const small = options({ limits: { ...defaultFeedLimits, maxRecordBytes: 100, maxDocumentBytes: 200 } });
    await expect(collect(record, small)).rejects.toThrow(
      /too large: \d+ bytes exceeds the limit of 100 bytes/,
    );
    await expect(collect(join(fixtures, 'list-of-records.json'), small)).rejects.toThrow(
      /exceeds the limit of 200 bytes/,
    );
  });

  it('refuses an oversize gzipped record while inflating, not after', async () => {
    const path = join(work, 'huge.json.gz');
    // 64 MiB of spaces inside a record compresses to about 64 KiB.
    await writeFile(
      path,
      gzipSync(Buffer.concat([Buffer.from('{"id":"DSA-1-1","x":"'), Buffer.alloc(64 << 20, 0x20)])),
    );
    await expect(collect(path)).rejects.toThrow(
      /huge\.json\.gz: too large: more than 10\.\d MiB exceeds the limit of 10\.0 MiB/,
    );
  });
});
