/**
 * Advisory feeds (OSV, CISA KEV, FIRST EPSS) from a file, a directory or an https URL. See readme.md for
 * the contract a database writer relies on: batches arrive while reading, and the returned promise
 * resolves only once the whole input was read and valid.
 */
import type { EpssScore, KevEntry, NormalizedAdvisory } from '../types.js';
import { detectFeed } from './detect.js';
import { readEpss } from './epss/read.js';
import { FeedError } from './errors.js';
import { downloadToTemp, isUrl } from './io/download.js';
import { readHead, statFeed } from './io/input.js';
import { readKev } from './kev/read.js';
import { readOsv } from './osv/read.js';
import {
  type BatchHandler,
  defaultFeedLimits,
  type FeedHandlers,
  type FeedKind,
  type FeedLimits,
  type FeedSummary,
  type ReadOptions,
} from './types.js';

export { detectFeed, guessFeed } from './detect.js';
export { FeedError, type FeedLocation } from './errors.js';
export type * from './types.js';
export { defaultFeedLimits } from './types.js';

export interface ReadFeedOptions {
  /** Skip detection: read the source as this feed. */
  feed?: FeedKind;
  limits?: Partial<FeedLimits>;
  /** Items per handler call; default 1000. */
  batchSize?: number;
  /** Stops reading (and downloading) between records; readFeed then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Fetch plain http URLs too (a trusted local mirror); https only otherwise. */
  allowInsecureHttp?: boolean;
  /** Where downloads are kept while they are read; the system temp directory by default. */
  tempDir?: string;
}

/**
 * Reads one feed from `source` (a file, a directory of OSV files, or an https URL of any of the files),
 * passing what it parses to the handler for that feed, in batches, each awaited before reading on.
 * Resolves with the summary once all input is read and valid; rejects with a FeedError on the first
 * problem, so a caller that stages batches commits only on resolve and keeps its previous data otherwise.
 * A source of a feed with no handler is refused before anything is read.
 */
export async function readFeed(
  source: string,
  handlers: FeedHandlers,
  options: ReadFeedOptions = {},
): Promise<FeedSummary> {
  const readOptions: ReadOptions = {
    limits: { ...defaultFeedLimits, ...options.limits },
    batchSize: options.batchSize ?? 1000,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (!isUrl(source)) return readLocal(source, source, handlers, options.feed, readOptions);
  const download = await downloadToTemp(source, {
    maxBytes: readOptions.limits.maxDownloadBytes,
    timeoutMs: readOptions.limits.downloadTimeoutMs,
    ...(options.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.tempDir ? { tempDir: options.tempDir } : {}),
  });
  try {
    return await readLocal(download.path, source, handlers, options.feed, readOptions);
  } finally {
    await download.cleanup();
  }
}

async function readLocal(
  path: string,
  source: string,
  handlers: FeedHandlers,
  forced: FeedKind | undefined,
  options: ReadOptions,
): Promise<FeedSummary> {
  const info = await statFeed(path, { source });
  if (!info.isDirectory() && info.size === 0) throw new FeedError('empty file', { source });
  const feed = forced ?? (info.isDirectory() ? 'osv' : detectFeed(source, await readHead(path, { source })));
  if (feed === undefined)
    throw new FeedError('cannot tell which feed this is (OSV, KEV or EPSS); name it with the feed option', {
      source,
    });
  switch (feed) {
    case 'osv':
      return readOsv(path, handlerFor(handlers.osv, feed, source), options, source);
    case 'kev':
      return readKev(path, handlerFor(handlers.kev, feed, source), options, source);
    case 'epss':
      return readEpss(path, handlerFor(handlers.epss, feed, source), options, source);
  }
}

function handlerFor<T extends NormalizedAdvisory | KevEntry | EpssScore>(
  handler: BatchHandler<T> | undefined,
  feed: FeedKind,
  source: string,
): BatchHandler<T> {
  if (handler) return handler;
  throw new FeedError(`this is ${feedNames[feed]}, and no ${feed} handler was given`, { source });
}

const feedNames: Record<FeedKind, string> = {
  osv: 'an OSV feed',
  kev: 'a KEV catalog',
  epss: 'an EPSS score file',
};
