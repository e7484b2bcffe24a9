import { z } from 'zod';
import {
  addressField,
  bastionField,
  booleanField,
  hostNameField,
  keyFileField,
  nameField,
  portField,
  tagsField,
  userField,
} from './fields.js';
import type { InventoryIssue, InventoryResult } from './issues.js';
import type { InventoryHost } from './types.js';
import { parseYamlText } from './yaml-text.js';
import { type Locate, toInventoryIssues } from './zod-issues.js';

/*
 * Our own inventory format (keys in snake_case):
 *
 *   defaults: { user: root, port: 22, key_file: /srv/keys/id_ed25519, become: false }
 *   hosts:
 *     web-01: { address: 10.0.0.5, groups: [web, prod], tags: { env: prod } }
 *   groups:
 *     prod: { hosts: [db-01], tags: { env: prod } }
 */

const connectionFields = {
  user: userField.optional(),
  port: portField.optional(),
  key_file: keyFileField.optional(),
  become: booleanField.optional(),
  bastion: bastionField.optional(),
  zone: nameField.optional(),
};

const hostSchema = z.strictObject({
  address: addressField.optional(),
  ...connectionFields,
  groups: z.array(nameField).optional(),
  tags: tagsField.optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
});

const groupSchema = z.strictObject({
  hosts: z.array(hostNameField).optional(),
  tags: tagsField.optional(),
});

const fileSchema = z.strictObject({
  defaults: z.strictObject(connectionFields).nullish(),
  hosts: z.record(hostNameField, hostSchema.nullable()),
  groups: z.record(nameField, groupSchema.nullable()).nullish(),
});

type InventoryFile = z.output<typeof fileSchema>;

function locate(lineOf: (path: readonly PropertyKey[]) => number | undefined): Locate {
  return (path) => {
    const [section, name, ...rest] = path.map(String);
    const line = lineOf(path);
    const at = line === undefined ? {} : { line };
    const field = rest.length > 0 ? { field: rest.join('.') } : {};
    if (section === 'hosts' && name !== undefined) return { ...at, host: name, ...field };
    if (section === 'groups' && name !== undefined) return { ...at, group: name, ...field };
    return {
      ...at,
      ...(section === undefined ? {} : { field: [section, name, ...rest].filter(Boolean).join('.') }),
    };
  };
}

function buildHosts(inventory: InventoryFile, file: string): InventoryResult {
  const defaults = inventory.defaults ?? {};
  const groupsOf = new Map<string, Set<string>>();
  const issues: InventoryIssue[] = [];
  for (const [name, host] of Object.entries(inventory.hosts)) groupsOf.set(name, new Set(host?.groups ?? []));
  for (const [group, definition] of Object.entries(inventory.groups ?? {})) {
    for (const member of definition?.hosts ?? []) {
      const groups = groupsOf.get(member);
      if (groups) groups.add(group);
      else issues.push({ file, group, field: 'hosts', message: `lists '${member}', which is not in hosts` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const hosts = Object.entries(inventory.hosts).map(([name, raw]): InventoryHost => {
    const host = { ...defaults, ...raw };
    const groups = [...(groupsOf.get(name) ?? [])].sort();
    // Group tags first so the host's own tags win.
    const groupTags = groups.map((group) => inventory.groups?.[group]?.tags ?? {});
    const result: InventoryHost = {
      name,
      address: host.address ?? name,
      port: host.port ?? 22,
      groups,
      tags: Object.assign({}, ...groupTags, raw?.tags ?? {}),
      vars: raw?.vars ?? {},
    };
    if (host.user !== undefined) result.user = host.user;
    if (host.key_file !== undefined) result.keyFile = host.key_file;
    if (host.become !== undefined) result.become = host.become;
    if (host.bastion !== undefined) result.bastion = host.bastion;
    if (host.zone !== undefined) result.zone = host.zone;
    return result;
  });
  return { ok: true, hosts, warnings: [] };
}

export function parsePatchopsYaml(text: string, file: string): InventoryResult {
  const yaml = parseYamlText(text, file);
  if (!yaml.ok) return yaml;
  const parsed = fileSchema.safeParse(yaml.value, { reportInput: true });
  if (!parsed.success)
    return { ok: false, issues: toInventoryIssues(parsed.error, file, locate(yaml.lineOf)) };
  return buildHosts(parsed.data, file);
}
