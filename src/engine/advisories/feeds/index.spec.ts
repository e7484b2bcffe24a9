import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpssScore, KevEntry, NormalizedAdvisory } from '../types.js';
import { detectFeed, FeedError, type FeedHandlers, readFeed } from './index.js';
import { writeZip } from './io/zip-writer.js';

const osvFixtures = new URL('./osv/fixtures/', import.meta.url).pathname;
const kevFixtures = new URL('./kev/fixtures/', import.meta.url).pathname;
const epssFixtures = new URL('./epss/fixtures/', import.meta.url).pathname;
const text = (value: string) => Buffer.from(value);

let work: string;
let zipPath: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'patchops-feeds-spec-'));
  zipPath = join(work, 'all.zip');
  await writeZip(
    zipPath,
    await Promise.all(
      ['debian-dsa-openssl.json', 'ubuntu-usn.json', 'unsupported-pypi.json'].map(async (name) => ({
        name,
        data: await readFile(join(osvFixtures, name)),
      })),
    ),
  );
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function collecting() {
  const seen = { osv: [] as NormalizedAdvisory[], kev: [] as KevEntry[], epss: [] as EpssScore[] };
  const handlers: FeedHandlers = {
    osv: (batch) => void seen.osv.push(...batch),
    kev: (batch) => void seen.kev.push(...batch),
    epss: (batch) => void seen.epss.push(...batch),
  };
  return { seen, handlers };
}

describe('detectFeed', () => {
  it.each([
    ['zip bytes', 'whatever.bin', Buffer.from([0x50, 0x4b, 3, 4, 20, 0]), 'osv'],
    ['OSV JSON', 'x', text('\n  {"id": "DSA-1-1", "modified": "2024-01-01T00:00:00Z"}'), 'osv'],
    ['OSV JSON list', 'x', text('[{"id": "DSA-1-1"}]'), 'osv'],
    ['KEV JSON', 'x', text('{\n "title": "CISA Catalog", "catalogVersion": "2025.08.25"'), 'kev'],
    ['KEV CSV', 'x', text('cveID,vendorProject,product\n'), 'kev'],
    ['EPSS with model line', 'x', text('#model_version:v2025.03.14,score_date:2025-07-15\ncve,epss'), 'epss'],
    ['EPSS without it, with a BOM', 'x', text('\uFEFFcve,epss,percentile\n'), 'epss'],
    ['gzipped EPSS', 'scores.bin', gzipSync(text('cve,epss,percentile\nCVE-1999-0001,0.1,0.2\n')), 'epss'],
    ['gzipped KEV JSON', 'x', gzipSync(text('{"catalogVersion": "1", "vulnerabilities": []}')), 'kev'],
    [
      'short bytes, telling name',
      'https://h/feeds/epss_scores-current.csv.gz',
      Buffer.from([0x1f, 0x8b]),
      'epss',
    ],
    ['no bytes, KEV name', '/data/known_exploited_vulnerabilities.csv', Buffer.alloc(0), 'kev'],
    ['no bytes, zip name with a query', 'https://h/Debian/all.zip?alt=media', Buffer.alloc(0), 'osv'],
  ])('%s → %s', (_what, name, head, feed) => {
    expect(detectFeed(name, head)).toBe(feed);
  });

  it('says nothing about bytes and names it does not know', () => {
    expect(detectFeed('notes.txt', text('hello world'))).toBeUndefined();
  });
});

