import type { VersionScheme } from '../package-managers/types.js';

/**
 * An advisory as patchops keeps it, whatever feed it came from. OSV's model (affected packages with
 * ranges of introduced/fixed/last_affected events, in the distribution's own version ordering) is general
 * enough for every distribution feed, so it is the shape used here.
 */
export interface NormalizedAdvisory {
  /** OSV id: DSA-5000-1, USN-6859-1, ALSA-2024:4312, DEBIAN-CVE-2024-3094, ALPINE-CVE-... */
  id: string;
  /** Other ids of the same problem, CVEs first. */
  aliases: string[];
  /** CVE ids among id/aliases/upstream (deduplicated). */
  cves: string[];
  summary: string;
  published: Date | null;
  modified: Date;
  withdrawn: Date | null;
  severity: AdvisorySeverity;
  affected: AffectedPackage[];
  /** Which feed it came from, e.g. "osv". */
  source: string;
}

export interface AdvisorySeverity {
  /** CVSS vectors as published ("CVSS:3.1/AV:N/..."), scores computed by the prioritizer. */
  cvssV3?: string;
  cvssV4?: string;
  /** The distribution's own rating when it gives one ("high", "Important", "medium**"). */
  distribution?: string;
}

export interface AffectedPackage {
  /** OSV ecosystem as published: "Debian:12", "Ubuntu:22.04:LTS", "AlmaLinux:9", "Alpine:v3.20". */
  ecosystem: string;
  /** Name in that ecosystem: source package for Debian/Ubuntu, binary package for RPM distributions. */
  package: string;
  ranges: AffectedRange[];
  /** Explicitly listed affected versions (OSV `versions`), when given. */
  versions: string[];
  /**
   * The distribution's rating for this package in this release, when the feed gives one per package
   * (Debian `urgency`, legacy Ubuntu `ubuntu_priority`): one CVE can be "low" in Debian 12 and "high" in 11.
   */
  distributionSeverity?: string;
}

/** One ECOSYSTEM range: ordered events. A range with only `introduced` means "no fix yet". */
export interface AffectedRange {
  introduced: string; // "0" = from the first version
  fixed?: string;
  lastAffected?: string;
}

export interface KevEntry {
  cve: string;
  vendor: string;
  product: string;
  name: string;
  dateAdded: string; // YYYY-MM-DD
  dueDate: string; // YYYY-MM-DD
  knownRansomware: boolean;
  requiredAction: string;
}

export interface EpssScore {
  cve: string;
  probability: number; // 0..1
  percentile: number; // 0..1
}

/** Ecosystem of a scanned host, and the version scheme its package names and versions follow. */
export interface HostEcosystem {
  ecosystem: string;
  scheme: VersionScheme;
  /**
   * Debian, Ubuntu and Alpine advisories name source packages (Alpine: the apk `origin`); RPM ones
   * (AlmaLinux, Rocky, SUSE) binary packages.
   */
  matchOn: 'source' | 'binary';
}
