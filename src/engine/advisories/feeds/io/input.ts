import { createReadStream, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { FeedError, type FeedLocation } from '../errors.js';

/** Enough to recognise any of the feeds, even behind gzip. */
export const headBytes = 4096;

export async function readHead(path: string, location: FeedLocation, length = headBytes): Promise<Buffer> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new FeedError(`cannot read: ${(error as Error).message}`, location, { cause: error });
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isZip(bytes: Uint8Array): boolean {
  // Local file header, or the end-of-central-directory record of an empty zip.
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** fs.stat, failing as a FeedError. */
export async function statFeed(path: string, location: FeedLocation): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw new FeedError(`cannot read: ${(error as Error).message}`, location, { cause: error });
  }
}

/** Whatever part of a gzip stream's start can be inflated; empty when it is not gzip at all. */
export function gunzipHead(bytes: Uint8Array): Buffer {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

/** The file's bytes, gunzipped when they start with the gzip magic (whatever the file is called). */
export async function openDecoded(
  path: string,
  location: FeedLocation,
): Promise<{ stream: Readable; compressed: boolean }> {
  const compressed = isGzip(await readHead(path, location, 2));
  const raw = createReadStream(path);
  if (!compressed) return { stream: raw, compressed };
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return { stream: raw.pipe(gunzip), compressed };
}

/**
 * The whole (decoded) content of a file that must be held in memory, refused beyond `limit` bytes: by its
 * size on disk before reading when it is plain, by counting while inflating when it is gzip.
 */
export async function readBounded(path: string, limit: number, location: FeedLocation): Promise<Buffer> {
  const { stream, compressed } = await openDecoded(path, location);
  const { size } = await statFeed(path, location);
  if (!compressed && size > limit) {
    stream.destroy();
    throw new FeedError(tooLarge(size, limit), location);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) throw new FeedError(tooLarge(total, limit, 'more than '), location);
      chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof FeedError) throw error;
    throw new FeedError(`cannot read: ${(error as Error).message}`, location, { cause: error });
  }
  return Buffer.concat(chunks, total);
}

export function tooLarge(size: number, limit: number, qualifier = ''): string {
  return `too large: ${qualifier}${mebibytes(size)} exceeds the limit of ${mebibytes(limit)}`;
}

function mebibytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** JSON.parse with the failure reported as a FeedError at the given place. */
export function parseJson(text: string, location: FeedLocation): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FeedError(`not valid JSON: ${(error as Error).message}`, location, { cause: error });
  }
}