describe('readFeed', () => {
  it('reads each feed from files and a directory, detecting which it is', async () => {
    const { seen, handlers } = collecting();
    expect(await readFeed(zipPath, handlers)).toMatchObject({ feed: 'osv', advisories: 2 });
    expect(await readFeed(osvFixtures.replace(/\/$/, ''), handlers).catch((e: Error) => e.message)).toMatch(
      /bad-package-name\.json, record DSA-5901-1, field affected\[1\]\.package\.name/,
    );
    expect(await readFeed(join(kevFixtures, 'kev-catalog.json'), handlers)).toMatchObject({
      feed: 'kev',
      entries: 3,
    });
    const gz = join(work, 'epss-download');
    await writeFile(gz, gzipSync(await readFile(join(epssFixtures, 'epss-with-model.csv'))));
    expect(await readFeed(gz, handlers)).toMatchObject({ feed: 'epss', rows: 6, compressed: true });
    expect([seen.kev.length, seen.epss.length]).toEqual([3, 6]);
  });

  it('refuses a feed it has no handler for, before reading it', async () => {
    let read = 0;
    await expect(readFeed(join(kevFixtures, 'kev-catalog.json'), { osv: () => void read++ })).rejects.toThrow(
      /kev-catalog\.json: this is a KEV catalog, and no kev handler was given/,
    );
    expect(read).toBe(0);
  });

  it('refuses what it cannot recognise, unless told which feed it is', async () => {
    const path = join(work, 'scores.dat');
    await writeFile(path, 'CVE-2024-0001;0.1;0.2\n');
    await expect(readFeed(path, collecting().handlers)).rejects.toThrow(/cannot tell which feed this is/);
    await expect(readFeed(path, collecting().handlers, { feed: 'epss' })).rejects.toThrow(
      /header must name the columns cve, epss and percentile/,
    );
  });

  it('refuses an empty file and a missing one', async () => {
    const empty = join(work, 'empty.csv');
    await writeFile(empty, '');
    await expect(readFeed(empty, collecting().handlers)).rejects.toThrow(/empty\.csv: empty file/);
    await expect(readFeed(join(work, 'nope.zip'), collecting().handlers)).rejects.toThrow(
      /nope\.zip: cannot read: ENOENT/,
    );
  });

  it("passes a handler's own error on unchanged (a database failure is not a feed problem)", async () => {
    const databaseDown = new Error('connection refused');
    await expect(
      readFeed(zipPath, {
        osv: () => {
          throw databaseDown;
        },
      }),
    ).rejects.toBe(databaseDown);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    const reading = readFeed(
      join(epssFixtures, 'epss-with-model.csv'),
      { epss: () => controller.abort(new Error('worker shutting down')) },
      { signal: controller.signal, batchSize: 2 },
    );
    await expect(reading).rejects.toThrow('worker shutting down');
  });
});

/**
 * The contract a database writer relies on: batches arrive while reading; the data is committed only
 * once readFeed resolves, so a failure anywhere in the input keeps the previous data.
 */
describe('whole input or nothing', () => {
  class StagingTable {
    committed = new Map<string, NormalizedAdvisory>();
    async replaceWith(source: string): Promise<void> {
      const staged = new Map<string, NormalizedAdvisory>();
      const stage = (batch: NormalizedAdvisory[]) => {
        for (const advisory of batch) staged.set(advisory.id, advisory);
      };
      await readFeed(source, { osv: stage }, { batchSize: 1 });
      this.committed = staged; // reached only when the whole input was read and valid
    }
  }

  it('keeps the previous data when a later record is bad, although earlier batches were seen', async () => {
    const table = new StagingTable();
    await table.replaceWith(zipPath);
    expect([...table.committed.keys()]).toEqual(['DSA-5900-1', 'USN-7300-1']);
    const broken = join(work, 'broken.zip');
    await writeZip(broken, [
      { name: 'a.json', data: await readFile(join(osvFixtures, 'alpine-cve.json')) },
      { name: 'b.json', data: await readFile(join(osvFixtures, 'bad-package-name.json')) },
    ]);
    await expect(table.replaceWith(broken)).rejects.toBeInstanceOf(FeedError);
    expect([...table.committed.keys()]).toEqual(['DSA-5900-1', 'USN-7300-1']);
  });
});

