import type { NormalizedAdvisory } from '../../types.js';
import { Batch } from '../batch.js';
import { FeedError, type FeedLocation } from '../errors.js';
import { gunzipHead, isGzip, isZip, parseJson, readBounded, readHead, statFeed } from '../io/input.js';
import { walkFiles } from '../io/walk.js';
import { readZipDocuments } from '../io/zip.js';
import type { BatchHandler, OsvSummary, ReadOptions } from '../types.js';
import { OsvTally } from './tally.js';

const isJsonName = (name: string) => /\.json(\.gz)?$/i.test(name);

/**
 * Reads OSV records from a .json file (one record, or a list), a directory of them (recursively), or an
 * OSV ecosystem zip such as all.zip, and hands the supported advisories to `handler` in batches.
 * Resolves with the summary only when every record was read and valid, and at least one was found;
 * `source` names the input in errors (the URL, when `path` is its downloaded copy).
 */
export async function readOsv(
  path: string,
  handler: BatchHandler<NormalizedAdvisory>,
  options: ReadOptions,
  source = path,
): Promise<OsvSummary> {
  const tally = new OsvTally();
  const batch = new Batch(options.batchSize, handler, options.signal);
  for await (const { document, location } of documents(path, source, tally, options)) {
    for (const advisory of tally.advisoriesOf(document, location))
      if (batch.push(advisory)) await batch.flush();
  }
  // An empty feed would let a caller replace its whole advisory set with nothing.
  if (tally.records === 0) throw new FeedError('no OSV records found', { source });
  await batch.flush();
  return tally.summary(source);
}

interface LocatedDocument {
  document: unknown;
  location: FeedLocation;
}

async function* documents(
  path: string,
  source: string,
  tally: OsvTally,
  options: ReadOptions,
): AsyncGenerator<LocatedDocument> {
  const location: FeedLocation = { source };
  if ((await statFeed(path, location)).isDirectory()) {
    for await (const file of walkFiles(path, location)) {
      options.signal?.throwIfAborted();
      if (!isJsonName(file.name)) tally.ignoredFiles++;
      else yield await readJsonFile(file.path, { source, entry: file.name }, options);
    }
  } else if (isZip(await readHead(path, location, 4))) {
    const entries = readZipDocuments(path, location, {
      accept: isJsonName,
      onIgnored: () => tally.ignoredFiles++,
      maxEntryBytes: options.limits.maxRecordBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for await (const entry of entries) {
      const entryLocation = { source, entry: entry.name };
      yield { document: parseJson(entry.bytes.toString('utf8'), entryLocation), location: entryLocation };
    }
  } else {
    yield await readJsonFile(path, location, options);
  }
}

/**
 * A file holding one record may be at most maxRecordBytes; one holding a list, maxDocumentBytes. The first
 * character tells which, so an oversize single record is refused before it is read.
 */
async function readJsonFile(
  path: string,
  location: FeedLocation,
  options: ReadOptions,
): Promise<LocatedDocument> {
  const { maxRecordBytes, maxDocumentBytes } = options.limits;
  const head = await readHead(path, location);
  const firstCharacter = withoutBom(isGzip(head) ? gunzipHead(head) : head)
    .trimStart()
    .charAt(0);
  const limit = firstCharacter === '[' ? maxDocumentBytes : maxRecordBytes;
  const text = withoutBom(await readBounded(path, limit, location));
  if (text.trim() === '') throw new FeedError('empty file', location);
  return { document: parseJson(text, location), location };
}

function withoutBom(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
