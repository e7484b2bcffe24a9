/**
 * INI inventories can only hold strings, so `patchops_tags` arrives as text. We read the forms people
 * write there: a Python/JSON dict `{'env': 'prod', "tier": 1}` or plain pairs `env=prod,tier=1`.
 * Flat mappings of scalars only; anything else is an error, not a guess.
 */
export type TagLiteral = { ok: true; tags: Record<string, string> } | { ok: false; message: string };

const SCALAR = /^\s*(?:'([^'\\]*)'|"([^"\\]*)"|([A-Za-z0-9._-]+))\s*/;

function readScalar(text: string): { value: string; rest: string } | null {
  const match = SCALAR.exec(text);
  if (!match) return null;
  return { value: match[1] ?? match[2] ?? match[3] ?? '', rest: text.slice(match[0].length) };
}

function parseDict(body: string): TagLiteral {
  const tags: Record<string, string> = {};
  let rest = body.trim();
  while (rest.length > 0) {
    const key = readScalar(rest);
    if (!key?.rest.startsWith(':'))
      return { ok: false, message: `expected 'key': value at "${rest.slice(0, 20)}"` };
    const value = readScalar(key.rest.slice(1));
    if (!value) return { ok: false, message: `expected a value for '${key.value}'` };
    tags[key.value] = value.value;
    rest = value.rest.trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
    else if (rest.length > 0) return { ok: false, message: `expected ',' at "${rest.slice(0, 20)}"` };
  }
  return { ok: true, tags };
}

function parsePairs(text: string): TagLiteral {
  const tags: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const equals = pair.indexOf('=');
    if (equals < 0) return { ok: false, message: `expected key=value, got '${pair.trim().slice(0, 20)}'` };
    tags[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return { ok: true, tags };
}

export function parseTagLiteral(text: string): TagLiteral {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '{}') return { ok: true, tags: {} };
  if (trimmed.startsWith('{')) {
    if (!trimmed.endsWith('}')) return { ok: false, message: "a mapping must end with '}'" };
    return parseDict(trimmed.slice(1, -1));
  }
  return parsePairs(trimmed);
}
