import type { Actor } from '../permissions.js';
import type { ApprovalPolicy, ApprovalsConfig } from './config.js';

/** Who must approve a plan, how many of them, and how long the plan waits. */
export interface ApprovalRule {
  /** Distinct approvers needed. */
  required: number;
  expiresAfterSeconds: number;
  /** The environments the plan touches, by name, sorted (hosts without the tag are not named). */
  environments: string[];
  /** Eligible for every environment the plan touches; the approve role is checked before. */
  isEligible(actor: Actor): boolean;
  /** "group sre-leads or user alice", or "any approver". */
  describe: string;
}

export const ANY_APPROVER = 'any approver';

/**
 * The environment of each host, read from the configured tag; null for a host without it. Pass the result
 * to `approvalRule`.
 */
export function environmentsOf(
  hosts: readonly { tags: Readonly<Record<string, string>> }[],
  config: Pick<ApprovalsConfig, 'environmentTag'>,
): (string | null)[] {
  return hosts.map((host) =>
    Object.hasOwn(host.tags, config.environmentTag) ? (host.tags[config.environmentTag] ?? null) : null,
  );
}

function joinWords(words: readonly string[], conjunction: 'or' | 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

/** Users or groups that may approve one environment; a Set, so prototype keys never match. */
interface Restriction {
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  text: string;
  /** Where it applies: environment names, or a phrase for hosts without the tag. */
  labels: string[];
}

function restrictionText(policy: ApprovalPolicy): string {
  const groups = [...policy.groups].sort().map((g) => `group ${g}`);
  const users = [...policy.users].sort().map((u) => `user ${u}`);
  return joinWords([...groups, ...users], 'or');
}

function matches(restriction: Restriction, actor: Actor): boolean {
  return (
    restriction.users.has(actor.id) ||
    restriction.users.has(actor.name) ||
    actor.groups.some((group) => restriction.groups.has(group))
  );
}

/**
 * The rule for a plan whose hosts are in `environments` (tag values; null or '' for a host without the
 * tag, which uses `default`, as does an environment with no entry). Several environments give the
 * strictest rule: the most approvals, the shortest expiry, and approvers eligible for every one of them.
 */
export function approvalRule(
  config: ApprovalsConfig,
  environments: readonly (string | null)[],
): ApprovalRule {
  const named = [...new Set(environments.filter((e): e is string => e !== null && e !== ''))].sort();
  const applied: { label: string; policy: ApprovalPolicy }[] = [];
  for (const name of named)
    applied.push({ label: name, policy: config.environments.get(name) ?? config.default });
  const untagged = environments.some((e) => e === null || e === '');
  if (untagged || named.length === 0) {
    const label = untagged ? `hosts without ${config.environmentTag}` : 'default';
    applied.push({ label, policy: config.default });
  }

  const restrictions = new Map<string, Restriction>();
  for (const { label, policy } of applied) {
    if (policy.users.length === 0 && policy.groups.length === 0) continue;
    const text = restrictionText(policy);
    const known = restrictions.get(text);
    if (known) known.labels.push(label);
    else
      restrictions.set(text, {
        users: new Set(policy.users),
        groups: new Set(policy.groups),
        text,
        labels: [label],
      });
  }
  const list = [...restrictions.values()];
  const describe =
    list.length === 0
      ? ANY_APPROVER
      : list.length === 1
        ? (list[0]?.text ?? ANY_APPROVER)
        : list.map((r) => `${r.text} (${r.labels.join(', ')})`).join(' and also ');

  return {
    required: Math.max(...applied.map((a) => a.policy.required)),
    expiresAfterSeconds: Math.min(...applied.map((a) => a.policy.expiresAfterSeconds)),
    environments: named,
    isEligible: (actor) => list.every((restriction) => matches(restriction, actor)),
    describe,
  };
}
