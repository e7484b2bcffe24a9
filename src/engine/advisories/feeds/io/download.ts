import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { FeedError } from '../errors.js';
import { tooLarge } from './input.js';

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Plain http lets anyone on the path rewrite advisories; allow it only for a trusted local mirror. */
  allowInsecureHttp?: boolean;
  signal?: AbortSignal;
  tempDir?: string;
}

export interface Downloaded {
  path: string;
  /** Removes the temporary file; safe to call more than once. */
  cleanup(): Promise<void>;
}

export function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

/**
 * Fetches a feed into a temporary file, so that even a multi-hundred-megabyte zip is read from disk
 * (yauzl needs random access) and never held in memory. The file keeps the URL's base name, which
 * detection may use as a hint.
 */
export async function downloadToTemp(url: string, options: DownloadOptions): Promise<Downloaded> {
  const location = { source: url };
  const parsed = parseFeedUrl(url, options.allowInsecureHttp === true);
  const directory = await mkdtemp(join(options.tempDir ?? tmpdir(), 'patchops-feed-'));
  const cleanup = () => rm(directory, { recursive: true, force: true });
  const path = join(directory, safeFileName(parsed));
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(parsed, { signal, redirect: 'follow' });
    // Redirects are followed (EPSS's current file redirects to a dated one), but never down to http.
    if (response.redirected && !allowedProtocol(new URL(response.url), options.allowInsecureHttp === true)) {
      await response.body?.cancel();
      throw new FeedError(`redirected to ${response.url}: only https URLs are fetched`, location);
    }
    if (!response.ok || response.body === null)
      throw new FeedError(`download failed: HTTP ${response.status} ${response.statusText}`, location);
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxBytes) {
      await response.body.cancel();
      throw new FeedError(`download ${tooLarge(declared, options.maxBytes)}`, location);
    }
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, byteLimit(options.maxBytes, url), createWriteStream(path), { signal });
    return { path, cleanup };
  } catch (error) {
    await cleanup();
    throw downloadError(error, url, options, timeout);
  }
}

function parseFeedUrl(url: string, allowInsecureHttp: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeedError('not a valid URL', { source: url });
  }
  if (allowedProtocol(parsed, allowInsecureHttp)) return parsed;
  throw new FeedError(`only https URLs are fetched (got ${parsed.protocol})`, { source: url });
}

function allowedProtocol(url: URL, allowInsecureHttp: boolean): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && allowInsecureHttp);
}

function safeFileName(url: URL): string {
  const name = basename(decodeURIComponent(url.pathname)).replace(/[^A-Za-z0-9._-]/g, '_');
  return name === '' || name === '.' || name === '..' ? 'feed' : name;
}

/** Fails the pipeline as soon as more than `limit` bytes went through, whatever the server claimed. */
function byteLimit(limit: number, url: string): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > limit)
        done(new FeedError(`download ${tooLarge(total, limit, 'more than ')}`, { source: url }));
      else done(null, chunk);
    },
  });
}

function downloadError(error: unknown, url: string, options: DownloadOptions, timeout: AbortSignal) {
  if (error instanceof FeedError) return error;
  if (timeout.aborted)
    return new FeedError(`download timed out after ${options.timeoutMs / 1000} s`, { source: url });
  if (options.signal?.aborted) return options.signal.reason;
  const cause = (error as Error).cause as Error | undefined;
  const detail = cause?.message ? `${(error as Error).message}: ${cause.message}` : (error as Error).message;
  return new FeedError(`download failed: ${detail}`, { source: url }, { cause: error });
}
