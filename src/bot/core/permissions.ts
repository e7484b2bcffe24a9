import { z } from 'zod';
import { type CommandError, commandError } from './command-error.js';
import type { Command, CommandName } from './grammar/commands.js';

export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who typed the command, as the adapter knows them. */
export interface Actor {
  /** Platform-unique, stable id (Slack U…, Discord snowflake, `console:$USER`). */
  id: string;
  /** A unique handle (Slack username, Discord username), not a free-form display name. */
  name: string;
  /** Platform groups the actor belongs to (Slack user groups, Discord roles), by handle. */
  groups: string[];
}

/**
 * Roles per user (matched by id or handle), per group, and for everyone else. Absent altogether means
 * nothing is configured: single-user local mode, where the one user is admin.
 */
export const permissionConfigSchema = z.object({
  users: z.record(z.string().min(1), z.array(z.enum(ROLES))).default({}),
  groups: z.record(z.string().min(1), z.array(z.enum(ROLES))).default({}),
  defaultRoles: z.array(z.enum(ROLES)).default([]),
});

export type PermissionConfig = z.output<typeof permissionConfigSchema>;

/** What a command does, which is what a role is allowed or not. */
type Capability = 'view' | 'operate' | 'approve';

/** Every command needs an entry: adding a command without deciding who may run it does not compile. */
const requiredCapability: Record<CommandName, Capability> = {
  help: 'view',
  hosts: 'view',
  status: 'view',
  findings: 'view',
  cve: 'view',
  advisories: 'view',
  scan: 'operate',
  // Asking to live with a risk is operating work; deciding on it is an approver's.
  accept: 'operate',
  approve: 'approve',
  deny: 'approve',
  plan: 'operate',
  pause: 'operate',
  resume: 'operate',
  abort: 'operate',
  rollback: 'operate',
  // Running outside the agreed window is a decision, not operating work.
  override: 'approve',
};

/** Approvers approve; they do not start work, so approving never needs operator rights as well. */
const capabilities: Record<Role, readonly Capability[]> = {
  viewer: ['view'],
  operator: ['view', 'operate'],
  approver: ['view', 'approve'],
  admin: ['view', 'operate', 'approve'],
};

export function rolesOf(actor: Actor, config: PermissionConfig): Set<Role> {
  const roles = new Set<Role>(config.defaultRoles);
  const grant = (list: readonly Role[] | undefined) => {
    for (const role of list ?? []) roles.add(role);
  };
  // Own-property lookups only: a user called "constructor" must not pick up Object.prototype.
  if (Object.hasOwn(config.users, actor.id)) grant(config.users[actor.id]);
  if (Object.hasOwn(config.users, actor.name)) grant(config.users[actor.name]);
  for (const group of actor.groups) if (Object.hasOwn(config.groups, group)) grant(config.groups[group]);
  return roles;
}

function rolesWith(capability: Capability): Role[] {
  return ROLES.filter((role) => capabilities[role].includes(capability));
}

function joinWords(words: readonly string[], conjunction: 'or' | 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

export type Authorization = { ok: true } | { ok: false; error: CommandError };

export function authorize(
  actor: Actor,
  command: Command,
  config: PermissionConfig | undefined,
): Authorization {
  if (config === undefined) return { ok: true };
  const needed = requiredCapability[command.name];
  const held = rolesOf(actor, config);
  if ([...held].some((role) => capabilities[role].includes(needed))) return { ok: true };
  const roles = rolesWith(needed);
  const have = held.size === 0 ? 'you have no role' : `you have ${joinWords([...held], 'and')}`;
  return {
    ok: false,
    error: commandError(
      'forbidden',
      `${command.name} needs the ${joinWords(roles, 'or')} role; ${have}`,
      `ask an admin to grant you ${roles[0]}`,
    ),
  };
}
