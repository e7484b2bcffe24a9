/**
 * npm run bench:advisories — prints, in one run:
 *  1. import of 50,000 generated OSV records (Debian 12, from a zip) into Postgres by `patchops advisories
 *     import`: wall time and peak RSS of that process, and a second, unchanged re-import;
 *  2. matching 1,000 hosts × 400 packages against them: in memory (match, then match + prioritize), and the
 *     whole database path (`refreshAllFindings`: load, match, prioritize, write findings).
 * Goals (issue 3): import < 60 s and < 500 MB; matching < 5 s.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { syncInventory } from '../src/db/hosts.js';
import { hosts, installedPackages } from '../src/db/schema/index.js';
import { readFeed } from '../src/engine/advisories/feeds/index.js';
import { writeGeneratedOsvZip } from '../src/engine/advisories/feeds/osv/generate.js';
import type { NormalizedAdvisory } from '../src/engine/advisories/types.js';
import { refreshAllFindings } from '../src/engine/findings/refresh-all.js';
import { buildIndex, matchHost, type VerdictCache } from '../src/engine/matching/match.js';
import type { InstalledPackage } from '../src/engine/package-managers/types.js';
import { DEFAULT_POLICY, prioritize } from '../src/engine/prioritize/index.js';
import { compareVersions } from '../src/engine/versioning/index.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { cliPath, fmt, timed } from './support.js';

const records = Number(process.env.BENCH_RECORDS ?? 50_000);
/** Source packages the records spread over: about 10 records each, as in Debian's own data. */
const universe = Number(process.env.BENCH_PACKAGES ?? 5000);
const hostCount = Number(process.env.BENCH_HOSTS ?? 1000);
const packagesPerHost = 400;
/** The database path writes every finding: a subset of the fleet keeps the run short. */
const dbHostCount = Number(process.env.BENCH_DB_HOSTS ?? 20);
const work = mkdtempSync(join(tmpdir(), 'patchops-bench-advisories-'));
const debian12 = { ecosystem: 'Debian:12', scheme: 'dpkg', matchOn: 'source' } as const;

/**
 * Hosts like a real fleet: ten roles, each with its own 300 packages that have advisories (plus 100 that
 * never do), each host at one of three patch levels.
 */
function fleet(advisoryPackages: Map<string, string>): InstalledPackage[][] {
  const known = [...advisoryPackages].map(([name, fixed]) => ({ name, fixed }));
  const withAdvisories = Math.min(300, known.length);
  return Array.from({ length: hostCount }, (_, h) => {
    const level = [1, 4, 8][h % 3]!;
    const role = h % 10;
    const vulnerable = Array.from({ length: withAdvisories }, (_, i) => {
      const { name, fixed } = known[(role * withAdvisories + i) % known.length]!;
      const version = fixed.replace(/\+deb12u\d+$/, `+deb12u${level}`);
      return { name: `lib${name}`, version, arch: 'amd64', sourceName: name, sourceVersion: version };
    });
    const filler = Array.from({ length: packagesPerHost - vulnerable.length }, (_, i) => {
      const version = `1.${i % 7}-${(h + i) % 3}`;
      return {
        name: `filler-${i}`,
        version,
        arch: 'amd64',
        sourceName: `filler-src-${i}`,
        sourceVersion: version,
      };
    });
    return [...vulnerable, ...filler];
  });
}

async function importBench(zip: string, url: string): Promise<void> {
  const env = {
    ...process.env,
    DATABASE_URL: url,
    PATCHOPS_QUEUE_PREFIX: `bench-adv-${process.pid}`,
    PATCHOPS_DEMO: '0',
    LOG_LEVEL: 'warn',
  };
  for (const label of ['first import', 're-import (unchanged)']) {
    const run = await timed(process.execPath, [cliPath, 'advisories', 'import', zip], env);
    if (run.code !== 0) throw new Error(`import failed: ${run.stderr}`);
    console.log(
      `${label.padEnd(22)} ${fmt(run.seconds).padStart(6)} s   peak RSS ${fmt(run.maxRssMb, 0).padStart(4)} MB   ${run.stdout.trim()}`,
    );
  }
}

