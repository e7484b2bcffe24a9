/** Where in the input a problem is: enough for an operator to open the file and look. */
export interface FeedLocation {
  /** The path or URL given to readFeed. */
  source: string;
  /** A file inside a directory, or an entry inside a zip. */
  entry?: string;
  /** 1-based line of a CSV feed. */
  line?: number;
  /** The record id, when it was read before the problem. */
  record?: string;
  /** Dotted path of the offending field: `affected[0].ranges[1].events`. */
  field?: string;
}

/**
 * Any input that cannot be imported: unreadable, oversize, malformed or off-schema. It fails the whole
 * import; the caller keeps its previous data.
 */
export class FeedError extends Error {
  override readonly name = 'FeedError';

  constructor(
    readonly reason: string,
    readonly location: FeedLocation,
    options?: { cause?: unknown },
  ) {
    super(`${describeLocation(location)}: ${reason}`, options);
  }
}

function describeLocation(location: FeedLocation): string {
  const parts = [location.source];
  if (location.entry !== undefined) parts.push(location.entry);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.record !== undefined) parts.push(`record ${location.record}`);
  if (location.field !== undefined) parts.push(`field ${location.field}`);
  return parts.join(', ');
}

/** "affected[0].ranges[1].events" from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(record)' : text;
}
