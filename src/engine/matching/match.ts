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
  readonly cves: readonly string[];
  readonly advisories: readonly string[];
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

/** A package's matches without the host's binary names: the same for every host with that version. */
type PackageMatch = Omit<Match, 'binaryPackages' | 'cves' | 'advisories'> & {
  cves: string[];
  advisories: string[];
};

/**
 * Matches per (package, version), kept across hosts: a fleet runs the same versions on many hosts, so a
 * refresh of 1,000 hosts works out each distinct version once.
 */
export type VerdictCache = Map<string, readonly PackageMatch[]>;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every vulnerability of one package version, merged over the advisories that name it, sorted. */
function packageMatches(
  scheme: VersionScheme,
  name: string,
  version: string,
  index: AdvisoryIndex,
  compare: Compare,
) {
  const byVulnerability = new Map<string, PackageMatch>();
  for (const candidate of index.get(name) ?? []) {
    const { affected, fixed } = affectedBy(scheme, version, candidate, compare);
    if (!affected) continue;
    for (const vulnerability of candidate.cves.length > 0 ? candidate.cves : [candidate.advisoryId]) {
      const match = byVulnerability.get(vulnerability);
      if (!match) {
        byVulnerability.set(vulnerability, {
          package: name,
          installedVersion: version,
          vulnerability,
          cves: vulnerability.startsWith('CVE-') ? [vulnerability] : [],
          advisories: [candidate.advisoryId],
          fixedVersion: fixed,
        });
        continue;
      }
      if (!match.advisories.includes(candidate.advisoryId)) match.advisories.push(candidate.advisoryId);
      // The highest known fix closes every advisory that has one; an advisory without a fix (a tracker
      // record lagging behind) must not hide another's.
      if (fixed !== null && (match.fixedVersion === null || compare(scheme, fixed, match.fixedVersion) > 0)) {
        match.fixedVersion = fixed;
      }
    }
  }
  return [...byVulnerability.values()].sort((a, b) => byText(a.vulnerability, b.vulnerability));
}

/** Every vulnerability of the host's packages that the index knows, one Match per (package, vulnerability). */
export function matchHost(
  ecosystem: HostEcosystem,
  installed: readonly InstalledPackage[],
  index: AdvisoryIndex,
  compare: Compare,
  cache?: VerdictCache,
): Match[] {
  const packages = [...packagesByAdvisoryName(ecosystem, installed, compare)].sort(([a], [b]) =>
    byText(a, b),
  );
  const matches: Match[] = [];
  for (const [name, pkg] of packages) {
    const key = `${name}\u0000${pkg.version}`;
    let found = cache?.get(key);
    if (!found) {
      found = packageMatches(ecosystem.scheme, name, pkg.version, index, compare);
      cache?.set(key, found);
    }
    if (found.length === 0) continue;
    const binaryPackages = [...pkg.binaries].sort();
    // The cves and advisories lists are shared between hosts (read-only in Match): only the object is new.
    for (const match of found) matches.push({ ...match, binaryPackages });
  }
  return matches;
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
