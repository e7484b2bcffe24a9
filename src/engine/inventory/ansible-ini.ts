import { inventoryFromTree } from './ansible-inventory.js';
import { type AnsibleTree, addHost, emptyTree, groupOf, type Vars } from './ansible-tree.js';
import { expandHostPattern } from './host-ranges.js';
import type { InventoryIssue, InventoryResult } from './issues.js';

/*
 * Ansible's INI inventory: `[group]` host lines with key=value vars, `[group:vars]`, `[group:children]`,
 * `web[01:03]` ranges, `host:port`, comments with # or ;, and hosts before any section in `ungrouped`.
 * Values stay strings, as Ansible keeps them in :vars sections; the fields we read accept that.
 */

type SectionKind = 'hosts' | 'vars' | 'children';
interface Section {
  group: string;
  kind: SectionKind;
}

/** Split a host line the way Python's shlex does: quotes group, `#` at the start of a word ends the line. */
export function splitHostLine(line: string): string[] | string {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote !== null) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\'))
        word += line.charAt(++i);
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === '#' && word === null) {
      break;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote !== null) return `unterminated ${quote === '"' ? 'double' : 'single'} quote`;
  if (word !== null) words.push(word);
  return words;
}

function unquote(value: string): string {
  const first = value.charAt(0);
  return value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)
    ? value.slice(1, -1)
    : value;
}

function parseHeader(body: string): Section | string {
  const [group = '', kind = 'hosts', ...extra] = body.trim().split(':');
  if (extra.length > 0 || !['hosts', 'vars', 'children'].includes(kind)) {
    return `unknown section [${body}]; use [group], [group:vars] or [group:children]`;
  }
  if (group === '') return 'a section needs a group name';
  return { group, kind: kind as SectionKind };
}

function parseHostLine(
  tree: AnsibleTree,
  section: Section,
  text: string,
  at: Omit<InventoryIssue, 'message'>,
): string | null {
  const words = splitHostLine(text);
  if (typeof words === 'string') return words;
  const [pattern, ...assignments] = words;
  if (pattern === undefined) return null;
  const vars: Vars = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) return `expected key=value after the host, got '${assignment.slice(0, 40)}'`;
    vars[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  // `host:port`, but not an IPv6 address, which has several colons.
  const hostPort = /^([^:]+):(\d+)$/.exec(pattern);
  if (hostPort) vars.ansible_port ??= hostPort[2];
  const expanded = expandHostPattern(hostPort?.[1] ?? pattern);
  if (!expanded.ok) return expanded.message;
  for (const name of expanded.names) addHost(tree, section.group, name, vars, at.line);
  return null;
}

export function parseAnsibleIni(text: string, file: string): InventoryResult {
  const tree = emptyTree();
  const issues: InventoryIssue[] = [];
  let section: Section = { group: 'ungrouped', kind: 'hosts' };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || text.startsWith(';')) return;
    const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(text);
    if (header) {
      const parsed = parseHeader(header[1] ?? '');
      if (typeof parsed === 'string') issues.push({ file, line, message: parsed });
      else {
        section = parsed;
        groupOf(tree, section.group);
      }
      return;
    }
    if (section.kind === 'children') {
      const child = text.split(/\s+/)[0] ?? '';
      groupOf(tree, section.group).children.add(child);
      groupOf(tree, child);
    } else if (section.kind === 'vars') {
      const equals = text.indexOf('=');
      if (equals <= 0)
        issues.push({
          file,
          line,
          group: section.group,
          message: `expected key=value, got '${text.slice(0, 40)}'`,
        });
      else
        groupOf(tree, section.group).vars[text.slice(0, equals).trim()] = unquote(
          text.slice(equals + 1).trim(),
        );
    } else {
      const problem = parseHostLine(tree, section, text, { file, line });
      if (problem) issues.push({ file, line, message: problem });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  return inventoryFromTree(tree, file);
}
