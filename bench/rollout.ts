/**
 * npm run bench:rollout — rollout speed and cost, printed as figures:
 *  1. 1,000 simulated hosts (another process; instant apply), 4 waves (1,10%,50%,100%): orchestration
 *     overhead from approval to done, live-view updates issued, peak RSS of the worker process (the built
 *     CLI) and of the bot. Goals: < 20 s, < 100 updates, < 300 MB.
 *  2. The same package update on 20 real lab hosts, waves 1,30%,100%: patchops against an Ansible
 *     playbook with `serial: [1, "30%", "100%"]` (install the pinned version, run the health check).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot } from '../src/app/bot.js';
import { createRuntime } from '../src/app/runtime.js';
import type { Watch } from '../src/bot/core/handle.js';
import type { View } from '../src/bot/core/views.js';
import { loadConfig } from '../src/config/index.js';
import { readInventory } from '../src/engine/inventory/load.js';
import { createLab, demoPackages, healthCommandPath, labReadiness } from '../src/lab/index.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { fmt, inventoryYaml, scanAll, startCliProcess, startScannedSimFleet, timed } from './support.js';

const simHosts = Number(process.env.BENCH_SIM_HOSTS ?? 1000);
const labHosts = Number(process.env.BENCH_LAB_HOSTS ?? 20);
const work = mkdtempSync(join(tmpdir(), 'patchops-bench-rollout-'));

/** Peak resident memory of a process, from the kernel (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * patchops as deployed: a worker process (the built CLI), and a bot in this process that types the
 * commands and follows the rollout's live view as a chat adapter does.
 */
async function startPatchops(env: Record<string, string>, concurrency: number, nodeFlags: string[] = []) {
  // Ready when it says so: its start-up (migrations, known_hosts) is not part of any rollout.
  const worker = await startCliProcess(
    ['worker'],
    { ...env, PATCHOPS_PATCH_CONCURRENCY: String(concurrency) },
    'worker started',
    nodeFlags,
  );
  const config = loadConfig(env);
  const runtime = await createRuntime(
    config,
    createLogger('warn'),
    readInventory(env.PATCHOPS_INVENTORY!).hosts,
  );
  const bot = await startBot(runtime);
  const run = (user: string, text: string) => bot.handle(`/patch ${text}`, bot.localActor(user));
  /** Follow a watched operation as a chat adapter does; resolves with the last view and the updates it got. */
  const follow = (watch: Watch) =>
    new Promise<{ view: View; updates: number }>((resolve) => {
      let updates = 0;
      const stop = bot.live.watch(watch, async (view, settled) => {
        updates++;
        if (settled) {
          stop();
          resolve({ view, updates });
        }
      });
    });
  return {
    run,
    follow,
    workerPeakRssMb: () => peakRssMb(worker.pid),
    async close() {
      await bot.close();
      await runtime.close();
      await worker.stop();
    },
  };
}

type Patchops = Awaited<ReturnType<typeof startPatchops>>;

/** Plan and approve; returns the seconds from the approval to the rollout's end. */
async function rollout(patchops: Patchops, planText: string) {
  const plan = await patchops.run('alice', planText);
  if (plan.view.kind !== 'plan') throw new Error(`no plan: ${JSON.stringify(plan.view)}`);
  const started = performance.now();
  const approved = await patchops.run('bob', `approve ${plan.view.plan.id}`);
  if (!approved.watch) throw new Error(`not approved: ${JSON.stringify(approved.view)}`);
  const { view, updates } = await patchops.follow(approved.watch);
  const seconds = (performance.now() - started) / 1000;
  if (view.kind !== 'rollout') throw new Error(`unexpected view ${view.kind}`);
  const ok = view.rollout.waves.reduce((sum, w) => sum + w.ok, 0);
  return {
    seconds,
    updates,
    ok,
    status: view.rollout.status,
    waves: view.rollout.waves.length,
    hosts: plan.view.plan.hosts.length,
  };
}

