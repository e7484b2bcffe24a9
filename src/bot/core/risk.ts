import { commandError } from './command-error.js';
import type { Actor } from './permissions.js';
import type { AcceptanceSummary, FindingSummary, FindingsFilters, FindingsTotals } from './views-risk.js';

/** Findings of a selector narrowed by the typed filters, and the counts over all that matched. */
export function selectFindings(
  all: readonly FindingSummary[],
  filters: FindingsFilters,
  asOf: string,
): { shown: FindingSummary[]; totals: FindingsTotals } {
  const matched = all.filter(
    (f) =>
      (!filters.priority || filters.priority.includes(f.priority)) &&
      (!filters.kev || f.kev !== null) &&
      (!filters.cve || f.cves.includes(filters.cve)),
  );
  const byPriority = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const f of matched) byPriority[f.priority]++;
  const totals: FindingsTotals = {
    findings: matched.length,
    byPriority,
    kev: matched.filter((f) => f.kev !== null).length,
    overdue: matched.filter((f) => f.dueDate < asOf && f.accepted?.state !== 'approved').length,
    accepted: matched.filter((f) => f.accepted?.state === 'approved').length,
    asOf,
  };
  return { shown: filters.limit ? matched.slice(0, filters.limit) : matched, totals };
}

export type AcceptanceRuleError = ReturnType<typeof commandError>;

/** The rules of the approval step, checked on the server whatever button was clicked. */
export function checkAcceptanceDecision(
  acceptance: AcceptanceSummary,
  actor: Actor,
): AcceptanceRuleError | undefined {
  if (acceptance.requestedBy === actor.name) {
    return commandError(
      'forbidden',
      `${acceptance.id} was requested by you: another approver must decide it`,
    );
  }
  switch (acceptance.state) {
    case 'pending':
      return undefined;
    case 'expired':
      return commandError(
        'invalid_value',
        `${acceptance.id} expired on ${acceptance.until}: request a new acceptance`,
      );
    default:
      return commandError(
        'invalid_value',
        `${acceptance.id} was already ${acceptance.state} by ${acceptance.decidedBy} at ${acceptance.decidedAt?.slice(0, 16).replace('T', ' ')}`,
      );
  }
}

/** An acceptance must end in the future, and not too far in it. */
export function checkAcceptanceUntil(
  until: string,
  today: string,
  maxDays: number,
): AcceptanceRuleError | undefined {
  if (until <= today)
    return commandError('invalid_value', `--until ${until} is not in the future (today is ${today})`);
  const days = (Date.parse(until) - Date.parse(today)) / 86_400_000;
  if (days > maxDays) {
    return commandError(
      'invalid_value',
      `--until ${until} is ${days} days away; acceptances last at most ${maxDays} days`,
    );
  }
  return undefined;
}
