import { isNode, LineCounter, parseDocument } from 'yaml';
import type { InventoryIssue } from './issues.js';

export type YamlParse =
  | { ok: true; value: unknown; lineOf: (path: readonly PropertyKey[]) => number | undefined }
  | { ok: false; issues: InventoryIssue[] };

/**
 * Parse YAML into plain data, keeping a way back from a path to its line for error messages. Duplicate
 * keys are errors (a host defined twice is a mistake), and aliases are bounded so a small file cannot
 * expand into gigabytes.
 */
export function parseYamlText(text: string, file: string): YamlParse {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => ({
        file,
        ...(error.linePos?.[0] ? { line: error.linePos[0].line } : {}),
        message: error.message.split('\n')[0] ?? 'invalid YAML',
      })),
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      issues: [{ file, message: error instanceof Error ? error.message : 'invalid YAML' }],
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // The deepest node that exists: a missing key points at the mapping that should hold it.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth).map(String), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { ok: true, value, lineOf };
}
