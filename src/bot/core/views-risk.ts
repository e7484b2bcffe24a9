import type {
  CvssScore,
  Decision,
  PrioritizationScores,
  Priority,
  Reason,
  SsvcPath,
} from '../../engine/prioritize/types.js';

/*
 * View data for findings, CVEs, advisory feeds and risk acceptances. Field names are part of the `--json`
 * output: scripts read them, so they change only on purpose.
 */

export type AcceptanceState = 'pending' | 'approved' | 'denied' | 'expired';

/** A request to live with a CVE on some hosts until a date, and what became of it. */
export interface AcceptanceSummary {
  /** accept-12 */
  id: string;
  cve: string;
  selector: string;
  /** The hosts the selector matched when the acceptance was requested. */
  hosts: string[];
  /** Last day the acceptance holds (YYYY-MM-DD, UTC). */
  until: string;
  reason: string;
  state: AcceptanceState;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Why an approver denied it. */
  denyReason: string | null;
}

/** The acceptance covering a finding, as much of it as a findings row needs. */
export type FindingAcceptance = Pick<AcceptanceSummary, 'id' | 'state' | 'until' | 'requestedBy' | 'reason'>;

/** One vulnerable package on one host, with its priority and why. */
export interface FindingSummary {
  host: string;
  package: string;
  installedVersion: string;
  /** The version that fixes every CVE listed; null while there is no fix. */
  fixedVersion: string | null;
  cves: string[];
  /** Advisory ids: DSA-5000-1, USN-6859-1, ALSA-2024:4312. */
  advisories: string[];
  priority: Priority;
  decision: Decision;
  /** YYYY-MM-DD (UTC). */
  dueDate: string;
  /** When patchops first saw this finding: YYYY-MM-DD or an ISO timestamp. */
  firstSeen: string;
  /** Heaviest first, as prioritize() gives them (the weight need not be stored). */
  reasons: Pick<Reason, 'code' | 'text'>[];
  /** The one-line summary of the reasons. */
  summary: string;
  kev: { dateAdded: string; dueDate: string; knownRansomware: boolean } | null;
  epss: { probability: number; percentile: number } | null;
  cvss: { v3: CvssScore | null; v4: CvssScore | null };
  accepted: FindingAcceptance | null;
}

/** Counts over everything that matched, not only the findings in the view. */
export interface FindingsTotals {
  findings: number;
  byPriority: Record<Priority, number>;
  kev: number;
  overdue: number;
  accepted: number;
  /** The day the counts and "overdue" refer to (YYYY-MM-DD, UTC). */
  asOf: string;
}

/** The filters typed with the findings command, echoed in the view. */
export interface FindingsFilters {
  priority?: Priority[];
  kev?: boolean;
  cve?: string;
  limit?: number;
}

/** One host a CVE affects. */
export interface CveHostFinding {
  host: string;
  package: string;
  installedVersion: string;
  fixedVersion: string | null;
  priority: Priority;
  dueDate: string;
  ssvc: SsvcPath;
  accepted: FindingAcceptance | null;
}

export interface CveDetail {
  id: string;
  /** The advisory text, when one is known. */
  description: string | null;
  advisories: { id: string; source: string }[];
  /** Fixed version per distribution package; `fixed: null` while that release has no fix. */
  fixedVersions: { ecosystem: string; package: string; fixed: string | null }[];
  scores: PrioritizationScores;
  hosts: CveHostFinding[];
  /** The day due dates are counted against (YYYY-MM-DD, UTC). */
  asOf: string;
}

export type FeedKind = 'osv' | 'kev' | 'epss';

export interface FeedStatus {
  /** What the operator recognises: "osv:Debian:12", "kev", "epss". */
  source: string;
  kind: FeedKind;
  records: number;
  lastImportAt: string | null;
  lastChange: { added: number; updated: number; removed: number } | null;
  lastError: string | null;
}

/** A feed as the advisories view reports it: with its age and whether it is stale. */
export interface FeedFreshness extends FeedStatus {
  ageHours: number | null;
  stale: boolean;
}
