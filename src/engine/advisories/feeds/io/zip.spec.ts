import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedError } from '../errors.js';
import { readZipDocuments, type ZipReadOptions } from './zip.js';
import { writeZip } from './zip-writer.js';

let directory: string;
const record = (id: string) => Buffer.from(JSON.stringify({ id, modified: '2025-01-01T00:00:00Z' }));

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'patchops-zip-spec-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function names(path: string, options: Partial<ZipReadOptions> = {}): Promise<string[]> {
  const read: string[] = [];
  const documents = readZipDocuments(
    path,
    { source: path },
    {
      accept: (name) => name.endsWith('.json'),
      onIgnored: () => {},
      maxEntryBytes: 1024 * 1024,
      ...options,
    },
  );
  for await (const document of documents) read.push(`${document.name}=${document.bytes.toString('utf8')}`);
  return read;
}

async function sampleZip(name: string, method: 'deflate' | 'store' = 'deflate'): Promise<string> {
  const path = join(directory, name);
  const entries = ['DSA-1-1', 'DSA-2-1', 'DSA-3-1'].map((id) => ({ name: `${id}.json`, data: record(id) }));
  await writeZip(path, [...entries, { name: 'README.txt', data: Buffer.from('not a record') }], method);
  return path;
}

/** Offset of the first central-directory header, and of the local header of the first entry (0). */
async function centralOffset(path: string): Promise<number> {
  const bytes = await readFile(path);
  return bytes.readUInt32LE(bytes.length - 22 + 16);
}

describe('readZipDocuments', () => {
  it('reads deflated and stored entries in order, skipping what is not accepted', async () => {
    for (const method of ['deflate', 'store'] as const) {
      const ignored: string[] = [];
      const path = await sampleZip(`sample-${method}.zip`, method);
      const read = await names(path, { onIgnored: (name) => ignored.push(name) });
      expect(read.map((entry) => entry.split('=')[0])).toEqual([
        'DSA-1-1.json',
        'DSA-2-1.json',
        'DSA-3-1.json',
      ]);
      expect(JSON.parse(read[1]?.split('=').slice(1).join('=') ?? '')).toMatchObject({ id: 'DSA-2-1' });
      expect(ignored).toEqual(['README.txt']);
    }
  });

  it('refuses a truncated zip with a clear error', async () => {
    const bytes = await readFile(await sampleZip('whole.zip'));
    const truncated = join(directory, 'truncated.zip');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(names(truncated)).rejects.toThrow(
      /truncated\.zip: not a readable zip \(truncated or corrupt\?\)/,
    );
  });

  it('refuses an entry whose data was damaged (CRC-32 or inflate failure), naming the entry', async () => {
    const bytes = Buffer.from(await readFile(await sampleZip('to-damage.zip', 'store')));
    // The first entry's data starts after its 30-byte local header and its name.
    const damagedAt = 30 + 'DSA-1-1.json'.length + 5;
    bytes.writeUInt8(bytes.readUInt8(damagedAt) ^ 0xff, damagedAt);
    const damaged = join(directory, 'damaged.zip');
    await writeFile(damaged, bytes);
    const error = await names(damaged).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).location.entry).toBe('DSA-1-1.json');
    expect((error as FeedError).message).toMatch(/corrupt zip entry: CRC-32 mismatch/);
  });

  it('refuses an entry declared larger than the limit before reading it', async () => {
    const path = join(directory, 'big.zip');
    await writeZip(path, [{ name: 'BIG-1.json', data: Buffer.alloc(64 * 1024, 0x20) }]);
    await expect(names(path, { maxEntryBytes: 1024 })).rejects.toThrow(
      /big\.zip, BIG-1\.json: too large: 65536 bytes exceeds the limit of 1024 bytes/,
    );
  });

  it('refuses an entry holding more than its declared size (a lying header)', async () => {
    const path = join(directory, 'lying.zip');
    await writeZip(path, [{ name: 'LIE-1.json', data: Buffer.alloc(4096, 0x20) }]);
    const bytes = Buffer.from(await readFile(path));
    const central = await centralOffset(path);
    bytes.writeUInt32LE(100, 22); // local header: uncompressed size
    bytes.writeUInt32LE(100, central + 24); // central directory: uncompressed size
    await writeFile(path, bytes);
    await expect(names(path)).rejects.toThrow(/LIE-1\.json: corrupt zip entry/);
  });

  it('reads an empty zip as no documents', async () => {
    const path = join(directory, 'empty.zip');
    await writeZip(path, []);
    expect(await names(path)).toEqual([]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(names(await sampleZip('abort.zip'), { signal: controller.signal })).rejects.toThrow(
      'shutting down',
    );
  });
});
