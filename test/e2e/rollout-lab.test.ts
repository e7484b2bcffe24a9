import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  demoPackages,
  healthCommandPath,
  inChrootRebootCommandPath,
  type LabHost,
} from '../../src/lab/index.js';
import { describeLab, type LabFleet, useLabFleet } from '../support/lab.js';
import { type LabPatchops, startLabPatchops, type TestBot, viewOf } from '../support/patchops.js';

/*
 * The whole loop on 10 real hosts: scan, plan, approval rules, a staged rollout whose canary fails its
 * health check (halt before wave 2, alert, rollback to the exact old versions, checked with dpkg inside
 * the host), then a good update with a reboot through every wave.
 */
describeLab('rollouts on the lab fleet', () => {
  let fleet: LabFleet;
  let lab: LabPatchops;
  let patchops: TestBot;

  const dpkgVersion = async (host: LabHost, name: string) =>
    (await fleet.lab.chrootExec(host, `dpkg-query -W -f '\${Version}' ${name}`)).stdout.trim();

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 10 });
    lab = await startLabPatchops(fleet, {
      vars: {
        reboot_command: `${inChrootRebootCommandPath} 1`,
        health_checks: [healthCommandPath(demoPackages.web)],
      },
      workerEnv: { PATCHOPS_PATCH_CONCURRENCY: '10' },
    });
    patchops = lab.patchops;
    await fleet.lab.publish('security', { name: demoPackages.web, version: '1.0-3', healthy: false });
    const scan = viewOf(await patchops.runAndSettle('alice', 'scan all --refresh always'), 'scan');
    expect(scan.run).toMatchObject({ status: 'done', succeeded: 10 });
  });

  afterAll(() => lab?.close());

  it('halts a rollout whose canary fails verification, alerts, and rolls back to the exact old versions', async () => {
    const plan = viewOf(
      (await patchops.run('alice', `plan all --packages ${demoPackages.web} --waves 1,30%,100%`)).view,
      'plan',
    );
    expect(plan.plan.waveSizes).toEqual([1, 3, 6]);
    expect(
      plan.plan.hosts.every((h) => h.packages[0]?.to === '1.0-3' && h.packages[0]?.from === '1.0-1'),
    ).toBe(true);
    const canary = plan.plan.hosts.find((h) => h.wave === 1)!.host;

    const self = viewOf((await patchops.run('alice', `approve ${plan.plan.id}`)).view, 'error');
    expect(self.error.message).toContain('requested by you');

    const rollout = viewOf(await patchops.runAndSettle('bob', `approve ${plan.plan.id}`), 'rollout');
    expect(rollout.rollout.status).toBe('halted');
    expect(rollout.rollout.waves.map((w) => [w.ok, w.failed, w.pending])).toEqual([
      [0, 1, 0],
      [0, 0, 3],
      [0, 0, 6],
    ]);
    const failed = rollout.hosts.find((h) => h.host === canary)!;
    expect(failed.failedCheck).toContain(healthCommandPath(demoPackages.web));

    await expect.poll(() => patchops.alerts.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const alert = viewOf(patchops.alerts.at(-1)!, 'alert');
    expect(alert.alert.message).toContain(canary);
    expect(alert.alert.message).toContain(healthCommandPath(demoPackages.web));

    const canaryHost = fleet.hosts.find((h) => h.name === canary)!;
    expect(await dpkgVersion(canaryHost, demoPackages.web)).toBe('1.0-3');
    const rolledBack = viewOf(
      await patchops.runAndSettle('alice', `rollback ${rollout.rollout.id}`),
      'rollout',
    );
    expect(rolledBack.hosts.find((h) => h.host === canary)).toMatchObject({ rollback: 'done' });
    for (const host of fleet.hosts) expect(await dpkgVersion(host, demoPackages.web)).toBe('1.0-1');

    const aborted = viewOf((await patchops.run('alice', `abort ${rollout.rollout.id}`)).view, 'rollout');
    expect(aborted.rollout.status).toBe('aborted');
  });

  it('rolls a host back by itself when its verification fails and the plan says so', async () => {
    const [host] = fleet.hosts;
    const plan = viewOf(
      (await patchops.run('alice', `plan ${host!.name} --packages ${demoPackages.web} --auto-rollback`)).view,
      'plan',
    );
    const rollout = viewOf(await patchops.runAndSettle('bob', `approve ${plan.plan.id}`), 'rollout');
    expect(rollout.rollout.status).toBe('halted');
    expect(rollout.hosts[0]).toMatchObject({ status: 'rolled-back', rollback: 'done' });
    expect(rollout.hosts[0]!.failedCheck).toContain(healthCommandPath(demoPackages.web));
    expect(await dpkgVersion(host!, demoPackages.web)).toBe('1.0-1');
    // The rollback went back to the recorded version, and dpkg's own log says so (it logs a downgrade as an upgrade).
    const log = (await fleet.lab.chrootExec(host!, 'cat /var/log/dpkg.log')).stdout;
    expect(log).toContain(`upgrade ${demoPackages.web}:all 1.0-3 1.0-1`);
    viewOf((await patchops.run('alice', `abort ${rollout.rollout.id}`)).view, 'rollout');
  });

  it('takes a good update with a reboot through every wave', async () => {
    const packages = [demoPackages.tools, demoPackages.openssl, demoPackages.kernel];
    const plan = viewOf(
      (await patchops.run('alice', `plan all --packages ${packages.join(',')} --waves 1,30%,100%`)).view,
      'plan',
    );
    // libssl3 comes from the same source package as openssl: it moves with it.
    expect(plan.plan.hosts[0]!.packages.map((p) => `${p.name} ${p.to}`)).toEqual([
      `${demoPackages.kernel} 5.10.0-2`,
      `${demoPackages.libssl} 3.0.13-1`,
      `${demoPackages.openssl} 3.0.13-1`,
      `${demoPackages.tools} 2.1-1`,
    ]);
    const rollout = viewOf(await patchops.runAndSettle('bob', `approve ${plan.plan.id}`), 'rollout');
    expect(rollout.rollout.status).toBe('done');
    expect(rollout.hosts.every((h) => h.status === 'ok')).toBe(true);
    for (const host of fleet.hosts) {
      expect(await dpkgVersion(host, demoPackages.tools)).toBe('2.1-1');
      expect(await dpkgVersion(host, demoPackages.libssl)).toBe('3.0.13-1');
      expect(await dpkgVersion(host, demoPackages.kernel)).toBe('5.10.0-2');
      // The kernel asked for a reboot; the reboot happened (a lab reboot clears the flag, as a boot does).
      expect((await fleet.lab.chrootExec(host, 'test -e /var/run/reboot-required')).code).not.toBe(0);
    }
  });
});
