/**
 * npx tsx bench/versioning.ts — version comparison speed, printed as figures per scheme:
 *  1. compare() calls per second over realistic installed/fixed pairs (long shared prefixes);
 *  2. the fleet workload: 1,000 hosts × 400 packages against 50,000 advisories (4,000,000 comparisons),
 *     goal < 5 s.
 */
import { versioning, versionSchemes } from '../src/engine/versioning/index.js';
import { buildMatchWorkload, matchAll } from '../test/support/version-workload.js';

const minimumSeconds = 1;

function callsPerSecond(compare: (a: string, b: string) => number, pairs: [string, string][]): number {
  let calls = 0;
  let sink = 0;
  const started = performance.now();
  while (performance.now() - started < minimumSeconds * 1000) {
    for (const [a, b] of pairs) sink += compare(a, b);
    calls += pairs.length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink); // keeps the loop from being optimised away
  return calls / seconds;
}

for (const scheme of versionSchemes) {
  const { compare } = versioning[scheme];
  const workload = buildMatchWorkload(scheme);
  const pairs = workload.installedVersions
    .slice(0, 10_000)
    .map((installed, entry): [string, string] => [
      installed,
      workload.advisoryVersions[workload.installedPackages[entry] ?? 0]?.[0] ?? '',
    ]);
  callsPerSecond(compare, pairs); // warm-up
  const rate = callsPerSecond(compare, pairs);

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { comparisons, vulnerable } = matchAll(workload, compare);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `${scheme}: ${(rate / 1e6).toFixed(1)} M compare/s; fleet workload ${comparisons.toLocaleString('en')} ` +
      `comparisons (${vulnerable.toLocaleString('en')} vulnerable) in ${wallSeconds.toFixed(2)} s wall, ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`,
  );
}
