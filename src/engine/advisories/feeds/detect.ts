import { open, stat } from 'node:fs/promises';
import { gunzipHead, isGzip, isZip } from './io/input.js';
import type { FeedKind } from './types.js';

/**
 * Which feed a file or URL holds, from its first bytes (a few KiB is plenty), gzip or not: a zip is an
 * OSV ecosystem archive; a JSON object naming `catalogVersion` or `cveID` is KEV, any other JSON is OSV; a
 * CSV starting `#model_version` or `cve,epss` is EPSS, one starting `cveID` is KEV. The name is only a
 * fallback for bytes that say nothing (too short, or a gzip head that does not inflate). Undefined when
 * neither tells.
 */
export function detectFeed(name: string, head: Uint8Array): FeedKind | undefined {
  return detectFromBytes(head) ?? detectFromName(name);
}

function detectFromBytes(head: Uint8Array): FeedKind | undefined {
  if (isZip(head)) return 'osv';
  const bytes = isGzip(head) ? gunzipHead(head) : head;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^#\s*model_version/i.test(text) || /^"?cve"?\s*,\s*"?epss"?/i.test(text)) return 'epss';
  if (/^"?cveID"?\s*,/.test(text)) return 'kev';
  if (text.startsWith('{') || text.startsWith('[')) {
    return /"(catalogVersion|cveID)"\s*:/.test(text) ? 'kev' : 'osv';
  }
  return undefined;
}

function detectFromName(name: string): FeedKind | undefined {
  const withoutQuery = name.replace(/[?#].*$/, '');
  const base = withoutQuery.split(/[/\\]/).filter(Boolean).at(-1)?.toLowerCase() ?? '';
  if (/known_exploited|(^|[^a-z])kev([^a-z]|$)/.test(base)) return 'kev';
  if (base.includes('epss')) return 'epss';
  if (base.endsWith('.zip') || base.endsWith('.json')) return 'osv';
  return undefined;
}

/**
 * Best guess of a source's feed before reading it, for the record of a failed import: a directory is OSV,
 * a local file is judged by its first bytes, a URL by its name. Reading still detects for itself.
 */
export async function guessFeed(source: string): Promise<FeedKind | undefined> {
  if (/^https?:\/\//i.test(source)) return detectFromName(source);
  try {
    if ((await stat(source)).isDirectory()) return 'osv';
    const handle = await open(source, 'r');
    try {
      const head = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return detectFeed(source, head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
