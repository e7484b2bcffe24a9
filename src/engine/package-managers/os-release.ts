import { OutputParseError } from './errors.js';
import type { OsRelease } from './types.js';

/**
 * /etc/os-release (os-release(5)): `KEY=value` lines with shell-style quoting, `#` comments, blank lines.
 * Values may be unquoted, 'single-quoted' (literal) or "double-quoted" (where \" \\ \$ \` are escapes).
 * Any other line is an error rather than silently skipped: it means the probe read something that is not
 * an os-release file, and guessing "linux" from it would give a wrong answer instead of a clear one.
 */
export function parseOsReleaseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new OutputParseError('os-release', index + 1, rawLine, 'expected KEY=value');
    const value = unquote(match[2]!);
    if (value === undefined)
      throw new OutputParseError('os-release', index + 1, rawLine, 'unbalanced quotes');
    fields.set(match[1]!, value);
  });
  return fields;
}

/** Parse os-release text; missing keys take the defaults os-release(5) gives them (ID=linux, NAME=Linux). */
export function parseOsRelease(text: string): OsRelease {
  const fields = parseOsReleaseFields(text);
  if (fields.size === 0) throw new OutputParseError('os-release', 1, text.slice(0, 80), 'no KEY=value lines');
  const name = fields.get('NAME') ?? 'Linux';
  const codename = fields.get('VERSION_CODENAME') || fields.get('UBUNTU_CODENAME');
  return {
    id: (fields.get('ID') || 'linux').toLowerCase(),
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: fields.get('VERSION_ID') ?? '',
    ...(codename ? { versionCodename: codename } : {}),
    prettyName: fields.get('PRETTY_NAME') || `${name} ${fields.get('VERSION') ?? ''}`.trim(),
  };
}

const doubleQuoteEscapes = new Set(['"', '\\', '$', '`']);

/** Shell-style unquoting of one value; undefined when a quote is left open. */
function unquote(raw: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const closed = readDoubleQuoted(raw, i + 1);
      if (!closed) return undefined;
      out += closed.text;
      i = closed.next;
    } else if (c === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

function readDoubleQuoted(raw: string, start: number): { text: string; next: number } | undefined {
  let text = '';
  for (let i = start; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') return { text, next: i + 1 };
    const escaped = raw[i + 1];
    if (c === '\\' && escaped !== undefined && doubleQuoteEscapes.has(escaped)) {
      text += escaped;
      i += 1;
    } else {
      text += c;
    }
  }
  return undefined;
}
