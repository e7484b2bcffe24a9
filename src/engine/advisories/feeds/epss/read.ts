import type { EpssScore } from '../../types.js';
import { Batch } from '../batch.js';
import { FeedError } from '../errors.js';
import { leadingCommentSplitter, readCsvRows } from '../io/csv.js';
import { openDecoded } from '../io/input.js';
import type { BatchHandler, EpssSummary, ReadOptions } from '../types.js';
import { type EpssColumns, type EpssModel, epssColumns, epssScoreOf, parseEpssComment } from './parse.js';

/**
 * Streams a FIRST EPSS CSV (`cve,epss,percentile`), gzipped or not (told by its magic bytes, not its
 * name), with or without the leading `#model_version:...,score_date:...` line, into `handler` in batches.
 * Resolves with the row count and model metadata only when every row was valid.
 */
export async function readEpss(
  path: string,
  handler: BatchHandler<EpssScore>,
  options: ReadOptions,
  source = path,
): Promise<EpssSummary> {
  const location = { source };
  const { stream, compressed } = await openDecoded(path, location);
  let model: EpssModel = {};
  let commentLines = 0;
  const splitter = leadingCommentSplitter(
    options.limits.maxLineBytes,
    (line) => {
      model = parseEpssComment(line);
      commentLines = 1;
    },
    location,
  );
  stream.on('error', (error) => splitter.destroy(error));
  const rows = readCsvRows(stream.pipe(splitter), location, {
    maxLineBytes: options.limits.maxLineBytes,
    linesBefore: () => commentLines,
    lineNumbers: 'counted',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const batch = new Batch(options.batchSize, handler, options.signal);
  let columns: EpssColumns | undefined;
  let count = 0;
  for await (const { fields, line } of rows) {
    if (columns === undefined) {
      columns = epssColumns(fields);
      if (!columns)
        throw new FeedError('header must name the columns cve, epss and percentile', { source, line });
      continue;
    }
    const score = epssScoreOf(fields, columns);
    if (typeof score === 'string') throw new FeedError(score, { source, line });
    count++;
    if (batch.push(score)) await batch.flush();
  }
  if (count === 0) throw new FeedError('no EPSS rows found', location);
  await batch.flush();
  return { feed: 'epss', source, rows: count, ...model, compressed, warnings: [] };
}
