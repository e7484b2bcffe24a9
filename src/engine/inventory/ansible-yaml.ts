import { z } from 'zod';
import { inventoryFromTree } from './ansible-inventory.js';
import { type AnsibleTree, addHost, emptyTree, groupOf, type Vars } from './ansible-tree.js';
import { expandHostPattern } from './host-ranges.js';
import type { InventoryIssue, InventoryResult } from './issues.js';
import { parseYamlText } from './yaml-text.js';
import { type Locate, toInventoryIssues } from './zod-issues.js';

/*
 * Ansible's YAML inventory: `all: { hosts, vars, children: { web: { hosts, vars, children } } }`.
 * Other top-level groups are children of `all`, and a group defined in several places is one group.
 */

interface RawGroup {
  hosts?: Record<string, Vars | null> | null | undefined;
  vars?: Vars | null | undefined;
  children?: Record<string, RawGroup | null> | null | undefined;
}

const groupSchema: z.ZodType<RawGroup> = z.lazy(() =>
  z.strictObject({
    hosts: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).nullish(),
    vars: z.record(z.string(), z.unknown()).nullish(),
    children: z.record(z.string(), groupSchema.nullable()).nullish(),
  }),
);

const fileSchema = z.record(z.string(), groupSchema.nullable());

type LineOf = (path: readonly PropertyKey[]) => number | undefined;

function locate(lineOf: LineOf): Locate {
  return (path) => {
    const segments = path.map(String);
    const line = lineOf(path);
    const at = line === undefined ? {} : { line };
    const hostsAt = segments.lastIndexOf('hosts');
    const host = hostsAt >= 0 ? segments[hostsAt + 1] : undefined;
    if (host !== undefined) {
      const rest = segments.slice(hostsAt + 2);
      return { ...at, host, ...(rest.length > 0 ? { field: rest.join('.') } : {}) };
    }
    return { ...at, field: segments.join('.') };
  };
}

function walk(
  tree: AnsibleTree,
  name: string,
  group: RawGroup | null,
  path: string[],
  lineOf: LineOf,
  issues: InventoryIssue[],
  file: string,
): void {
  const target = groupOf(tree, name);
  Object.assign(target.vars, group?.vars ?? {});
  for (const [pattern, vars] of Object.entries(group?.hosts ?? {})) {
    const hostPath = [...path, 'hosts', pattern];
    const line = lineOf(hostPath);
    const expanded = expandHostPattern(pattern);
    if (!expanded.ok) {
      issues.push({
        file,
        ...(line === undefined ? {} : { line }),
        host: pattern,
        message: expanded.message,
      });
      continue;
    }
    for (const host of expanded.names) addHost(tree, name, host, vars ?? {}, line);
  }
  for (const [child, definition] of Object.entries(group?.children ?? {})) {
    target.children.add(child);
    walk(tree, child, definition, [...path, 'children', child], lineOf, issues, file);
  }
}

export function parseAnsibleYaml(text: string, file: string): InventoryResult {
  const yaml = parseYamlText(text, file);
  if (!yaml.ok) return yaml;
  const parsed = fileSchema.safeParse(yaml.value ?? {}, { reportInput: true });
  if (!parsed.success)
    return { ok: false, issues: toInventoryIssues(parsed.error, file, locate(yaml.lineOf)) };
  const tree = emptyTree();
  const issues: InventoryIssue[] = [];
  for (const [name, group] of Object.entries(parsed.data))
    walk(tree, name, group, [name], yaml.lineOf, issues, file);
  if (issues.length > 0) return { ok: false, issues };
  return inventoryFromTree(tree, file);
}
