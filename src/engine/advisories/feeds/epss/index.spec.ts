import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpssScore } from '../../types.js';
import { defaultFeedLimits } from '../types.js';
import { parseEpssComment, readEpss } from './index.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'patchops-epss-spec-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function read(path: string, batchSize = 1000) {
  const batches: EpssScore[][] = [];
  const summary = await readEpss(path, (batch) => void batches.push(batch), {
    limits: defaultFeedLimits,
    batchSize,
  });
  return { summary, batches, scores: batches.flat() };
}

async function variant(name: string, content: string | Buffer): Promise<string> {
  const path = join(work, name);
  await writeFile(path, content);
  return path;
}

describe('readEpss', () => {
  it('reads scores and the model line', async () => {
    const { summary, scores } = await read(join(fixtures, 'epss-with-model.csv'));
    expect(summary).toEqual({
      feed: 'epss',
      source: join(fixtures, 'epss-with-model.csv'),
      rows: 6,
      modelVersion: 'v2025.03.14',
      scoreDate: '2025-07-15T00:00:00Z',
      compressed: false,
      warnings: [],
    });
    expect(scores[0]).toEqual({ cve: 'CVE-2021-44228', probability: 0.94358, percentile: 0.99955 });
    expect(scores[5]).toEqual({ cve: 'CVE-2025-10000', probability: 0.00001, percentile: 0 });
  });

  it('reads a file without the model line', async () => {
    const { summary, scores } = await read(join(fixtures, 'epss-plain.csv'));
    expect(summary).toMatchObject({ rows: 3, compressed: false });
    expect(summary).not.toHaveProperty('modelVersion');
    expect(scores.map((s) => s.cve)).toEqual(['CVE-2021-44228', 'CVE-2023-4911', 'CVE-2024-6387']);
  });

  it('reads gzip by its magic bytes, whatever the name, with and without the model line', async () => {
    for (const fixture of ['epss-with-model.csv', 'epss-plain.csv']) {
      const plain = await read(join(fixtures, fixture));
      const gzipped = await read(
        await variant(`gz-${fixture}`, gzipSync(await readFile(join(fixtures, fixture)))),
      );
      expect(gzipped.scores).toEqual(plain.scores);
      expect(gzipped.summary).toEqual({
        ...plain.summary,
        source: join(work, `gz-${fixture}`),
        compressed: true,
      });
    }
  });

  it('reads CRLF line ends and a byte order mark', async () => {
    const text = await readFile(join(fixtures, 'epss-with-model.csv'), 'utf8');
    const { summary, scores } = await read(
      await variant('crlf.csv', `\uFEFF${text.replaceAll('\n', '\r\n')}`),
    );
    expect(summary).toMatchObject({ rows: 6, scoreDate: '2025-07-15T00:00:00Z' });
    expect(scores[2]?.cve).toBe('CVE-2024-6387');
  });

  it('batches rows', async () => {
    expect((await read(join(fixtures, 'epss-with-model.csv'), 4)).batches.map((b) => b.length)).toEqual([
      4, 2,
    ]);
  });

  it('names the line of a bad value, counting the model line', async () => {
    const text = await readFile(join(fixtures, 'epss-with-model.csv'), 'utf8');
    await expect(read(await variant('bad.csv', text.replace('0.78421', '1.5')))).rejects.toThrow(
      /bad\.csv, line 4: epss: not a number from 0 to 1: "1\.5"/,
    );
    await expect(read(await variant('bad-cve.csv', text.replace('CVE-2024-6387', 'GHSA-1')))).rejects.toThrow(
      /line 5: cve: not a CVE id/,
    );
  });

  it('refuses a header without the three columns, a ragged row, and a file without rows', async () => {
    await expect(read(await variant('header.csv', 'cve,score\nCVE-2024-1,0.1\n'))).rejects.toThrow(
      /line 1: header must name the columns cve, epss and percentile/,
    );
    await expect(
      read(await variant('ragged.csv', 'cve,epss,percentile\nCVE-2024-0001,0.1\n')),
    ).rejects.toThrow(/line 2: malformed CSV/);
    await expect(
      read(await variant('no-rows.csv', '#model_version:v1,score_date:x\ncve,epss,percentile\n')),
    ).rejects.toThrow(/no EPSS rows found/);
    await expect(read(await variant('empty.csv', ''))).rejects.toThrow(/no EPSS rows found/);
  });

  it('refuses a damaged gzip', async () => {
    const gz = gzipSync(await readFile(join(fixtures, 'epss-plain.csv')));
    await expect(read(await variant('cut.csv.gz', gz.subarray(0, gz.length - 12)))).rejects.toThrow(
      /cut\.csv\.gz: cannot read: unexpected end of file/,
    );
  });

  it('refuses a line over 50 MB, as the first line or as a row', async () => {
    const hugeLine = async (name: string, before: string) => {
      const path = join(work, name);
      const out = createWriteStream(path);
      out.write(before);
      const block = Buffer.alloc(1024 * 1024, 0x37);
      for (let mib = 0; mib < 51; mib++) out.write(block);
      out.end('\n');
      await finished(out);
      return path;
    };
    await expect(read(await hugeLine('huge-first.csv', ''))).rejects.toThrow(
      /huge-first\.csv: first line too large: more than 50\.\d MiB exceeds the limit of 50\.0 MiB/,
    );
    await expect(read(await hugeLine('huge-row.csv', 'cve,epss,percentile\nCVE-2024-0001,'))).rejects.toThrow(
      /huge-row\.csv, line 2: line too large/,
    );
  });
});

describe('parseEpssComment', () => {
  it('reads both values, in either order, with other timestamp styles', () => {
    expect(parseEpssComment('#model_version:v2023.03.01,score_date:2023-04-10T00:00:00+0000')).toEqual({
      modelVersion: 'v2023.03.01',
      scoreDate: '2023-04-10T00:00:00+0000',
    });
    expect(parseEpssComment('#score_date:2026-09-29T12:00:22Z,model_version:v2026.06.15')).toEqual({
      modelVersion: 'v2026.06.15',
      scoreDate: '2026-09-29T12:00:22Z',
    });
    expect(parseEpssComment('# something else')).toEqual({});
  });
});