describe('readFeed from a URL', () => {
  let server: Server;
  let base: string;
  const downloads = () => join(work, 'downloads');
  const bodies: Record<string, () => Promise<Buffer>> = {
    '/osv/Debian/all.zip': () => readFile(zipPath),
    '/kev/known_exploited_vulnerabilities.json': () => readFile(join(kevFixtures, 'kev-catalog.json')),
    '/epss/epss_scores-current.csv.gz': async () =>
      gzipSync(await readFile(join(epssFixtures, 'epss-with-model.csv'))),
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '';
      if (path === '/slow') return; // never answers
      if (path === '/to-http') {
        response.writeHead(302, { location: `${base}/kev/known_exploited_vulnerabilities.json` });
        return response.end();
      }
      if (path === '/big-declared') {
        response.writeHead(200, { 'content-length': '5000' });
        return response.end(Buffer.alloc(5000));
      }
      if (path === '/big-chunked') {
        response.writeHead(200);
        for (let i = 0; i < 10; i++) response.write(Buffer.alloc(500, 0x20));
        return response.end();
      }
      const body = bodies[path.replace(/\?.*$/, '')];
      if (!body) {
        response.writeHead(404, 'Not Found');
        return response.end();
      }
      void body().then((bytes) => {
        response.writeHead(200, { 'content-length': String(bytes.length) });
        response.end(bytes);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await mkdir(downloads());
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const fetchOptions = () => ({ allowInsecureHttp: true, tempDir: downloads() });

  it('downloads, detects and reads each feed, then removes the download', async () => {
    const { seen, handlers } = collecting();
    expect(await readFeed(`${base}/osv/Debian/all.zip?alt=media`, handlers, fetchOptions())).toMatchObject({
      feed: 'osv',
      source: `${base}/osv/Debian/all.zip?alt=media`,
      advisories: 2,
      skipped: { unsupportedEcosystem: 1 },
    });
    expect(
      await readFeed(`${base}/kev/known_exploited_vulnerabilities.json`, handlers, fetchOptions()),
    ).toMatchObject({ feed: 'kev', catalogVersion: '2025.07.15' });
    expect(await readFeed(`${base}/epss/epss_scores-current.csv.gz`, handlers, fetchOptions())).toMatchObject(
      {
        feed: 'epss',
        rows: 6,
        modelVersion: 'v2025.03.14',
      },
    );
    expect(seen.osv.map((a) => a.id)).toEqual(['DSA-5900-1', 'USN-7300-1']);
    expect(await readdir(downloads())).toEqual([]);
  });

  it('fetches https only, unless plain http is allowed', async () => {
    await expect(
      readFeed(`${base}/kev/known_exploited_vulnerabilities.json`, collecting().handlers),
    ).rejects.toThrow(/only https URLs are fetched \(got http:\)/);
    await expect(readFeed('ftp://example.org/all.zip', collecting().handlers)).rejects.toThrow(/only https/);
    const redirected = await readFeed(`${base}/to-http`, collecting().handlers, fetchOptions());
    expect(redirected).toMatchObject({ feed: 'kev', entries: 3 });
  });

  it('refuses a redirect from https down to http', async () => {
    const { downloadToTemp } = await import('./io/download.js');
    const realFetch = globalThis.fetch;
    globalThis.fetch = async () => {
      const response = await realFetch(`${base}/kev/known_exploited_vulnerabilities.json`);
      Object.defineProperty(response, 'redirected', { value: true });
      return response;
    };
    try {
      await expect(
        downloadToTemp('https://feeds.example.org/kev.json', {
          maxBytes: 1 << 20,
          timeoutMs: 1000,
          tempDir: downloads(),
        }),
      ).rejects.toThrow(
        /kev\.json: redirected to http:\/\/127\.0\.0\.1:\d+\/kev\/.*: only https URLs are fetched/,
      );
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(await readdir(downloads())).toEqual([]);
  });

  it('reports HTTP errors, oversize bodies (declared or not) and timeouts, and cleans up', async () => {
    const small = { ...fetchOptions(), limits: { maxDownloadBytes: 1000, downloadTimeoutMs: 300 } };
    await expect(readFeed(`${base}/missing.zip`, collecting().handlers, small)).rejects.toThrow(
      /missing\.zip: download failed: HTTP 404 Not Found/,
    );
    await expect(readFeed(`${base}/big-declared`, collecting().handlers, small)).rejects.toThrow(
      /download too large: 5000 bytes exceeds the limit of 1000 bytes/,
    );
    await expect(readFeed(`${base}/big-chunked`, collecting().handlers, small)).rejects.toThrow(
      /download too large: more than \d+ bytes exceeds the limit of 1000 bytes/,
    );
    await expect(readFeed(`${base}/slow`, collecting().handlers, small)).rejects.toThrow(
      /slow: download timed out after 0\.3 s/,
    );
    expect(await readdir(downloads())).toEqual([]);
  });
});
