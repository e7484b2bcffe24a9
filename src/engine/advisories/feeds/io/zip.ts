import { open } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FeedError, type FeedLocation } from '../errors.js';
import { BlockReader } from './block-reader.js';
import { tooLarge } from './input.js';

export interface ZipDocument {
  name: string;
  bytes: Buffer;
}

export interface ZipReadOptions {
  /** Entries whose name this refuses are skipped unread and reported through onIgnored. */
  accept: (name: string) => boolean;
  onIgnored: (name: string) => void;
  maxEntryBytes: number;
  signal?: AbortSignal;
}

const stored = 0;
const deflated = 8;

/**
 * The accepted entries of a zip, one at a time, in central-directory order. Only one entry is in memory at
 * once, and an entry is sized from the central directory before any of it is read, so an oversize record
 * is refused unread. Inflation is bounded by the declared size and checked against the stored CRC-32
 * (yauzl checks neither), so a corrupt or lying zip fails with the entry named.
 */
export async function* readZipDocuments(
  path: string,
  location: FeedLocation,
  options: ZipReadOptions,
): AsyncGenerator<ZipDocument> {
  const { zip, reader } = await openZip(path, location);
  try {
    for await (const entry of zip.eachEntry()) {
      options.signal?.throwIfAborted();
      if (entry.fileName.endsWith('/')) continue;
      if (!options.accept(entry.fileName)) {
        options.onIgnored(entry.fileName);
        continue;
      }
      const entryLocation = { ...location, entry: entry.fileName };
      yield { name: entry.fileName, bytes: await readEntry(zip, reader, entry, entryLocation, options) };
    }
  } catch (error) {
    if (error instanceof FeedError || options.signal?.aborted) throw error;
    throw new FeedError(`corrupt zip: ${(error as Error).message}`, location, { cause: error });
  } finally {
    zip.close();
  }
}

interface OpenZip {
  zip: ZipFile;
  reader: BlockReader;
}

async function openZip(path: string, location: FeedLocation): Promise<OpenZip> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const reader = new BlockReader(file, size);
    const options = { lazyEntries: true, autoClose: true, strictFileNames: false };
    const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, options);
    return { zip, reader };
  } catch (error) {
    await file.close().catch(() => {});
    throw new FeedError(`not a readable zip (truncated or corrupt?): ${(error as Error).message}`, location, {
      cause: error,
    });
  }
}

async function readEntry(
  zip: ZipFile,
  reader: BlockReader,
  entry: Entry,
  location: FeedLocation,
  options: ZipReadOptions,
): Promise<Buffer> {
  if (entry.uncompressedSize > options.maxEntryBytes)
    throw new FeedError(tooLarge(entry.uncompressedSize, options.maxEntryBytes), location);
  if (entry.isEncrypted()) throw new FeedError('entry is encrypted', location);
  if (entry.compressionMethod !== stored && entry.compressionMethod !== deflated)
    throw new FeedError(`unsupported compression method ${entry.compressionMethod}`, location);
  // Deflate never grows data by more than a few bytes per 16 KiB block, so this also bounds a lying header.
  if (entry.compressedSize > entry.uncompressedSize + 1024 + entry.uncompressedSize / 1000)
    throw new FeedError('compressed size exceeds the declared size', location);
  try {
    // yauzl checks the local header and that the data lies inside the file; the bytes come straight from
    // the block reader, without the three streams per entry that openReadStream would build.
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    const raw = await reader.bytesAt(fileDataStart, entry.compressedSize);
    const bytes =
      entry.compressionMethod === stored
        ? raw
        : inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    if (bytes.length !== entry.uncompressedSize)
      throw new Error(`declared ${entry.uncompressedSize} bytes, holds ${bytes.length}`);
    if (crc32(bytes) !== entry.crc32) throw new Error('CRC-32 mismatch');
    return bytes;
  } catch (error) {
    throw new FeedError(`corrupt zip entry: ${(error as Error).message}`, location, { cause: error });
  }
}
