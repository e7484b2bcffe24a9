import type { KevEntry } from '../../types.js';
import { Batch } from '../batch.js';
import { FeedError, type FeedLocation } from '../errors.js';
import { readCsvRows } from '../io/csv.js';
import { gunzipHead, isGzip, openDecoded, parseJson, readBounded, readHead } from '../io/input.js';
import type { BatchHandler, KevSummary, ReadOptions } from '../types.js';
import { WarningLog } from '../warnings.js';
import { parseKevCatalog, parseKevRow } from './parse.js';

/**
 * Reads the CISA KEV catalog, as its JSON (with catalogVersion and dateReleased) or as its CSV, told apart
 * by the first character, and hands the entries to `handler` in batches. The JSON is about 1.3 MB and is
 * held whole (up to maxDocumentBytes); the CSV is streamed.
 */
export async function readKev(
  path: string,
  handler: BatchHandler<KevEntry>,
  options: ReadOptions,
  source = path,
): Promise<KevSummary> {
  const head = await readHead(path, { source });
  const text = (isGzip(head) ? gunzipHead(head) : head)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text === '') throw new FeedError('empty file', { source });
  const batch = new Batch(options.batchSize, handler, options.signal);
  const summary = text.startsWith('{')
    ? await readKevJson(path, batch, options, source)
    : await readKevCsv(path, batch, options, source);
  if (summary.entries === 0) throw new FeedError('no KEV entries found', { source });
  await batch.flush();
  return summary;
}

async function readKevJson(
  path: string,
  batch: Batch<KevEntry>,
  options: ReadOptions,
  source: string,
): Promise<KevSummary> {
  const location = { source };
  const bytes = await readBounded(path, options.limits.maxDocumentBytes, location);
  const catalog = parseKevCatalog(
    parseJson(bytes.toString('utf8').replace(/^\uFEFF/, ''), location),
    location,
  );
  const warnings = new WarningLog();
  if (catalog.declaredCount !== catalog.entries.length)
    warnings.add(`catalog declares ${catalog.declaredCount} entries but holds ${catalog.entries.length}`);
  for (const entry of catalog.entries) if (batch.push(entry)) await batch.flush();
  return {
    feed: 'kev',
    source,
    format: 'json',
    catalogVersion: catalog.catalogVersion,
    dateReleased: catalog.dateReleased,
    entries: catalog.entries.length,
    warnings: warnings.list(),
  };
}

async function readKevCsv(
  path: string,
  batch: Batch<KevEntry>,
  options: ReadOptions,
  source: string,
): Promise<KevSummary> {
  const { stream } = await openDecoded(path, { source });
  const rows = readCsvRows(
    stream,
    { source },
    {
      maxLineBytes: options.limits.maxLineBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  let header: string[] | undefined;
  let entries = 0;
  for await (const { fields, line } of rows) {
    const location: FeedLocation = { source, line };
    if (header === undefined) {
      header = fields.map((field) => field.trim());
      if (!header.includes('cveID')) throw new FeedError('header must name the column cveID', location);
      continue;
    }
    const row = Object.fromEntries(header.map((name, index) => [name, fields[index] ?? '']));
    entries++;
    if (batch.push(parseKevRow(row, location))) await batch.flush();
  }
  return { feed: 'kev', source, format: 'csv', entries, warnings: [] };
}
