import { pipeline, type Readable, Transform } from 'node:stream';
import { CsvError, type InfoRecord, parse } from 'csv-parse';
import { FeedError, type FeedLocation } from '../errors.js';
import { tooLarge } from './input.js';

export interface CsvRow {
  fields: string[];
  /** 1-based line in the original input (where the record ends). */
  line: number;
}

/** What csv-parse emits with `info: true`. */
interface ParsedRecord {
  info: InfoRecord;
  record: string[];
}

export interface CsvReadOptions {
  maxLineBytes: number;
  /** Lines taken off before `stream` (a leading comment line); asked when needed, as it is found late. */
  linesBefore?: () => number;
  /**
   * 'exact' asks csv-parse for each record's line, which halves its speed; 'counted' numbers records one
   * per line, exact for files that never quote a line break (EPSS) as long as they have no blank lines.
   */
  lineNumbers?: 'exact' | 'counted';
  signal?: AbortSignal;
}

/**
 * Records of a CSV stream as arrays of fields, with their line numbers, parsed incrementally: memory
 * stays at one chunk plus one record whatever the file size. A record longer than maxLineBytes, or with a
 * different number of fields than the first one, fails with the line named.
 */
export async function* readCsvRows(
  stream: Readable,
  location: FeedLocation,
  options: CsvReadOptions,
): AsyncGenerator<CsvRow> {
  const linesBefore = options.linesBefore ?? (() => 0);
  const exact = options.lineNumbers !== 'counted';
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    max_record_size: options.maxLineBytes,
    info: exact,
  });
  // pipeline: a failing source (bad gzip) errors the parser, and an abandoned parser closes the source.
  const records = pipeline(stream, parser, () => {});
  try {
    if (exact) {
      for await (const { info, record } of records as AsyncIterable<ParsedRecord>)
        yield { fields: record, line: info.lines + linesBefore() };
    } else {
      let line = 0;
      for await (const fields of records as AsyncIterable<string[]>)
        yield { fields, line: ++line + linesBefore() };
    }
  } catch (error) {
    throw csvFailure(error, location, options);
  }
}

function csvFailure(error: unknown, location: FeedLocation, options: CsvReadOptions): unknown {
  if (error instanceof FeedError || options.signal?.aborted) return error;
  if (error instanceof CsvError) {
    const line = typeof error.lines === 'number' ? error.lines + (options.linesBefore?.() ?? 0) : undefined;
    const reason =
      error.code === 'CSV_MAX_RECORD_SIZE'
        ? `line ${tooLarge(options.maxLineBytes + 1, options.maxLineBytes, 'more than ')}`
        : `malformed CSV: ${error.message}`;
    return new FeedError(reason, { ...location, ...(line ? { line } : {}) }, { cause: error });
  }
  return new FeedError(`cannot read: ${(error as Error).message}`, location, { cause: error });
}

/**
 * Passes a stream through, minus its first line when that line starts with "#" (EPSS's
 * `#model_version:...` line), which goes to `onComment`. The line is held only up to maxLineBytes.
 */
export function leadingCommentSplitter(
  maxLineBytes: number,
  onComment: (line: string) => void,
  location: FeedLocation,
): Transform {
  // Chunks of the first line so far; undefined once it has been passed on. A list, not one growing
  // Buffer, so a long first line costs linear time.
  let head: Buffer[] | undefined = [];
  let headLength = 0;
  const release = (transform: Transform) => {
    const whole = Buffer.concat(head ?? [], headLength);
    head = undefined;
    const text = whole.subarray(whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf ? 3 : 0);
    if (text[0] !== 0x23 /* # */) return transform.push(whole);
    const newline = text.indexOf(0x0a);
    const end = newline < 0 ? text.length : newline;
    onComment(text.subarray(0, end).toString('utf8').replace(/\r$/, ''));
    return transform.push(text.subarray(Math.min(text.length, end + 1)));
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (head === undefined) return done(null, chunk);
      head.push(chunk);
      headLength += chunk.length;
      if (chunk.includes(0x0a)) release(this);
      else if (headLength > maxLineBytes)
        return done(
          new FeedError(`first line ${tooLarge(headLength, maxLineBytes, 'more than ')}`, location),
        );
      done();
    },
    flush(done) {
      if (head !== undefined && headLength > 0) release(this);
      done();
    },
  });
}
