/**
 * `dpkg --compare-versions` on this machine as the oracle for generated versions. Spawning dpkg costs
 * ~4 ms, so each batch goes through one `sh` loop per core, and most pairs are neighbours in our sorted
 * order: dpkg agreeing on every neighbour (< or =) means it agrees on every pair of the batch, as both
 * orders are total preorders.
 */
import { spawn, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { debianVersion } from '../../../../test/support/version-arbitraries.js';
import { checkDpkgVersion, compare } from './index.js';

const hasDpkg = spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasDpkg) console.warn('dpkg oracle: skipped, dpkg is not installed');

/** Prints -1, 0 or 1 per "a b" line, or "error" where dpkg refuses a version. */
const signLoop = `while read -r a b; do
  dpkg --compare-versions "$a" lt "$b" 2>/dev/null; r=$?
  if [ "$r" -eq 0 ]; then echo -1
  elif [ "$r" -eq 1 ]; then if dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0; else echo 1; fi
  else echo error; fi
done`;

/** Prints ok, warning or error per version line: what dpkg says when asked to compare it. */
const syntaxLoop = `while read -r v; do
  out=$(dpkg --compare-versions "$v" eq 0 2>&1); r=$?
  if [ "$r" -ge 2 ]; then echo error; elif [ -n "$out" ]; then echo warning; else echo ok; fi
done`;

function runLoop(script: string, lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', () => resolve(output.split('\n').filter((line) => line.length > 0)));
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

/** Runs the loop in two shells at once (the machine has two cores) and keeps the input order. */
async function inParallel(script: string, lines: string[]): Promise<string[]> {
  const half = Math.ceil(lines.length / 2);
  const outputs = await Promise.all([
    runLoop(script, lines.slice(0, half)),
    runLoop(script, lines.slice(half)),
  ]);
  return outputs.flat();
}

function sortedNeighbours(versions: string[]): [string, string][] {
  const sorted = [...versions].sort(compare);
  return sorted.slice(1).map((version, index) => [sorted[index] ?? '', version]);
}

/** Pairs where dpkg's verdict differs from ours, described for the failure message. */
async function disagreements(pairs: [string, string][]): Promise<string[]> {
  const verdicts = await inParallel(
    signLoop,
    pairs.map(([a, b]) => `${a} ${b}`),
  );
  expect(verdicts).toHaveLength(pairs.length);
  return pairs.flatMap(([a, b], index) => {
    const ours = String(compare(a, b));
    const dpkg = verdicts[index];
    if (dpkg === ours) return [];
    return [`${a} vs ${b}: dpkg ${dpkg}, ours ${ours} (ours says ${checkDpkgVersion(a)?.message ?? 'ok'})`];
  });
}

const counts = { neighbours: 0, neighbourBatchPairs: 0, random: 0, syntax: 0 };
afterAll(() => {
  if (!hasDpkg) return;
  console.log(
    `dpkg oracle: ${counts.neighbours + counts.random} generated pairs checked against dpkg --compare-versions ` +
      `(${counts.neighbours} sorted neighbours standing for ${counts.neighbourBatchPairs} pairs, ` +
      `${counts.random} random pairs), ${counts.syntax} strings checked for dpkg's syntax verdict`,
  );
});

describe.skipIf(!hasDpkg)('dpkg --compare-versions as oracle', () => {
  it('orders generated versions exactly as dpkg does', { timeout: 180_000 }, async () => {
    const batch = fc.tuple(
      fc.array(debianVersion, { minLength: 300, maxLength: 300 }),
      fc.array(fc.tuple(debianVersion, debianVersion), { minLength: 150, maxLength: 150 }),
    );
    await fc.assert(
      fc.asyncProperty(batch, async ([versions, randomPairs]) => {
        const neighbours = sortedNeighbours(versions);
        counts.neighbours += neighbours.length;
        counts.neighbourBatchPairs += (versions.length * (versions.length - 1)) / 2;
        counts.random += randomPairs.length;
        expect(await disagreements([...neighbours, ...randomPairs])).toEqual([]);
      }),
      { numRuns: 8, endOnFailure: true },
    );
  });

  it('refuses, warns about and orders odd strings as dpkg does', { timeout: 120_000 }, async () => {
    const piece = fc.constantFrom('1', '0', '9', '10', 'a', 'Z', ':', '-', '_', '~', '+', '.', 'é', '!', '%');
    const odd = fc
      .array(piece, { minLength: 1, maxLength: 8 })
      .map((pieces) => pieces.join(''))
      .filter((text) => !text.startsWith('-'));
    const strings = [...new Set(fc.sample(odd, 400))];
    counts.syntax += strings.length;

    const verdicts = await inParallel(syntaxLoop, strings);
    const syntaxMismatches = strings.flatMap((text, index) => {
      const ours = checkDpkgVersion(text)?.severity ?? 'ok';
      return verdicts[index] === ours ? [] : [`${text}: dpkg ${verdicts[index]}, ours ${ours}`];
    });
    expect(syntaxMismatches).toEqual([]);

    // dpkg still compares what it only warns about: those must be ordered like dpkg orders them too.
    const accepted = strings.filter((text) => checkDpkgVersion(text)?.severity !== 'error');
    const neighbours = sortedNeighbours(accepted);
    counts.neighbours += neighbours.length;
    counts.neighbourBatchPairs += (accepted.length * (accepted.length - 1)) / 2;
    expect(await disagreements(neighbours)).toEqual([]);
  });
});
