/**
 * Host selectors: `all`, `web-01`, `web-*`, `group:prod`, `tag:role=db`, and comma-separated lists of
 * those (a union). Text typed in chat becomes a Selector only through `parseSelector`, whose character set
 * leaves no room for shell syntax; resolving one against an inventory is pure.
 */

/** Host, group and zone names; also tag keys and values. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A glob is a name that may also hold `*` and `?`, anywhere. */
const GLOB_PATTERN = /^[A-Za-z0-9.*?_-]{1,63}$/;
/** Selectors typed in chat are at most 256 characters; config and API callers get some more room. */
export const MAX_SELECTOR_LENGTH = 2000;

export type SelectorTerm =
  | { kind: 'all' }
  | { kind: 'name'; name: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'group'; group: string }
  | { kind: 'tag'; key: string; value: string };

export interface Selector {
  /** Canonical text: the terms joined by commas, without duplicates or blanks. */
  text: string;
  terms: SelectorTerm[];
}

export type SelectorErrorCode =
  | 'invalid_selector'
  | 'unknown_host'
  | 'empty_group'
  | 'no_match'
  | 'empty_inventory';

export interface SelectorError {
  code: SelectorErrorCode;
  message: string;
}

export type SelectorParseResult = { ok: true; selector: Selector } | { ok: false; error: SelectorError };

export interface SelectableHost {
  name: string;
  groups: readonly string[];
  tags: Readonly<Record<string, string>>;
}

export type SelectorResolution<H extends SelectableHost> =
  | { ok: true; hosts: H[] }
  | { ok: false; error: SelectorError };

const NAME_RULE = "a letter or digit first, then letters, digits, '.', '_' or '-'; at most 63";

function invalid(text: string, reason: string): SelectorParseResult {
  return { ok: false, error: { code: 'invalid_selector', message: `invalid selector '${text}': ${reason}` } };
}

/** Quote a fragment for an error message without echoing control characters or pages of text back. */
function show(fragment: string): string {
  const printable = fragment.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

function parseTerm(item: string): SelectorTerm | string {
  if (item === 'all') return { kind: 'all' };
  if (item.startsWith('group:')) {
    const group = item.slice('group:'.length);
    return NAME_PATTERN.test(group)
      ? { kind: 'group', group }
      : `group '${show(group)}' is not a valid name (${NAME_RULE})`;
  }
  if (item.startsWith('tag:')) {
    const pair = item.slice('tag:'.length);
    const equals = pair.indexOf('=');
    if (equals < 0) return `'${show(item)}' needs the form tag:KEY=VALUE`;
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (!NAME_PATTERN.test(key)) return `tag key '${show(key)}' is not valid (${NAME_RULE})`;
    if (!NAME_PATTERN.test(value)) return `tag value '${show(value)}' is not valid (${NAME_RULE})`;
    return { kind: 'tag', key, value };
  }
  const bad = [...item].find((ch) => !/[A-Za-z0-9._*?-]/.test(ch));
  if (bad !== undefined) {
    return `'${show(bad)}' is not allowed (names use letters, digits, '.', '_', '-'; patterns add * and ?)`;
  }
  if (/[*?]/.test(item)) {
    return GLOB_PATTERN.test(item)
      ? { kind: 'glob', pattern: item }
      : `'${show(item)}' is too long for a pattern (at most 63 characters)`;
  }
  if (NAME_PATTERN.test(item)) return { kind: 'name', name: item };
  return `'${show(item)}' is not a valid host name (${NAME_RULE})`;
}

export function formatTerm(term: SelectorTerm): string {
  switch (term.kind) {
    case 'all':
      return 'all';
    case 'name':
      return term.name;
    case 'glob':
      return term.pattern;
    case 'group':
      return `group:${term.group}`;
    case 'tag':
      return `tag:${term.key}=${term.value}`;
  }
}

export function parseSelector(text: string): SelectorParseResult {
  if (text.length === 0)
    return invalid(text, 'it is empty (try all, web-01, web-*, group:NAME, tag:KEY=VALUE)');
  if (text.length > MAX_SELECTOR_LENGTH) {
    return invalid(show(text), `it is ${text.length} characters; the limit is ${MAX_SELECTOR_LENGTH}`);
  }
  const terms: SelectorTerm[] = [];
  const seen = new Set<string>();
  for (const item of text.split(',')) {
    if (item.length === 0) return invalid(show(text), 'it has an empty item between commas');
    const term = parseTerm(item);
    if (typeof term === 'string') return invalid(show(text), term);
    const canonical = formatTerm(term);
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    terms.push(term);
  }
  return { ok: true, selector: { text: [...seen].join(','), terms } };
}

/**
 * Match `*` (any run of characters) and `?` (one character). Iterative with one backtrack point, so the
 * cost stays linear in practice whatever the pattern.
 */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starN = n;
    } else if (pc !== undefined && (pc === '?' || pc === name[n])) {
      p++;
      n++;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function termMatches(term: SelectorTerm, host: SelectableHost): boolean {
  switch (term.kind) {
    case 'all':
      return true;
    case 'name':
      return host.name === term.name;
    case 'glob':
      return globMatches(term.pattern, host.name);
    case 'group':
      return host.groups.includes(term.group);
    case 'tag':
      return Object.hasOwn(host.tags, term.key) && host.tags[term.key] === term.value;
  }
}

function describeMisses(misses: SelectorTerm[], selector: Selector): SelectorError {
  const where = selector.terms.length > 1 ? ` in selector '${selector.text}'` : '';
  const list = (terms: SelectorTerm[]) => terms.map((t) => `'${formatTerm(t)}'`).join(', ');
  const names = misses.filter((t) => t.kind === 'name');
  if (names.length > 0) {
    const noun = names.length === 1 ? 'host' : 'hosts';
    return { code: 'unknown_host', message: `unknown ${noun} ${list(names)}${where}` };
  }
  const groups = misses.filter((t) => t.kind === 'group');
  if (groups.length > 0) {
    const noun = groups.length === 1 ? 'group' : 'groups';
    const verb = groups.length === 1 ? 'has' : 'have';
    const groupNames = groups.map((t) => `'${t.kind === 'group' ? t.group : ''}'`).join(', ');
    return { code: 'empty_group', message: `${noun} ${groupNames} ${verb} no members${where}` };
  }
  return { code: 'no_match', message: `no host matches ${list(misses)}${where}` };
}

/**
 * The hosts a selector picks, deduplicated and sorted by name. Every term must pick at least one host:
 * a typo in one item of a list is an error, not a silently smaller run.
 */
export function resolveSelector<H extends SelectableHost>(
  selector: Selector,
  hosts: readonly H[],
): SelectorResolution<H> {
  if (hosts.length === 0) {
    return { ok: false, error: { code: 'empty_inventory', message: 'the inventory has no hosts' } };
  }
  const picked = new Map<string, H>();
  const misses: SelectorTerm[] = [];
  for (const term of selector.terms) {
    const matching = hosts.filter((host) => termMatches(term, host));
    if (matching.length === 0) misses.push(term);
    for (const host of matching) if (!picked.has(host.name)) picked.set(host.name, host);
  }
  if (misses.length > 0) return { ok: false, error: describeMisses(misses, selector) };
  const sorted = [...picked.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ok: true, hosts: sorted };
}
