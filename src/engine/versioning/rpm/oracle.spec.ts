/**
 * rpm itself as the oracle for generated EVRs: one `rpm --eval` runs a Lua script that prints
 * `rpm.vercmp(a, b)` (with io.write: rpm's Lua print does not end lines) for a whole batch of pairs. Skips with a notice where rpm is not installed
 * (.ci/install-deps.sh installs Debian's `rpm`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rpmEvr } from '../../../../test/support/version-arbitraries.js';
import { compare } from './index.js';

const hasRpm = spawnSync('rpm', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasRpm) console.warn('rpm oracle: skipped, rpm is not installed (apt-get install rpm)');

function luaString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}

/** rpm.vercmp's verdict (-1, 0 or 1) for each pair, from one rpm process. */
function rpmVerdicts(pairs: [string, string][]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'patchops-rpm-oracle-'));
  try {
    const script = join(dir, 'vercmp.lua');
    const calls = pairs.map(([a, b]) => `io.write(rpm.vercmp(${luaString(a)}, ${luaString(b)}), "\\n")`);
    writeFileSync(script, `${calls.join('\n')}\n`);
    const run = spawnSync('rpm', ['--eval', `%{lua: dofile("${script}")}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`rpm --eval failed: ${run.stderr}`);
    return run.stdout
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map(Number);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function disagreements(pairs: [string, string][]): string[] {
  const verdicts = rpmVerdicts(pairs);
  expect(verdicts).toHaveLength(pairs.length);
  return pairs.flatMap(([a, b], index) => {
    const ours = compare(a, b);
    return verdicts[index] === ours ? [] : [`${a} vs ${b}: rpm ${verdicts[index]}, ours ${ours}`];
  });
}

const counts = { neighbours: 0, neighbourBatchPairs: 0, random: 0 };
afterAll(() => {
  if (!hasRpm) return;
  console.log(
    `rpm oracle: ${counts.neighbours + counts.random} generated pairs checked against rpm.vercmp ` +
      `(${counts.neighbours} sorted neighbours standing for ${counts.neighbourBatchPairs} pairs, ` +
      `${counts.random} random pairs)`,
  );
});

describe.skipIf(!hasRpm)('rpm.vercmp as oracle', () => {
  it('orders generated EVRs exactly as rpm does', { timeout: 120_000 }, () => {
    const batch = fc.tuple(
      fc.array(rpmEvr('sometimes'), { minLength: 1000, maxLength: 1000 }),
      fc.array(fc.tuple(rpmEvr('sometimes'), rpmEvr('sometimes')), { minLength: 4000, maxLength: 4000 }),
    );
    fc.assert(
      fc.property(batch, ([versions, randomPairs]) => {
        const sorted = [...versions].sort(compare);
        const neighbours = sorted
          .slice(1)
          .map((version, index): [string, string] => [sorted[index] ?? '', version]);
        counts.neighbours += neighbours.length;
        counts.neighbourBatchPairs += (versions.length * (versions.length - 1)) / 2;
        counts.random += randomPairs.length;
        expect(disagreements([...neighbours, ...randomPairs])).toEqual([]);
      }),
      { numRuns: 5, endOnFailure: true },
    );
  });

  it('agrees with rpm on hand-picked corner cases', () => {
    const corners: [string, string][] = [
      ['1', '1-1'],
      ['1-', '1'],
      ['1-', '1-0'],
      [':1', '0:1'],
      ['01:1', '1:1'],
      ['a:1', 'b:1'],
      ['1.0^', '1.0'],
      ['1.0~', '1.0'],
      ['1.0^~', '1.0^'],
      ['1..0', '1.0'],
      ['1.0.', '1.0'],
      ['1.0-1.el9', '1.0-1.el9_4'],
      ['1:2-3', '1:2-3:4'],
      ['99999999999999999999:1', '99999999999999999998:2'],
      ['1.é', '1'],
    ];
    expect(disagreements([...corners, ...corners.map(([a, b]): [string, string] => [b, a])])).toEqual([]);
  });
});
