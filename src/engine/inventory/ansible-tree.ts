/**
 * An Ansible inventory as both formats (INI and YAML) describe it: groups with vars, child groups and
 * hosts, plus each host's own vars. Flattening applies Ansible's membership and variable precedence.
 */

export type Vars = Record<string, unknown>;

export interface AnsibleGroup {
  vars: Vars;
  children: Set<string>;
  hosts: Set<string>;
}

export interface AnsibleTree {
  groups: Map<string, AnsibleGroup>;
  /** Host vars, merged over every place the host is listed; insertion order is the file's order. */
  hostVars: Map<string, Vars>;
  /** Where each host first appears, for error messages (INI only). */
  hostLines: Map<string, number>;
}

export interface FlatHost {
  name: string;
  /** Every group the host is in, directly or through child groups, without `all`; sorted. */
  groups: string[];
  /** Variable layers from lowest to highest precedence: all, parents, children, then the host. */
  layers: Vars[];
  line?: number;
}

export type Flattening = { ok: true; hosts: FlatHost[] } | { ok: false; group: string; message: string };

export function emptyTree(): AnsibleTree {
  const tree: AnsibleTree = { groups: new Map(), hostVars: new Map(), hostLines: new Map() };
  groupOf(tree, 'all');
  groupOf(tree, 'ungrouped');
  return tree;
}

export function groupOf(tree: AnsibleTree, name: string): AnsibleGroup {
  let group = tree.groups.get(name);
  if (!group) {
    group = { vars: {}, children: new Set(), hosts: new Set() };
    tree.groups.set(name, group);
  }
  return group;
}

export function addHost(tree: AnsibleTree, group: string, name: string, vars: Vars, line?: number): void {
  groupOf(tree, group).hosts.add(name);
  tree.hostVars.set(name, { ...tree.hostVars.get(name), ...vars });
  if (line !== undefined && !tree.hostLines.has(name)) tree.hostLines.set(name, line);
}

function parentsOf(tree: AnsibleTree): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const name of tree.groups.keys()) parents.set(name, []);
  for (const [name, group] of tree.groups) {
    for (const child of group.children) parents.get(child)?.push(name);
  }
  // Every group without another parent hangs off `all`, as in Ansible.
  for (const [name, list] of parents) if (name !== 'all' && list.length === 0) list.push('all');
  return parents;
}

/** Depth from `all` by the longest path; a cycle is an error, as in Ansible. */
function depths(tree: AnsibleTree, parents: Map<string, string[]>): Map<string, number> | { cycle: string } {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number | null => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return null;
    visiting.add(name);
    let deepest = -1;
    for (const parent of parents.get(name) ?? []) {
      const parentDepth = visit(parent);
      if (parentDepth === null) return null;
      deepest = Math.max(deepest, parentDepth);
    }
    visiting.delete(name);
    depth.set(name, deepest + 1);
    return deepest + 1;
  };
  for (const name of tree.groups.keys()) if (visit(name) === null) return { cycle: name };
  return depth;
}

function ancestors(name: string, parents: Map<string, string[]>, into: Set<string>): void {
  for (const parent of parents.get(name) ?? []) {
    if (into.has(parent)) continue;
    into.add(parent);
    ancestors(parent, parents, into);
  }
}

function priorityOf(group: AnsibleGroup | undefined): number {
  const priority = Number(group?.vars.ansible_group_priority ?? 1);
  return Number.isFinite(priority) ? priority : 1;
}

export function flattenTree(tree: AnsibleTree): Flattening {
  const parents = parentsOf(tree);
  const depth = depths(tree, parents);
  if ('cycle' in depth) {
    return { ok: false, group: depth.cycle, message: 'is its own ancestor (a cycle in children)' };
  }
  const direct = new Map<string, Set<string>>();
  for (const [groupName, group] of tree.groups) {
    for (const host of group.hosts) {
      const set = direct.get(host) ?? new Set<string>();
      if (groupName !== 'all') set.add(groupName);
      direct.set(host, set);
    }
  }
  const hosts = [...tree.hostVars.keys()].map((name): FlatHost => {
    const own = direct.get(name) ?? new Set<string>();
    if (own.size === 0) own.add('ungrouped');
    const all = new Set(own);
    for (const group of own) ancestors(group, parents, all);
    all.add('all');
    // Ansible's order: shallow groups first, then by ansible_group_priority, then by name; later wins.
    const ordered = [...all].sort(
      (a, b) =>
        (depth.get(a) ?? 0) - (depth.get(b) ?? 0) ||
        priorityOf(tree.groups.get(a)) - priorityOf(tree.groups.get(b)) ||
        (a < b ? -1 : a > b ? 1 : 0),
    );
    const layers = [
      ...ordered.map((group) => tree.groups.get(group)?.vars ?? {}),
      tree.hostVars.get(name) ?? {},
    ];
    const line = tree.hostLines.get(name);
    return {
      name,
      groups: [...all].filter((group) => group !== 'all').sort(),
      layers,
      ...(line === undefined ? {} : { line }),
    };
  });
  return { ok: true, hosts };
}
