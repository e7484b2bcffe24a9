import type { AcceptanceSummary, CveDetail, FeedStatus, FindingSummary } from '../bot/core/views-risk.js';
import type { AcceptanceRow } from '../db/acceptances.js';
import type { feedStatus } from '../db/advisories.js';
import type { FindingRecord } from '../db/findings-read.js';

/** Rows from Postgres → the risk view data the core renders. */

export function acceptanceSummary(row: AcceptanceRow, hostNames: string[], today: string): AcceptanceSummary {
  const lapsed = row.status !== 'denied' && row.until < today;
  return {
    id: `accept-${row.id}`,
    cve: row.cve,
    selector: row.selector,
    hosts: hostNames,
    until: row.until,
    reason: row.reason,
    state: lapsed ? 'expired' : row.status,
    requestedBy: row.requestedBy,
    requestedAt: row.createdAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    denyReason: row.denyReason,
  };
}

/** The acceptance that covers a finding: approved before pending; expired and denied ones cover nothing. */
export function coveringAcceptance(
  finding: Pick<FindingRecord, 'hostId' | 'vulnerability'>,
  acceptances: readonly AcceptanceRow[],
  today: string,
): FindingSummary['accepted'] {
  const covering = acceptances
    .filter((a) => a.cve === finding.vulnerability && a.hostIds.includes(finding.hostId) && a.until >= today)
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'approved' ? -1 : 1))[0];
  if (!covering || covering.status === 'denied') return null;
  return {
    id: `accept-${covering.id}`,
    state: covering.status,
    until: covering.until,
    requestedBy: covering.requestedBy,
    reason: covering.reason,
  };
}

export function findingSummary(row: FindingRecord, accepted: FindingSummary['accepted']): FindingSummary {
  return {
    host: row.hostName,
    package: row.package,
    installedVersion: row.installedVersion,
    fixedVersion: row.fixedVersion,
    cves: row.cves,
    advisories: row.advisories,
    priority: row.priority,
    decision: row.decision as FindingSummary['decision'],
    dueDate: row.dueDate,
    firstSeen: row.firstSeenAt.toISOString(),
    reasons: row.reasons,
    summary: row.summary,
    kev: row.scores.kev ?? null,
    epss: row.scores.epss ?? null,
    cvss: { v3: row.scores.cvssV3 ?? null, v4: row.scores.cvssV4 ?? null },
    accepted,
  };
}

export function cveHosts(
  rows: FindingRecord[],
  acceptances: AcceptanceRow[],
  today: string,
): CveDetail['hosts'] {
  return rows.map((row) => ({
    host: row.hostName,
    package: row.package,
    installedVersion: row.installedVersion,
    fixedVersion: row.fixedVersion,
    priority: row.priority,
    dueDate: row.dueDate,
    ssvc: row.ssvc,
    accepted: coveringAcceptance(row, acceptances, today),
  }));
}

export function feedStatuses(feeds: Awaited<ReturnType<typeof feedStatus>>): FeedStatus[] {
  return feeds.map(({ feed, records, lastOk, lastFailure }) => ({
    source: feed,
    kind: feed,
    records,
    lastImportAt: lastOk?.finishedAt.toISOString() ?? null,
    lastChange: lastOk ? { added: lastOk.added, updated: lastOk.updated, removed: lastOk.removed } : null,
    // A failure older than the last success is history, not the feed's state.
    lastError:
      lastFailure && (!lastOk || lastFailure.finishedAt > lastOk.finishedAt) ? lastFailure.error : null,
  }));
}
