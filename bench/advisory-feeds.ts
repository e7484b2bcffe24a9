/**
 * Advisory feed parsing speed and memory (parsing only; writing to the database is measured elsewhere):
 *  1. a generated Debian 12 OSV all.zip (BENCH_OSV_RECORDS, default 50,000 records): records/s;
 *  2. a synthetic EPSS file the size of FIRST's (BENCH_EPSS_ROWS, default 250,000 rows), plain and gzipped.
 * Each run is a fresh process, so its peak RSS is its own; the baseline is a process that only loads the
 * modules. Median of 3 runs. Run: npx tsx bench/advisory-feeds.ts
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFeed } from '../src/engine/advisories/feeds/index.js';
import { writeGeneratedOsvZip } from '../src/engine/advisories/feeds/osv/generate.js';
import { fmt, median } from './support.js';

interface Measurement {
  items: number;
  seconds: number;
  maxRssMb: number;
}

/** In the child: read one feed, discarding the batches, and report. */
async function measure(source: string): Promise<void> {
  let items = 0;
  const count = (batch: unknown[]) => {
    items += batch.length;
  };
  const started = performance.now();
  if (source !== 'baseline') await readFeed(source, { osv: count, kev: count, epss: count });
  const seconds = (performance.now() - started) / 1000;
  const measurement: Measurement = { items, seconds, maxRssMb: peakRssMb() };
  console.log(JSON.stringify(measurement));
}

/**
 * This process's own peak RSS. Not process.resourceUsage().maxRSS: Linux carries that over fork and exec
 * from the parent, which holds the generated files, so every child would report the parent's peak.
 */
function peakRssMb(): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kib ? Number(kib) / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function run(source: string): Promise<Measurement> {
  const script = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', script, '--measure', source],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measurement;
}

async function report(label: string, source: string, unit: string): Promise<void> {
  const runs = [await run(source), await run(source), await run(source)];
  const seconds = median(runs.map((r) => r.seconds));
  const items = runs[0]?.items ?? 0;
  const rss = Math.max(...runs.map((r) => r.maxRssMb));
  console.log(
    `${label}: ${items} ${unit} in ${fmt(seconds)} s = ${fmt(items / seconds, 0)} ${unit}/s, peak RSS ${fmt(rss, 0)} MB`,
  );
}

function epssCsv(rows: number): string {
  const lines = ['#model_version:v2025.03.14,score_date:2025-08-25T00:00:00Z', 'cve,epss,percentile'];
  for (let i = 0; i < rows; i++) {
    const score = ((i * 7919) % 100000) / 100000;
    lines.push(`CVE-${1999 + (i % 27)}-${10000 + i},${score.toFixed(5)},${((i % 1000) / 1000).toFixed(5)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'patchops-bench-feeds-'));
  try {
    const records = Number(process.env.BENCH_OSV_RECORDS ?? 50_000);
    const rows = Number(process.env.BENCH_EPSS_ROWS ?? 250_000);
    const zip = join(work, 'all.zip');
    await writeGeneratedOsvZip(zip, records, 1);
    const csv = epssCsv(rows);
    writeFileSync(join(work, 'epss.csv'), csv);
    writeFileSync(join(work, 'epss.csv.gz'), gzipSync(csv));
    const baseline = await run('baseline');
    console.log(`baseline (node + tsx + modules loaded): peak RSS ${fmt(baseline.maxRssMb, 0)} MB`);
    await report('OSV all.zip', zip, 'records');
    await report('EPSS csv', join(work, 'epss.csv'), 'rows');
    await report('EPSS csv.gz', join(work, 'epss.csv.gz'), 'rows');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const measureAt = process.argv.indexOf('--measure');
if (measureAt > 0) await measure(process.argv[measureAt + 1] ?? 'baseline');
else await main();
