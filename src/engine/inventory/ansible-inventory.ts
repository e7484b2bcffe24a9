import { type AnsibleTree, flattenTree } from './ansible-tree.js';
import { type HostWarning, hostFromAnsibleVars } from './ansible-vars.js';
import { hostNameField, nameField } from './fields.js';
import type { InventoryIssue, InventoryResult } from './issues.js';
import type { InventoryHost } from './types.js';

/** One line per cause, naming a few of the hosts: a 2,000-host inventory must not print 2,000 warnings. */
export function summarizeWarnings(file: string, warnings: readonly HostWarning[]): string[] {
  const byMessage = new Map<string, string[]>();
  for (const { host, message } of warnings) byMessage.set(message, [...(byMessage.get(message) ?? []), host]);
  return [...byMessage].map(([message, hosts]) => {
    const named = hosts.slice(0, 3).join(', ') + (hosts.length > 3 ? `, … (${hosts.length} hosts)` : '');
    return `${file}: ${named}: ${message}`;
  });
}

/** Hosts of an Ansible inventory (either format), validated; the common half of both loaders. */
export function inventoryFromTree(tree: AnsibleTree, file: string): InventoryResult {
  const issues: InventoryIssue[] = [];
  for (const group of tree.groups.keys()) {
    const valid = nameField.safeParse(group);
    if (!valid.success)
      issues.push({ file, group, message: valid.error.issues[0]?.message ?? 'invalid group name' });
  }
  const flat = flattenTree(tree);
  if (!flat.ok) return { ok: false, issues: [...issues, { file, group: flat.group, message: flat.message }] };
  const hosts: InventoryHost[] = [];
  const warnings: HostWarning[] = [];
  for (const host of flat.hosts) {
    const valid = hostNameField.safeParse(host.name);
    if (!valid.success) {
      const line = host.line === undefined ? {} : { line: host.line };
      issues.push({
        file,
        ...line,
        host: host.name,
        message: `invalid name: ${valid.error.issues[0]?.message}`,
      });
      continue;
    }
    const mapped = hostFromAnsibleVars(host, file);
    issues.push(...mapped.issues);
    warnings.push(...mapped.warnings);
    if (mapped.host) hosts.push(mapped.host);
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, hosts, warnings: summarizeWarnings(file, warnings) };
}
