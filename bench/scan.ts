/**
 * npm run bench:scan — scan speed and memory, printed as figures:
 *  1. the same 20 real lab hosts scanned by patchops and by Ansible (shell and raw modules), median of 3;
 *  2. 500 simulated hosts (an in-process ssh2 server in another process, 30 ms per command): hosts/s, peak RSS.
 * Goals (issue 2): patchops ≥ 3× faster than `ansible -m shell`; 500 hosts < 15 s and < 300 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ssh2 from 'ssh2';
import type { InventoryHost } from '../src/engine/inventory/types.js';
import { createLab, labReadiness } from '../src/lab/index.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { cliPath, fmt, inventoryYaml, median, type Timed, timed } from './support.js';

const runs = 3;
const labHosts = Number(process.env.BENCH_LAB_HOSTS ?? 20);
const simHosts = Number(process.env.BENCH_SIM_HOSTS ?? 500);
const work = mkdtempSync(join(tmpdir(), 'patchops-bench-'));

async function patchopsScan(
  env: NodeJS.ProcessEnv,
  selector = 'all',
): Promise<Timed & { scanSeconds: number; ok: number; failed: number }> {
  const result = await timed(
    process.execPath,
    [cliPath, 'exec', '--json', '--', `/patch scan ${selector} --refresh never`],
    env,
  );
  if (result.code !== 0)
    throw new Error(
      `patchops scan failed (exit ${result.code}): ${result.stderr}\n${result.stdout.slice(0, 2000)}`,
    );
  const view = JSON.parse(result.stdout);
  const scanSeconds = (Date.parse(view.run.finishedAt) - Date.parse(view.run.createdAt)) / 1000;
  return { ...result, scanSeconds, ok: view.run.succeeded, failed: view.run.failed };
}

async function labComparison(): Promise<void> {
  const readiness = await labReadiness();
  if (!readiness.ready) {
    console.log(`lab comparison skipped: ${readiness.problems.join('; ')}`);
    return;
  }
  const lab = createLab();
  const up = Date.now();
  const report = await lab.up(labHosts);
  console.log(`lab: ${report.hosts.length} real hosts up in ${fmt((Date.now() - up) / 1000, 1)} s`);
  const database = await createTestDatabase();
  const inventory = join(work, 'lab-inventory.yml');
  writeFileSync(
    inventory,
    inventoryYaml(
      report.hosts.map((h) => ({ ...h, user: 'root' })),
      lab.paths.clientKey,
    ),
  );
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    PATCHOPS_INVENTORY: inventory,
    PATCHOPS_QUEUE_PREFIX: `bench-${process.pid}`,
    PATCHOPS_KNOWN_HOSTS: lab.paths.knownHosts,
    PATCHOPS_HOST_KEY_POLICY: 'strict' as const,
    PATCHOPS_SCAN_CONCURRENCY: String(labHosts),
    PATCHOPS_DEMO: '0',
    LOG_LEVEL: 'warn',
  };
  const ansibleEnv = {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  };
  const ansible = (module: string) =>
    timed(
      'ansible',
      [
        '-i',
        lab.paths.inventoryIni,
        'all',
        '-f',
        String(labHosts),
        '-m',
        module,
        '-a',
        'apt list --upgradable',
      ],
      ansibleEnv,
    );
  try {
    const results = {
      patchops: [] as number[],
      patchopsScan: [] as number[],
      shell: [] as number[],
      raw: [] as number[],
    };
    for (let i = 0; i < runs; i++) {
      const ours = await patchopsScan(env);
      if (ours.ok !== labHosts) throw new Error(`patchops scanned ${ours.ok}/${labHosts} hosts`);
      results.patchops.push(ours.seconds);
      results.patchopsScan.push(ours.scanSeconds);
      for (const module of ['shell', 'raw'] as const) {
        const theirs = await ansible(module);
        if (theirs.code !== 0) throw new Error(`ansible -m ${module} failed: ${theirs.stdout.slice(-2000)}`);
        results[module].push(theirs.seconds);
      }
    }
    const ours = median(results.patchops);
    const scan = median(results.patchopsScan);
    const shell = median(results.shell);
    const raw = median(results.raw);
    const faster = (theirs: number, mine: number) => `${fmt(theirs / mine, 1)}×`.padStart(5);
    console.log(`\n== ${labHosts} lab hosts, median of ${runs} runs ==`);
    console.log('                             wall s   vs patchops CLI   vs patchops service');
    console.log(`patchops exec (whole CLI)    ${fmt(ours).padStart(6)}`);
    console.log(
      `patchops scan (in service)   ${fmt(scan).padStart(6)}   (request → last host stored: what a chat user waits)`,
    );
    console.log(
      `ansible -m shell             ${fmt(shell).padStart(6)}   ${faster(shell, ours)} slower     ${faster(shell, scan)} slower   (goal ≥ 3×)`,
    );
    console.log(
      `ansible -m raw               ${fmt(raw).padStart(6)}   ${faster(raw, ours)} slower     ${faster(raw, scan)} slower`,
    );
    console.log(
      '(patchops also lists every installed package with its source package and reads os-release; ansible only runs apt list)',
    );
  } finally {
    await database.drop();
  }
}

async function simulatedScale(): Promise<void> {
  const fleetProcess = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./sim-fleet.ts', import.meta.url).pathname, String(simHosts), '30'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: fleetProcess.stdout! });
    lines.once('line', resolve);
    fleetProcess.once('exit', (code) => reject(new Error(`simulated fleet exited (${code})`)));
  });
  const { hosts, hostKey } = JSON.parse(firstLine) as { hosts: InventoryHost[]; hostKey: string };
  const database = await createTestDatabase();
  try {
    const keyFile = join(work, 'sim_key');
    writeFileSync(keyFile, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    const inventory = join(work, 'sim-inventory.yml');
    writeFileSync(inventory, inventoryYaml(hosts, keyFile));
    const knownHosts = join(work, 'sim_known_hosts');
    writeFileSync(knownHosts, hosts.map((h) => `[${h.address}]:${h.port} ${hostKey}`).join('\n'));
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      PATCHOPS_INVENTORY: inventory,
      PATCHOPS_KNOWN_HOSTS: knownHosts,
      PATCHOPS_HOST_KEY_POLICY: 'strict' as const,
      PATCHOPS_QUEUE_PREFIX: `bench-sim-${process.pid}`,
      PATCHOPS_SCAN_CONCURRENCY: String(process.env.BENCH_CONCURRENCY ?? 100),
      PATCHOPS_DEMO: '0',
      LOG_LEVEL: 'warn',
    };
    const result = await patchopsScan(env);
    console.log(
      `\n== ${simHosts} simulated hosts (400 packages each, 30 ms per command), concurrency ${env.PATCHOPS_SCAN_CONCURRENCY} ==`,
    );
    console.log(`scanned ${result.ok} ok, ${result.failed} failed`);
    console.log(
      `scan ${fmt(result.scanSeconds)} s → ${fmt(simHosts / result.scanSeconds, 0)} hosts/s; whole command ${fmt(result.seconds)} s (goal < 15 s)`,
    );
    console.log(`peak RSS of the patchops process ${fmt(result.maxRssMb, 0)} MB (goal < 300 MB)`);
  } finally {
    fleetProcess.stdin!.end();
    await database.drop();
  }
}

// `npm run bench:scan -- lab` or `-- sim` runs one part; no argument runs both.
const parts = process.argv.slice(2);
if (parts.length === 0 || parts.includes('lab')) await labComparison();
if (parts.length === 0 || parts.includes('sim')) await simulatedScale();
