import type { AffectedRange, HostEcosystem } from '../advisories/types.js';
import type { InstalledPackage, VersionScheme } from '../package-managers/types.js';

export type Compare = (scheme: VersionScheme, a: string, b: string) => -1 | 0 | 1;

/** What one advisory says about one package of the host's ecosystem. */
export interface AdvisoryCandidate {
  advisoryId: string;
  cves: string[];
  ranges: AffectedRange[];
  versions: string[];
}

/** Candidates by package name, for one ecosystem. */
export type AdvisoryIndex = ReadonlyMap<string, readonly AdvisoryCandidate[]>;

export interface Match {
  package: string;
  binaryPackages: string[];
  installedVersion: string;
  /** A CVE, or the advisory id when the advisory names no CVE. */
  vulnerability: string;
  cves: string[];
  advisories: string[];
  /** The version that fixes it for every advisory that matched and knows a fix; null: no fix yet. */
  fixedVersion: string | null;
}

interface Verdict {
  affected: boolean;
  fixed: string | null;
}

/** OSV ECOSYSTEM semantics: introduced ≤ v < fixed, or introduced ≤ v ≤ last_affected, or listed. */
export function affectedBy(
  scheme: VersionScheme,
  version: string,
  candidate: AdvisoryCandidate,
  compare: Compare,
): Verdict {
  for (const range of candidate.ranges) {
    const introduced = range.introduced === '0' || compare(scheme, version, range.introduced) >= 0;
    if (!introduced) continue;
    if (range.fixed !== undefined) {
      if (compare(scheme, version, range.fixed) < 0) return { affected: true, fixed: range.fixed };
    } else if (range.lastAffected !== undefined) {
      if (compare(scheme, version, range.lastAffected) <= 0) return { affected: true, fixed: null };
    } else {
      return { affected: true, fixed: null };
    }
  }
  return { affected: candidate.versions.includes(version), fixed: null };
}

/** The installed packages as the ecosystem's advisories name them (source packages on Debian/Ubuntu). */
function packagesByAdvisoryName(
  ecosystem: HostEcosystem,
  installed: readonly InstalledPackage[],
  compare: Compare,
) {
  const byName = new Map<string, { version: string; binaries: string[] }>();
  for (const pkg of installed) {
    const name = ecosystem.matchOn === 'source' ? pkg.sourceName : pkg.name;
    const version = ecosystem.matchOn === 'source' ? pkg.sourceVersion : pkg.version;
    const seen = byName.get(name);
    if (!seen) byName.set(name, { version, binaries: [pkg.name] });
    else {
      if (!seen.binaries.includes(pkg.name)) seen.binaries.push(pkg.name);
      // Two versions of one package (multi-arch skew, rpm kernels): the older one is the exposed one.
      if (compare(ecosystem.scheme, version, seen.version) < 0) seen.version = version;
    }
  }
  return byName;
}

/** Every vulnerability of the host's packages that the index knows, one Match per (package, vulnerability). */
export function matchHost(
  ecosystem: HostEcosystem,
  installed: readonly InstalledPackage[],
  index: AdvisoryIndex,
  compare: Compare,
): Match[] {
  const matches = new Map<string, Match>();
  for (const [name, pkg] of packagesByAdvisoryName(ecosystem, installed, compare)) {
    for (const candidate of index.get(name) ?? []) {
      const verdict = affectedBy(ecosystem.scheme, pkg.version, candidate, compare);
      if (!verdict.affected) continue;
      const vulnerabilities = candidate.cves.length > 0 ? candidate.cves : [candidate.advisoryId];
      for (const vulnerability of vulnerabilities) {
        const key = `${name}\u0000${vulnerability}`;
        const match = matches.get(key);
        if (!match) {
          matches.set(key, {
            package: name,
            binaryPackages: [...pkg.binaries].sort(),
            installedVersion: pkg.version,
            vulnerability,
            cves: vulnerability.startsWith('CVE-') ? [vulnerability] : [],
            advisories: [candidate.advisoryId],
            fixedVersion: verdict.fixed,
          });
          continue;
        }
        if (!match.advisories.includes(candidate.advisoryId)) match.advisories.push(candidate.advisoryId);
        // The highest known fix closes every advisory that has one; an advisory without a fix (a tracker
        // record lagging behind) must not hide another's.
        const fixed = verdict.fixed;
        if (
          fixed !== null &&
          (match.fixedVersion === null || compare(ecosystem.scheme, fixed, match.fixedVersion) > 0)
        ) {
          match.fixedVersion = fixed;
        }
      }
    }
  }
  return [...matches.values()].sort(
    (a, b) => a.package.localeCompare(b.package) || a.vulnerability.localeCompare(b.vulnerability),
  );
}

/** Build the per-ecosystem index from rows, as loaded from the database or straight from a feed. */
export function buildIndex(
  rows: Iterable<{ package: string } & AdvisoryCandidate>,
): Map<string, AdvisoryCandidate[]> {
  const index = new Map<string, AdvisoryCandidate[]>();
  for (const { package: name, ...candidate } of rows) {
    const list = index.get(name);
    if (list) list.push(candidate);
    else index.set(name, [candidate]);
  }
  return index;
}
