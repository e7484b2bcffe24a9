import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, expect, it } from 'vitest';
import { demoPackages, healthCommandPath, labUserName } from '../../src/lab/index.js';
import { mountsUnder } from '../../src/lab/mounts.js';
import { processAlive } from '../../src/lab/processes.js';
import { describeLab, type LabFleet, systemSsh, useLabFleet } from '../support/lab.js';

const installedVersion = (name: string) => `dpkg-query -W -f='\${Version}' ${name}`;

describeLab('the lab fleet', () => {
  let fleet: LabFleet;
  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 3 });
  });
  const host = (index: number) => {
    const found = fleet.hosts[index];
    if (!found) throw new Error(`no host #${index}`);
    return found;
  };

  it('lets root log in on every host, each on its own loopback address', async () => {
    const addresses = new Set<string>();
    for (const labHost of fleet.hosts) {
      const result = await systemSsh(fleet.lab, labHost, 'root', 'id -un; cat /etc/debian_version');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^root\n12\.\d+\n$/);
      addresses.add(labHost.address);
    }
    expect([...addresses]).toEqual(['127.0.10.1', '127.0.10.2', '127.0.10.3']);
  });

  it('lets the non-root user log in and use sudo -n', async () => {
    const result = await systemSsh(fleet.lab, host(0), labUserName, 'id -un; sudo -n true && echo sudo-ok');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${labUserName}\nsudo-ok\n`);
  });

  it('shows security and non-security updates with distinguishable origins', async () => {
    const result = await systemSsh(fleet.lab, host(0), 'root', 'apt-get -s dist-upgrade');
    expect(result.code).toBe(0);
    const inst = (name: string) => result.stdout.split('\n').find((line) => line.startsWith(`Inst ${name} `));
    expect(inst(demoPackages.web)).toMatch(/^Inst patchops-demo-web \[1\.0-1\] \(1\.0-2 Debian-Security:/);
    expect(inst(demoPackages.epoch)).toContain('[1:1.0~rc1-1] (1:1.0-1 Debian-Security:');
    expect(inst(demoPackages.tools)).toMatch(/\(2\.1-1 Debian:12\/bookworm-updates \[all\]\)/);
    expect(inst(demoPackages.stable)).toBeUndefined();
    const sources = await systemSsh(
      fleet.lab,
      host(0),
      'root',
      `dpkg-query -W -f='\${source:Package}' ${demoPackages.libssl}`,
    );
    expect(sources.stdout).toBe('patchops-demo-openssl');
  });

  it('keeps an installed update on the host that installed it', async () => {
    const install = await systemSsh(
      fleet.lab,
      host(0),
      labUserName,
      `sudo -n apt-get install -y -q --only-upgrade ${demoPackages.web} ${demoPackages.kernel}`,
    );
    expect(install.code).toBe(0);
    expect((await fleet.lab.chrootExec(host(0), installedVersion(demoPackages.web))).stdout).toBe('1.0-2');
    expect((await fleet.lab.chrootExec(host(1), installedVersion(demoPackages.web))).stdout).toBe('1.0-1');
    expect((await fleet.lab.chrootExec(host(2), installedVersion(demoPackages.web))).stdout).toBe('1.0-1');
    const base = await readFile(
      path.join(fleet.lab.paths.base, `usr/share/${demoPackages.web}/version`),
      'utf8',
    );
    expect(base).toBe('1.0-1\n');
    // The kernel package asked for a reboot the Debian way, on that host only.
    const pkgs = await fleet.lab.chrootExec(host(0), 'cat /var/run/reboot-required.pkgs');
    expect(pkgs.stdout).toBe(`${demoPackages.kernel}\n`);
    expect((await fleet.lab.chrootExec(host(1), 'test -e /var/run/reboot-required')).code).toBe(1);
  });

  it('publishes a new (broken) version that hosts see after apt-get update', async () => {
    await fleet.lab.publish('security', { name: demoPackages.web, version: '1.0-3', healthy: false });
    const before = await fleet.lab.chrootExec(host(1), `apt-cache policy ${demoPackages.web}`);
    expect(before.stdout).toContain('Candidate: 1.0-2');
    const upgrade = await fleet.lab.chrootExec(
      host(1),
      `apt-get update -q && apt-get install -y -q --only-upgrade ${demoPackages.web}`,
    );
    expect(upgrade.code).toBe(0);
    expect((await fleet.lab.chrootExec(host(1), installedVersion(demoPackages.web))).stdout).toBe('1.0-3');
    const health = await fleet.lab.chrootExec(host(1), healthCommandPath(demoPackages.web));
    expect(health.code).toBe(1);
    // Rolling back to the exact earlier version works: main still carries 1.0-1.
    const rollback = await fleet.lab.chrootExec(
      host(1),
      `apt-get install -y -q --allow-downgrades ${demoPackages.web}=1.0-1`,
    );
    expect(rollback.code).toBe(0);
    expect((await fleet.lab.chrootExec(host(1), healthCommandPath(demoPackages.web))).code).toBe(0);
  });

  it('simulates a reboot: down for the delay, back with reboot-required cleared', async () => {
    const reboot = await systemSsh(fleet.lab, host(0), labUserName, `sudo -n ${host(0).rebootCommand} 2`);
    expect(reboot.code).toBe(0);
    const deadline = Date.now() + 20_000;
    let sawDown = false;
    let back = false;
    while (Date.now() < deadline && !back) {
      const probe = await systemSsh(
        fleet.lab,
        host(0),
        'root',
        'test ! -e /var/run/reboot-required && echo clean',
      );
      if (probe.code !== 0) sawDown = true;
      else if (sawDown) back = probe.stdout === 'clean\n';
      await sleep(250);
    }
    expect(sawDown).toBe(true);
    expect(back).toBe(true);
    // The reboot did not undo the installed update: the host's disk survives.
    expect((await fleet.lab.chrootExec(host(0), installedVersion(demoPackages.web))).stdout).toBe('1.0-2');
  }, 30_000);

  it('refuses connections while a host is stopped, and serves again after start', async () => {
    await fleet.lab.stopHost(host(2));
    const refused = await systemSsh(fleet.lab, host(2), 'root', 'true');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('Connection refused');
    await fleet.lab.startHost(host(2));
    expect((await systemSsh(fleet.lab, host(2), 'root', 'true')).code).toBe(0);
  });

  it('rotates a host key: the old known_hosts no longer matches, the new one does', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'patchops-lab-test-'));
    const oldKnownHosts = path.join(scratch, 'known_hosts.before-rotation');
    await copyFile(fleet.lab.paths.knownHosts, oldKnownHosts);
    await fleet.lab.rotateHostKey(host(1));
    const stale = await systemSsh(fleet.lab, host(1), 'root', 'true', [
      '-o',
      `UserKnownHostsFile=${oldKnownHosts}`,
    ]);
    expect(stale.code).toBe(255);
    expect(stale.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect((await systemSsh(fleet.lab, host(1), 'root', 'true')).code).toBe(0);
    await rm(scratch, { recursive: true, force: true });
  });

  it('down stops every sshd and leaves no mount behind; up brings the fleet back', async () => {
    const pids = (await fleet.lab.status()).hosts.flatMap((labHost) => labHost.sshdPid ?? []);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    await fleet.lab.down();
    const mounts = await readFile('/proc/mounts', 'utf8');
    expect(mounts).not.toContain(fleet.lab.paths.dir);
    expect(await mountsUnder(fleet.lab.paths.dir)).toEqual([]);
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
    const again = await fleet.lab.up(3);
    expect(again.started).toEqual(['lab-01', 'lab-02', 'lab-03']);
    expect((await fleet.lab.chrootExec(host(0), installedVersion(demoPackages.web))).stdout).toBe('1.0-1');
  }, 60_000);
});