async function simulated(nodeFlags: string[]): Promise<void> {
  const fleet = await startScannedSimFleet(simHosts, 0, work);
  const { env } = fleet;
  const patchops = await startPatchops(env, 100, nodeFlags);
  try {
    const result = await rollout(patchops, 'plan all --waves 1,10%,50%,100% --reboot never');
    const workerRss = patchops.workerPeakRssMb();
    const botRss = process.resourceUsage().maxRSS / 1024;
    const flags = nodeFlags.length > 0 ? `, worker run with ${nodeFlags.join(' ')}` : '';
    console.log(`\n== ${simHosts} simulated hosts, instant apply, waves 1,10%,50%,100%${flags} ==`);
    console.log(`rollout ${result.status}: ${result.ok}/${result.hosts} hosts ok in ${result.waves} waves`);
    console.log(`approval → done ${fmt(result.seconds)} s (goal < 20 s)`);
    console.log(`live-view updates issued ${result.updates} (goal < 100)`);
    console.log(`peak RSS of the worker process ${fmt(workerRss, 0)} MB (goal < 300 MB)`);
    console.log(`peak RSS of the bot (this process, with tsx and the benchmark) ${fmt(botRss, 0)} MB`);
  } finally {
    await patchops.close();
    await fleet.close();
  }
}

const playbook = (hosts: string) => `- hosts: ${hosts}
  serial: [1, "30%", "100%"]
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: install the pinned version
      ansible.builtin.command: apt-get install -y -q --no-remove ${demoPackages.web}=1.0-2 ${demoPackages.tools}=2.1-1
      environment: { DEBIAN_FRONTEND: noninteractive }
    - name: health check
      ansible.builtin.command: ${healthCommandPath(demoPackages.web)}
    - name: versions installed
      ansible.builtin.shell: test "$(dpkg-query -W -f '\${Version}' ${demoPackages.web})" = 1.0-2 && test "$(dpkg-query -W -f '\${Version}' ${demoPackages.tools})" = 2.1-1
`;

async function labComparison(): Promise<void> {
  const readiness = await labReadiness();
  if (!readiness.ready) {
    console.log(`lab comparison skipped: ${readiness.problems.join('; ')}`);
    return;
  }
  const lab = createLab();
  const report = await lab.up(labHosts);
  await lab.resetRepos();
  const reset = async () => {
    for (const host of report.hosts) await lab.resetHost(host);
  };
  const database = await createTestDatabase();
  const inventory = join(work, 'lab-inventory.yml');
  writeFileSync(
    inventory,
    inventoryYaml(
      report.hosts.map((h) => ({ ...h, user: 'root' })),
      lab.paths.clientKey,
      { health_checks: [healthCommandPath(demoPackages.web)] },
    ),
  );
  try {
    await reset();
    const env = {
      DATABASE_URL: database.url,
      PATCHOPS_INVENTORY: inventory,
      PATCHOPS_KNOWN_HOSTS: lab.paths.knownHosts,
      PATCHOPS_HOST_KEY_POLICY: 'strict',
      PATCHOPS_QUEUE_PREFIX: `bench-rollout-lab-${process.pid}`,
      PATCHOPS_DEMO: '0',
    };
    await scanAll(env);
    const patchops = await startPatchops(env, labHosts);
    const ours = await rollout(
      patchops,
      `plan all --packages ${demoPackages.web},${demoPackages.tools} --waves 1,30%,100% --reboot never`,
    ).finally(() => patchops.close());
    await reset();
    const playbookPath = join(work, 'rollout.yml');
    writeFileSync(playbookPath, playbook('all'));
    const theirs = await timed(
      'ansible-playbook',
      ['-i', lab.paths.inventoryIni, '-f', String(labHosts), playbookPath],
      {
        ...process.env,
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      },
    );
    if (theirs.code !== 0) throw new Error(`ansible-playbook failed: ${theirs.stdout.slice(-2000)}`);
    console.log(
      `\n== ${labHosts} lab hosts, ${demoPackages.web} 1.0-2 and ${demoPackages.tools} 2.1-1, waves 1,30%,100% ==`,
    );
    console.log(
      `patchops rollout (approval → done)   ${fmt(ours.seconds).padStart(6)} s   ${ours.ok}/${ours.hosts} ok`,
    );
    console.log(`ansible-playbook serial [1,30%,100%] ${fmt(theirs.seconds).padStart(6)} s`);
    console.log(`ratio ansible / patchops ${fmt(theirs.seconds / ours.seconds, 2)}×`);
    console.log(
      '(patchops also pre-checks disk and locks, records the old versions, verifies versions, and rescans each host)',
    );
  } finally {
    await reset();
    await database.drop();
  }
}

// `npm run bench:rollout -- sim` or `-- lab` runs one part; no argument runs both.
const parts = process.argv.slice(2);
if (parts.length === 0 || parts.includes('sim')) {
  await simulated([]);
  // The live set is small; V8 grows the heap lazily. The same run with the heap capped shows how small.
  await simulated(['--max-old-space-size=160']);
}
if (parts.length === 0 || parts.includes('lab')) await labComparison();
process.exit(0);
