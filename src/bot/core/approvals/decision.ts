import type { PlanStatus } from '../../../engine/rollouts/types.js';
import { type CommandError, commandError } from '../command-error.js';
import type { Actor } from '../permissions.js';
import type { ApprovalRule } from './rule.js';

export type PlanDecisionKind = 'approve' | 'deny';

export interface PlanDecisionRecord {
  /** The name (or id) recorded for whoever decided. */
  actor: string;
  decision: PlanDecisionKind;
  reason: string | null;
  at: Date;
}

export interface PlanDecisionInput {
  plan: {
    id: string;
    requestedBy: string;
    status: PlanStatus;
    expiresAt: Date;
    decisions: readonly PlanDecisionRecord[];
    rolloutId: string | null;
  };
  actor: Actor;
  decision: PlanDecisionKind;
  now: Date;
  rule: ApprovalRule;
}

/**
 * `recorded`: an approval that still leaves the plan short of `required`; `approved`: this one completes
 * it; `denied`: the plan is denied (or withdrawn, when its requester denies it).
 */
export type PlanDecisionOutcome = 'recorded' | 'approved' | 'denied';

export type PlanDecisionResult =
  | { ok: true; outcome: PlanDecisionOutcome }
  | { ok: false; error: CommandError; changed: false };

/** `2026-11-21 14:05 UTC`: the same for everyone in the channel. */
export function utcMinute(date: Date): string {
  return Number.isNaN(date.getTime())
    ? 'an unknown time'
    : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function isActor(name: string, actor: Actor): boolean {
  return name === actor.id || name === actor.name;
}

/** Distinct approvers so far, in the order they approved. */
export function approversOf(decisions: readonly { actor: string; decision: PlanDecisionKind }[]): string[] {
  return [...new Set(decisions.filter((d) => d.decision === 'approve').map((d) => d.actor))];
}

function refuse(error: CommandError): PlanDecisionResult {
  return { ok: false, error, changed: false };
}

/** "plan-3 touches prod and staging: " or "plan-3 ", to start a refusal with. */
function subject(id: string, rule: ApprovalRule): string {
  const names = rule.environments;
  if (names.length === 0) return `${id} `;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${id} touches ${list}: it `;
}

function deniedText(input: PlanDecisionInput): string {
  const { plan } = input;
  const deny = plan.decisions.findLast((d) => d.decision === 'deny');
  if (!deny) return `${plan.id} was denied`;
  const verb = deny.actor === plan.requestedBy ? 'withdrawn' : 'denied';
  const reason = deny.reason ? `: ${deny.reason}` : '';
  return `${plan.id} was ${verb} by ${deny.actor} at ${utcMinute(deny.at)}${reason}`;
}

/**
 * The rules of approving and denying a plan, checked on the server on every click and typed command
 * (the approve role was checked before). A refusal changes nothing, so a double click or a retried
 * request is harmless.
 */
export function checkPlanDecision(input: PlanDecisionInput): PlanDecisionResult {
  const { plan, actor, decision, now, rule } = input;
  const id = plan.id;
  if (plan.status === 'denied') return refuse(commandError('invalid_value', deniedText(input)));
  if (plan.status === 'approved') {
    const rollout = plan.rolloutId === null ? '' : ` (${plan.rolloutId})`;
    return refuse(commandError('invalid_value', `${id} is already approved${rollout}`));
  }
  if (plan.status === 'expired' || (plan.status === 'pending' && now.getTime() >= plan.expiresAt.getTime())) {
    return refuse(
      commandError('invalid_value', `${id} expired at ${utcMinute(plan.expiresAt)}: make a new plan`),
    );
  }
  if (plan.status === 'cancelled') {
    return refuse(commandError('invalid_value', `${id} was cancelled: make a new plan`));
  }

  const requester = isActor(plan.requestedBy, actor);
  if (decision === 'approve' && requester) {
    return refuse(commandError('forbidden', `${id} was requested by you: another approver must approve it`));
  }
  // The requester may deny their own plan whoever may approve it: that withdraws it.
  if (!requester && !rule.isEligible(actor)) {
    const message =
      decision === 'approve'
        ? `${subject(id, rule)}needs an approval from ${rule.describe}`
        : `${subject(id, rule)}can be denied only by ${rule.describe} or its requester`;
    return refuse(commandError('forbidden', message));
  }
  if (decision === 'deny') return { ok: true, outcome: 'denied' };

  const approvers = approversOf(plan.decisions);
  if (approvers.some((name) => isActor(name, actor))) {
    return refuse(
      commandError(
        'invalid_value',
        `you already approved ${id} (${approvers.length} of ${rule.required} approvals)`,
      ),
    );
  }
  return { ok: true, outcome: approvers.length + 1 >= rule.required ? 'approved' : 'recorded' };
}
