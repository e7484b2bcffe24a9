/**
 * OpenSSH known_hosts files, parsed without I/O: plain names, comma lists, wildcards and negations,
 * `[host]:port`, hashed `|1|salt|hash` names, comments; `@revoked` keys are honoured (never pinned, and
 * they cancel a listed key), `@cert-authority` lines are counted and skipped (patchops pins plain keys).
 */
import { createHmac } from 'node:crypto';
import { keyTypeOfBlob, type PinnedKey, type PublicHostKey, sameKey } from './host-keys.js';

export interface KnownHostsEntry extends PublicHostKey {
  line: number;
  marker: 'revoked' | 'cert-authority' | undefined;
  /** Host patterns as written (comma list), or one hashed name. */
  hosts: { kind: 'patterns'; patterns: string[] } | { kind: 'hashed'; salt: Buffer; hash: Buffer };
  comment: string | undefined;
}

export interface KnownHostsProblem {
  line: number;
  message: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  problems: KnownHostsProblem[];
}

function parseHosts(field: string): KnownHostsEntry['hosts'] | string {
  if (field.startsWith('|1|')) {
    const [salt, hash, extra] = field.slice(3).split('|');
    if (salt === undefined || hash === undefined || extra !== undefined) return 'malformed hashed host name';
    const saltBytes = Buffer.from(salt, 'base64');
    const hashBytes = Buffer.from(hash, 'base64');
    if (saltBytes.length !== 20 || hashBytes.length !== 20) return 'hashed host name is not HMAC-SHA1';
    return { kind: 'hashed', salt: saltBytes, hash: hashBytes };
  }
  if (field.startsWith('|')) return `unsupported hashed host name format ${field.split('|')[1] ?? ''}`;
  const patterns = field.split(',').filter((pattern) => pattern !== '');
  return patterns.length > 0 ? { kind: 'patterns', patterns } : 'no host names';
}

function parseLine(text: string, line: number): KnownHostsEntry | KnownHostsProblem | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const fields = trimmed.split(/\s+/);
  let marker: KnownHostsEntry['marker'];
  if (fields[0]?.startsWith('@')) {
    const name = fields.shift();
    if (name === '@revoked') marker = 'revoked';
    else if (name === '@cert-authority') marker = 'cert-authority';
    else return { line, message: `unknown marker ${name}` };
  }
  const [hostField, type, base64, ...rest] = fields;
  if (hostField === undefined || type === undefined || base64 === undefined) {
    return { line, message: 'expected "hosts key-type base64-key [comment]"' };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { line, message: 'key is not base64' };
  const blobType = keyTypeOfBlob(Buffer.from(base64, 'base64'));
  if (blobType !== type)
    return { line, message: `key says it is ${blobType ?? 'nothing readable'}, line says ${type}` };
  const hosts = parseHosts(hostField);
  if (typeof hosts === 'string') return { line, message: hosts };
  return { line, marker, hosts, type, base64, comment: rest.length > 0 ? rest.join(' ') : undefined };
}

export function parseKnownHosts(text: string): ParsedKnownHosts {
  const entries: KnownHostsEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const parsed = parseLine(lineText, index + 1);
    if (parsed === undefined) return;
    if ('message' in parsed) problems.push(parsed);
    else entries.push(parsed);
  });
  return { entries, problems };
}

/** How OpenSSH names a host in known_hosts: bare on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH wildcard match: `*` any run, `?` one character, case-insensitive. */
function wildcardMatch(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

function entryMatches(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hosts.kind === 'hashed') {
    const digest = createHmac('sha1', entry.hosts.salt).update(name).digest();
    return digest.equals(entry.hosts.hash);
  }
  let matched = false;
  for (const pattern of entry.hosts.patterns) {
    // A matching negation rejects the whole line, even if another pattern matches.
    if (pattern.startsWith('!')) {
      if (wildcardMatch(pattern.slice(1), name)) return false;
    } else if (wildcardMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

export interface KnownHostsLookup {
  /** Keys to trust for the host (revoked ones removed). */
  keys: PublicHostKey[];
  /** Revoked keys that apply to the host: never to be accepted. */
  revoked: PublicHostKey[];
  /** @cert-authority lines that matched and were skipped. */
  certAuthoritiesSkipped: number;
}

/** Keys for a host known by any of `names` (e.g. inventory name and address) on `port`. */
interface EntryIndex {
  /** Entries whose patterns are all plain names, by each name (lower case): looked up, not scanned. */
  byName: Map<string, KnownHostsEntry[]>;
  /** Entries with wildcards, negations or hashed names: these must be tried one by one. */
  others: KnownHostsEntry[];
}

const indexes = new WeakMap<readonly KnownHostsEntry[], EntryIndex>();

/**
 * The entries that may match these names, in file order. A fleet's known_hosts has an entry per host, and
 * trying every entry for every host is quadratic: 1,000 hosts took 2.5 s of every process's start.
 */
function candidates(entries: readonly KnownHostsEntry[], names: readonly string[]): KnownHostsEntry[] {
  let index = indexes.get(entries);
  if (!index) {
    index = { byName: new Map(), others: [] };
    for (const entry of entries) {
      const literal = entry.hosts.kind === 'patterns' && entry.hosts.patterns.every((p) => !/[*?!]/.test(p));
      if (!literal || entry.hosts.kind !== 'patterns') {
        index.others.push(entry);
        continue;
      }
      for (const pattern of entry.hosts.patterns) {
        const key = pattern.toLowerCase();
        const named = index.byName.get(key);
        if (named) named.push(entry);
        else index.byName.set(key, [entry]);
      }
    }
    indexes.set(entries, index);
  }
  const found = new Set(index.others);
  for (const name of names) for (const entry of index.byName.get(name.toLowerCase()) ?? []) found.add(entry);
  return [...found].sort((a, b) => a.line - b.line);
}

export function lookupKnownHosts(
  entries: readonly KnownHostsEntry[],
  names: readonly string[],
  port: number,
): KnownHostsLookup {
  const wanted = names.map((name) => knownHostsName(name, port));
  const matching = candidates(entries, wanted).filter((entry) =>
    wanted.some((name) => entryMatches(entry, name)),
  );
  const revoked = dedupe(matching.filter((entry) => entry.marker === 'revoked'));
  const keys = dedupe(matching.filter((entry) => entry.marker === undefined)).filter(
    (key) => !revoked.some((bad) => sameKey(bad, key)),
  );
  const certAuthoritiesSkipped = matching.filter((entry) => entry.marker === 'cert-authority').length;
  return { keys, revoked, certAuthoritiesSkipped };
}

function dedupe(entries: readonly PublicHostKey[]): PublicHostKey[] {
  const unique: PublicHostKey[] = [];
  for (const entry of entries) {
    if (!unique.some((key) => sameKey(key, entry))) unique.push({ type: entry.type, base64: entry.base64 });
  }
  return unique;
}

/** Pins to import for one host from a known_hosts file. */
export function pinsFromKnownHosts(lookup: KnownHostsLookup, importedAt: Date): PinnedKey[] {
  return lookup.keys.map((key) => ({ ...key, source: 'known_hosts', firstSeenAt: importedAt }));
}
