/**
 * The matching workload the versioning hot path is sized for: 1,000 hosts × 400 installed packages,
 * each compared with every fixed version of 50,000 advisories for its package (5,000 packages × 10).
 * Versions share long prefixes and differ in the revision, as installed and fixed versions do, which is
 * the slow case for a comparator. Deterministic (seeded), so runs compare.
 */
import type { VersionScheme } from '../../src/engine/versioning/index.js';
import { mulberry32 } from '../../src/seeded-random.js';

export interface MatchWorkload {
  /** advisoryVersions[p] holds the fixed versions of package p's advisories. */
  advisoryVersions: string[][];
  /** installedPackages[i] is the package of installed entry i (host-major order). */
  installedPackages: Uint16Array;
  installedVersions: string[];
}

type Spell = (upstream: string, release: number, random: () => number) => string;

/**
 * Versions reach the matcher flat (parsed from command output, JSON or the database), while template
 * literals build V8 cons strings that every charCodeAt walks again: flatten them the way parsing would.
 */
function asParsed(version: string): string {
  return JSON.parse(JSON.stringify(version)) as string;
}

/** How each scheme spells "upstream version, packaging release n" in the wild. */
const spellings: Record<VersionScheme, Spell> = {
  dpkg: (upstream, release, random) =>
    random() < 0.5
      ? `${upstream}-${1 + (release % 3)}ubuntu0.22.04.${release}`
      : `${random() < 0.1 ? '1:' : ''}${upstream}+dfsg-${1 + (release % 3)}+deb12u${release}`,
  rpm: (upstream, release, random) =>
    `${random() < 0.1 ? '1:' : ''}${upstream}-${10 + (release % 4)}.el9_${release % 5}.${release}`,
  apk: (upstream, release, random) => `${upstream}${random() < 0.2 ? '_p1' : ''}-r${release}`,
};

export function buildMatchWorkload(
  scheme: VersionScheme,
  { hosts = 1000, packagesPerHost = 400, packages = 5000, advisoriesPerPackage = 10, seed = 42 } = {},
): MatchWorkload {
  const random = mulberry32(seed);
  const integer = (below: number) => Math.floor(random() * below);
  const spell = spellings[scheme];
  const upstreams = Array.from({ length: packages }, () => `${integer(5)}.${integer(20)}.${integer(30)}`);

  const advisoryVersions = upstreams.map((upstream) =>
    Array.from({ length: advisoriesPerPackage }, () => asParsed(spell(upstream, integer(12), random))),
  );
  const installedPackages = new Uint16Array(hosts * packagesPerHost);
  const installedVersions: string[] = [];
  for (let entry = 0; entry < installedPackages.length; entry++) {
    const pkg = integer(packages);
    installedPackages[entry] = pkg;
    installedVersions.push(asParsed(spell(upstreams[pkg] ?? '1.0', integer(12), random)));
  }
  return { advisoryVersions, installedPackages, installedVersions };
}

/** Runs the matching loop; returns how many (installed, advisory) pairs were vulnerable and compared. */
export function matchAll(
  workload: MatchWorkload,
  compare: (a: string, b: string) => number,
): { vulnerable: number; comparisons: number } {
  const { advisoryVersions, installedPackages, installedVersions } = workload;
  let vulnerable = 0;
  let comparisons = 0;
  for (let entry = 0; entry < installedVersions.length; entry++) {
    const installed = installedVersions[entry] ?? '';
    const fixedVersions = advisoryVersions[installedPackages[entry] ?? 0] ?? [];
    for (const fixed of fixedVersions) {
      if (compare(installed, fixed) < 0) vulnerable++;
    }
    comparisons += fixedVersions.length;
  }
  return { vulnerable, comparisons };
}