async function matchingBench(zip: string, url: string): Promise<void> {
  const advisories: NormalizedAdvisory[] = [];
  await readFeed(zip, { osv: (batch) => void advisories.push(...batch) });
  const rows = advisories.flatMap((a) =>
    a.affected
      .filter((p) => p.ecosystem === 'Debian:12')
      .map((p) => ({
        package: p.package,
        advisoryId: a.id,
        cves: a.cves,
        ranges: p.ranges,
        versions: p.versions,
      })),
  );
  const index = buildIndex(rows);
  const fixes = new Map<string, string>();
  for (const row of rows)
    for (const r of row.ranges) if (r.fixed?.includes('+deb12u')) fixes.set(row.package, r.fixed);
  const hostsPackages = fleet(fixes);

  // Each host's matches are counted and dropped: the generator puts ~770 advisories on each of its ~65
  // packages, so hosts get thousands of findings each, far more than a real fleet, and keeping them all
  // would measure the heap rather than the matcher.
  let started = performance.now();
  const cache: VerdictCache = new Map();
  let findings = 0;
  const sample: ReturnType<typeof matchHost> = [];
  for (const installed of hostsPackages) {
    const matches = matchHost(debian12, installed, index, compareVersions, cache);
    findings += matches.length;
    if (sample.length < 200_000) sample.push(...matches.slice(0, 200_000 - sample.length));
  }
  const matchSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const vectors = [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N',
    null,
  ];
  for (const [i, match] of sample.entries()) {
    prioritize(
      { hostTags: {}, fixAvailable: match.fixedVersion !== null, cvssV3: vectors[i % 3] ?? null },
      DEFAULT_POLICY,
      '2026-11-01',
    );
  }
  const prioritizeRate = sample.length / ((performance.now() - started) / 1000);
  console.log(
    `\n== matching ${hostCount} hosts × ${packagesPerHost} packages against ${advisories.length} advisories (${rows.length} affected entries) ==`,
  );
  console.log(
    `in memory: match ${fmt(matchSeconds)} s for ${findings} (package, vulnerability) findings (goal: < 5 s)`,
  );
  console.log(`prioritize: ${fmt(prioritizeRate, 0)} findings/s (measured on ${sample.length})`);

  const database = await openDatabase({ url });
  try {
    const dbHosts = hostsPackages.slice(0, dbHostCount);
    await syncInventory(
      database.db,
      dbHosts.map((_, h) => ({
        name: `host-${h}`,
        address: '127.0.0.1',
        port: 22,
        groups: [],
        tags: {},
        vars: {},
      })),
    );
    const ids = (await database.db.select({ id: hosts.id, name: hosts.name }).from(hosts)).sort(
      (a, b) => Number(a.name.slice(5)) - Number(b.name.slice(5)),
    );
    for (const [h, { id }] of ids.entries()) {
      await database.db.execute(sql`INSERT INTO ${installedPackages} (host_id, name, arch, version, source_name, source_version)
        SELECT ${id}, name, arch, version, "sourceName", "sourceVersion" FROM json_to_recordset(${JSON.stringify(dbHosts[h])}::json)
        AS p(name text, arch text, version text, "sourceName" text, "sourceVersion" text)`);
    }
    await database.db.update(hosts).set({ osId: 'debian', osVersion: '12', lastScanAt: new Date() });
    started = performance.now();
    const results = await refreshAllFindings(database.db, DEFAULT_POLICY);
    const seconds = (performance.now() - started) / 1000;
    const open = results.reduce((n, r) => n + r.current.length, 0);
    console.log(
      `database path (refreshAllFindings: load, match, prioritize, write): ${fmt(seconds)} s → ${open} open findings on ${results.length} hosts`,
    );
  } finally {
    await database.close();
  }
}

const zip = join(work, 'debian-osv.zip');
const started = performance.now();
await writeGeneratedOsvZip(zip, records, 1, universe);
console.log(
  `generated ${records} OSV records over ${universe} source packages into a zip in ${fmt((performance.now() - started) / 1000)} s`,
);
const database = await createTestDatabase();
try {
  console.log(`\n== import of ${records} OSV records (patchops advisories import, whole process) ==`);
  await importBench(zip, database.url);
  await matchingBench(zip, database.url);
} finally {
  await database.drop();
}
