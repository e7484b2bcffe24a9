import { z } from 'zod';
import type { FlatHost, Vars } from './ansible-tree.js';
import {
  addressField,
  bastionField,
  booleanField,
  keyFileField,
  nameField,
  portField,
  tagsField,
  userField,
} from './fields.js';
import type { InventoryIssue } from './issues.js';
import { parseTagLiteral } from './tag-literal.js';
import type { InventoryHost } from './types.js';

/** Connection variables we understand; each is validated under its own name so errors point at it. */
const connectionVars = z.looseObject({
  ansible_host: addressField.optional(),
  ansible_ssh_host: addressField.optional(),
  ansible_port: portField.optional(),
  ansible_ssh_port: portField.optional(),
  ansible_user: userField.optional(),
  ansible_ssh_user: userField.optional(),
  ansible_ssh_private_key_file: keyFileField.optional(),
  ansible_private_key_file: keyFileField.optional(),
  ansible_become: booleanField.optional(),
  ansible_connection: z.string().optional(),
  ansible_ssh_common_args: z.string().optional(),
  ansible_ssh_extra_args: z.string().optional(),
  patchops_bastion: bastionField.optional(),
  patchops_zone: nameField.optional(),
});

/** Never kept: patchops does not log in with passwords, and vars may end up displayed or stored. */
const SECRET_VARS = [
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_become_pass',
  'ansible_become_password',
  'ansible_sudo_pass',
];

const CONSUMED_VARS = new Set([
  ...Object.keys(connectionVars.shape),
  'patchops_tags',
  'ansible_group_priority',
  ...SECRET_VARS,
]);

const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

/** A warning that many hosts can share, so a big inventory yields one line per cause. */
export interface HostWarning {
  host: string;
  message: string;
}

export interface MappedHost {
  host?: InventoryHost;
  issues: InventoryIssue[];
  warnings: HostWarning[];
}

/** `-o ProxyJump=ops@jump:22` or `-J ops@jump` inside ansible_ssh_common_args / ansible_ssh_extra_args. */
export function proxyJumpFrom(args: string): string | undefined {
  const match = /(?:-o\s*ProxyJump[=\s]\s*|-J\s*)["']?([^\s"']+)/i.exec(args);
  return match?.[1];
}

function tagsFrom(flat: FlatHost, file: string, issues: InventoryIssue[]): Record<string, string> {
  const tags: Record<string, string> = {};
  const at = {
    file,
    host: flat.name,
    field: 'patchops_tags',
    ...(flat.line === undefined ? {} : { line: flat.line }),
  };
  for (const layer of flat.layers) {
    const raw = layer.patchops_tags;
    if (raw === undefined || raw === null) continue;
    let candidate: unknown = raw;
    if (typeof raw === 'string') {
      const literal = parseTagLiteral(raw);
      if (!literal.ok) {
        issues.push({ ...at, message: literal.message });
        continue;
      }
      candidate = literal.tags;
    }
    const parsed = tagsField.safeParse(candidate);
    if (parsed.success) Object.assign(tags, parsed.data);
    else issues.push({ ...at, message: parsed.error.issues[0]?.message ?? 'must be a mapping of tags' });
  }
  return tags;
}

function bastionFrom(
  vars: z.output<typeof connectionVars>,
  warn: (message: string) => void,
): string | undefined {
  if (vars.patchops_bastion !== undefined) return vars.patchops_bastion;
  const args = [vars.ansible_ssh_common_args, vars.ansible_ssh_extra_args].filter(Boolean).join(' ');
  if (/ProxyCommand/i.test(args)) warn('ProxyCommand in ssh args is not supported; set patchops_bastion');
  const jump = proxyJumpFrom(args);
  if (jump === undefined) return undefined;
  if (jump.includes(',')) {
    warn('a ProxyJump chain is not supported; set patchops_bastion to the last jump host');
    return undefined;
  }
  const parsed = bastionField.safeParse(jump);
  if (parsed.success) return parsed.data;
  warn(`ProxyJump '${jump.slice(0, 40)}' is not a host we can use; set patchops_bastion`);
  return undefined;
}

/** Turn a flattened Ansible host (layers already in precedence order) into an InventoryHost. */
export function hostFromAnsibleVars(flat: FlatHost, file: string): MappedHost {
  const merged: Vars = Object.assign({}, ...flat.layers);
  const issues: InventoryIssue[] = [];
  const warnings: HostWarning[] = [];
  const warn = (message: string) => warnings.push({ host: flat.name, message });
  const at = { file, host: flat.name, ...(flat.line === undefined ? {} : { line: flat.line }) };

  const connection = merged.ansible_connection;
  if (typeof connection === 'string' && !SSH_CONNECTIONS.has(connection)) {
    warn(`skipped: ansible_connection=${connection.slice(0, 20)} (patchops reaches hosts over SSH)`);
    return { issues, warnings };
  }
  for (const secret of SECRET_VARS) {
    if (merged[secret] !== undefined)
      warn(`${secret} is ignored and not stored (patchops uses keys or the SSH agent)`);
  }
  const parsed = connectionVars.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ ...at, field: String(issue.path[0] ?? ''), message: issue.message });
    }
    return { issues, warnings };
  }
  const vars = parsed.data;
  const tags = tagsFrom(flat, file, issues);
  const host: InventoryHost = {
    name: flat.name,
    address: vars.ansible_host ?? vars.ansible_ssh_host ?? flat.name,
    port: vars.ansible_port ?? vars.ansible_ssh_port ?? 22,
    groups: flat.groups,
    tags,
    vars: Object.fromEntries(Object.entries(merged).filter(([key]) => !CONSUMED_VARS.has(key))),
  };
  const user = vars.ansible_user ?? vars.ansible_ssh_user;
  const keyFile = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
  const bastion = bastionFrom(vars, warn);
  if (user !== undefined) host.user = user;
  if (keyFile !== undefined) host.keyFile = keyFile;
  if (vars.ansible_become !== undefined) host.become = vars.ansible_become;
  if (bastion !== undefined) host.bastion = bastion;
  if (vars.patchops_zone !== undefined) host.zone = vars.patchops_zone;
  return issues.length > 0 ? { issues, warnings } : { host, issues, warnings };
}
