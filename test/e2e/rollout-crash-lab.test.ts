import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema/index.js';
import { demoPackages, healthCommandPath } from '../../src/lab/index.js';
import { mulberry32 } from '../../src/seeded-random.js';
import { describeLab, type LabFleet, useLabFleet } from '../support/lab.js';
import { type LabPatchops, startLabPatchops, viewOf } from '../support/patchops.js';

const KILLS = 5;

/*
 * Crash safety: the only worker is SIGKILLed at random moments of a rollout on 10 real hosts and started
 * again. The hosts' own dpkg logs must show each upgrade exactly once, and the rollout must finish.
 */
describeLab('a rollout survives its worker being killed', () => {
  let fleet: LabFleet;
  let lab: LabPatchops;

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 10 });
    lab = await startLabPatchops(fleet, {
      // A slow pre-hook widens every host's window for a kill to land mid-host.
      vars: { pre_hook: 'sleep 1', health_checks: [healthCommandPath(demoPackages.web)] },
      workerEnv: { PATCHOPS_PATCH_CONCURRENCY: '4', PATCHOPS_ROLLOUT_LEASE_MS: '3000' },
    });
    const scan = viewOf(await lab.patchops.runAndSettle('alice', 'scan all'), 'scan');
    expect(scan.run).toMatchObject({ status: 'done', succeeded: 10 });
  });

  afterAll(() => lab?.close());

  it(`patches every host exactly once through ${KILLS} SIGKILLs`, async () => {
    const packages = `${demoPackages.web},${demoPackages.tools}`;
    const plan = viewOf(
      (await lab.patchops.run('alice', `plan all --packages ${packages} --waves 1,30%,100%`)).view,
      'plan',
    );
    const reply = await lab.patchops.run('bob', `approve ${plan.plan.id}`);
    const random = mulberry32(Number(process.env.PATCHOPS_CRASH_SEED ?? Date.now() % 100_000));
    const kills: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const delay = 500 + Math.floor(random() * 3500);
      await new Promise((resolve) => setTimeout(resolve, delay));
      lab.worker.kill();
      await lab.worker.exited;
      kills.push(delay);
      lab.worker = lab.startWorker();
    }
    const done = viewOf(await lab.patchops.settle(reply.watch!, 300_000), 'rollout');
    expect(done.rollout.status, `kills after ${kills.join(', ')} ms`).toBe('done');
    expect(done.hosts.map((h) => h.status)).toEqual(Array(10).fill('ok'));

    // The kills did land mid-rollout: hosts were taken up again after their worker died.
    const redispatched = await lab.patchops.runtime.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'rollout.hosts.redispatched'));
    expect(redispatched.length, `kills after ${kills.join(', ')} ms`).toBeGreaterThan(0);

    for (const host of fleet.hosts) {
      const log = (await fleet.lab.chrootExec(host, 'cat /var/log/dpkg.log')).stdout;
      const upgrades = (name: string, from: string, to: string) =>
        log.split('\n').filter((line) => line.includes(` upgrade ${name}:all ${from} ${to}`)).length;
      expect(upgrades(demoPackages.web, '1.0-1', '1.0-2'), `${host.name}\n${log}`).toBe(1);
      expect(upgrades(demoPackages.tools, '2.0-1', '2.1-1'), `${host.name}\n${log}`).toBe(1);
    }
  });
});
