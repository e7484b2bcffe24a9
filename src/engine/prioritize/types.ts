import type { EpssScore, KevEntry } from '../advisories/types.js';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** CISA's SSVC outcomes, least to most urgent (the order decisions are compared in). */
export const DECISIONS = ['track', 'track*', 'attend', 'act'] as const;
export type Decision = (typeof DECISIONS)[number];

export type Exploitation = 'none' | 'public poc' | 'active';
export type Automatable = 'no' | 'yes';
export type TechnicalImpact = 'partial' | 'total';
export type MissionWellBeing = 'low' | 'medium' | 'high';

export const EXPOSURES = ['internet', 'internal', 'isolated'] as const;
export type Exposure = (typeof EXPOSURES)[number];
export const CRITICALITIES = ['high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** What is known about one vulnerability on one host; every field but the host's tags may be missing. */
export interface FindingRiskInput {
  kev?: Pick<KevEntry, 'dateAdded' | 'dueDate' | 'knownRansomware'> | null;
  epss?: Pick<EpssScore, 'probability' | 'percentile'> | null;
  /** Vectors as published: "CVSS:3.1/AV:N/…" (3.0 is read too) and "CVSS:4.0/AV:N/…". */
  cvssV3?: string | null;
  cvssV4?: string | null;
  /** The distribution's own rating as published ("high", "Important", "medium**"). */
  distributionSeverity?: string | null;
  hostTags: Readonly<Record<string, string>>;
  /** False when the advisory names no fixed version for this host's release yet. */
  fixAvailable: boolean;
}

export type ReasonCode =
  | 'kev'
  | 'kev-ransomware'
  | 'exploit-reported'
  | 'epss-high'
  | 'exploit-poc'
  | 'epss'
  | 'cvss'
  | 'cvss-invalid'
  | 'cvss-missing'
  | 'distro-severity'
  | 'automatable'
  | 'total-impact'
  | 'exposure'
  | 'exposure-untagged'
  | 'criticality'
  | 'criticality-untagged'
  | 'no-fix'
  | 'kev-floor'
  | 'ransomware-priority'
  | 'due-capped-by-kev';

/**
 * One thing that made a finding more or less urgent. `weight` orders reasons for the summary: the facts
 * that decided the priority come first, adjustments and context last.
 */
export interface Reason {
  code: ReasonCode;
  text: string;
  weight: number;
}

/** The SSVC decision point values used, and where the two host-side ones came from. */
export interface SsvcPath {
  exploitation: Exploitation;
  automatable: Automatable;
  technicalImpact: TechnicalImpact;
  missionWellBeing: MissionWellBeing;
  exposure: Exposure;
  criticality: Criticality;
  decision: Decision;
}

export interface CvssScore {
  score: number;
  vector: string;
  /** none, low, medium, high, critical: the standard bands of the score. */
  severity: CvssSeverity;
}

export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface PrioritizationScores {
  cvssV3?: CvssScore;
  cvssV4?: CvssScore;
  epss?: { probability: number; percentile: number };
  kev?: { dateAdded: string; dueDate: string; knownRansomware: boolean };
}

export interface PrioritizeResult {
  priority: Priority;
  decision: Decision;
  /** YYYY-MM-DD, a UTC calendar day. */
  dueDate: string;
  /** Heaviest first. */
  reasons: Reason[];
  /** The heaviest reasons on one line: "KEV since 2024-05-02 (ransomware), EPSS 0.94 (99th pct), …". */
  summary: string;
  ssvc: SsvcPath;
  scores: PrioritizationScores;
}
