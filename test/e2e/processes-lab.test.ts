import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LabHost } from '../../src/lab/index.js';
import { type RunningCli, startCli } from '../support/cli.js';
import { describeLab, type LabFleet, labPatchopsEnv, useLabFleet } from '../support/lab.js';
import { createTestDatabase } from '../support/postgres.js';

describeLab('bot and workers as separate processes (Postgres + BullMQ only)', () => {
  let fleet: LabFleet;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let workDir: string;
  let env: Record<string, string>;
  const processes: RunningCli[] = [];

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 2 });
    target = await createTestDatabase();
    workDir = await mkdtemp(join(tmpdir(), 'patchops-processes-'));
    const [h1, h2] = fleet.hosts as [LabHost, LabHost];
    env = await labPatchopsEnv(fleet, {
      workDir,
      databaseUrl: target.url,
      hosts: {
        [h1.name]: {},
        // Reached only from zone dc2 (in real life: behind that zone's bastion).
        [h2.name]: { zone: 'dc2' },
      },
    });
  });

  afterAll(async () => {
    for (const process of processes) await process.stop();
    await target?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('scans through a separate worker, and keeps zone work for the worker of that zone', async () => {
    const [h1, h2] = fleet.hosts as [LabHost, LabHost];
    const bot = startCli(['console', '--no-worker', '--user', 'alice'], env);
    processes.push(bot);
    await bot.waitFor(/database: postgres/);
    const worker = startCli(['worker'], env);
    processes.push(worker);

    bot.write(`scan ${h1.name}\n`);
    await bot.waitFor(/1 hosts?: 1 ok, 0 failed/);

    // No worker serves zone dc2 yet: the run waits, it does not fail or get scanned from the wrong place.
    bot.write(`scan ${h2.name}\n`);
    await bot.waitFor(/scan-2/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(bot.output()).not.toMatch(/scan-2[\s\S]*1 hosts?: 1 ok/);

    const zoneWorker = startCli(['worker'], { ...env, PATCHOPS_ZONE: 'dc2' });
    processes.push(zoneWorker);
    await bot.waitFor(/scan-2[\s\S]*1 hosts?: 1 ok, 0 failed/, 60_000);

    expect(await zoneWorker.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
  });
});
