import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Database, openDatabase } from '../../src/db/client.js';
import { auditLog, availableUpdates, hosts, scanRuns } from '../../src/db/schema/index.js';
import { demoPackages, type LabHost, labUserName } from '../../src/lab/index.js';
import { type CliResult, runCli, uniquePrefix } from '../support/cli.js';
import { describeLab, type LabFleet, useLabFleet } from '../support/lab.js';
import { createTestDatabase } from '../support/postgres.js';

interface AptUpgradable {
  name: string;
  version: string;
  installedVersion: string;
  security: boolean;
}

/** What apt itself says inside the host, read from the machine through the chroot. */
async function aptUpgradable(fleet: LabFleet, host: LabHost): Promise<AptUpgradable[]> {
  const result = await fleet.lab.chrootExec(host, 'LC_ALL=C apt list --upgradable 2>/dev/null');
  return result.stdout
    .split('\n')
    .map((line) => /^([^/\s]+)\/(\S+) (\S+) \S+ \[upgradable from: ([^\]]+)\]$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      name: m[1]!,
      version: m[3]!,
      installedVersion: m[4]!,
      security: m[2]!.split(',').some((s) => s.endsWith('-security')),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function json(result: CliResult) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

describeLab('scanning the lab fleet from chat (patchops exec)', () => {
  let fleet: LabFleet;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let workDir: string;
  let env: Record<string, string>;

  const exec = (command: string, user = 'alice', extraEnv: Record<string, string> = {}) =>
    runCli(
      ['exec', '--json', '--user', user, '--', command],
      { ...env, ...extraEnv },
      { timeoutMs: 180_000 },
    );

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 6 });
    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
    workDir = await mkdtemp(join(tmpdir(), 'patchops-e2e-'));
    const [h1, h2, h3, h4, h5, h6] = fleet.hosts as [LabHost, LabHost, LabHost, LabHost, LabHost, LabHost];
    const entry = (host: LabHost, extra: Record<string, unknown> = {}) => ({
      address: host.address,
      port: host.port,
      groups: ['lab'],
      tags: { env: 'test' },
      ...extra,
    });
    // Root logins, a non-root user with sudo (refreshes the lists), a non-root user without (read-only).
    const inventory = {
      defaults: { user: 'root', key_file: fleet.lab.paths.clientKey },
      hosts: {
        [h1.name]: entry(h1, { groups: ['lab', 'web'] }),
        [h2.name]: entry(h2, { user: labUserName, become: true, groups: ['lab', 'web'] }),
        [h3.name]: entry(h3, { user: labUserName, become: false, tags: { env: 'test', role: 'db' } }),
        [h4.name]: entry(h4),
        [h5.name]: entry(h5),
        [h6.name]: entry(h6),
      },
    };
    const inventoryPath = join(workDir, 'inventory.yml');
    writeFileSync(inventoryPath, stringify(inventory));
    env = {
      DATABASE_URL: target.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PATCHOPS_QUEUE_PREFIX: uniquePrefix(),
      PATCHOPS_INVENTORY: inventoryPath,
      PATCHOPS_HOST_KEY_POLICY: 'accept-new',
      PATCHOPS_SSH_CONNECT_TIMEOUT_MS: '5000',
      PATCHOPS_SSH_COMMAND_TIMEOUT_MS: '4000',
      PATCHOPS_SCAN_ATTEMPTS: '2',
    };
  });

  afterAll(async () => {
    await database?.close();
    await target?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('scans every host and agrees with apt inside each host, root and non-root alike', async () => {
    const scan = await exec('/patch scan all');
    expect(scan.stderr).not.toMatch(/error/i);
    expect(scan.code).toBe(0);
    const view = json(scan);
    expect(view.kind).toBe('scan');
    expect(view.run).toMatchObject({ status: 'done', total: 6, succeeded: 6, failed: 0 });

    const listed = json(await exec('/patch hosts all'));
    expect(listed.kind).toBe('hosts');
    expect(listed.hosts).toHaveLength(6);
    for (const host of fleet.hosts) {
      const apt = await aptUpgradable(fleet, host);
      // The fresh lab host has exactly the catalog's pending updates; apt is the judge of the details.
      expect(apt.map((u) => u.name).sort()).toEqual(
        [
          demoPackages.epoch,
          demoPackages.kernel,
          demoPackages.libssl,
          demoPackages.openssl,
          demoPackages.tools,
          demoPackages.web,
        ].sort(),
      );
      const [row] = await database.db.select().from(hosts).where(eq(hosts.name, host.name));
      const stored = (
        await database.db.select().from(availableUpdates).where(eq(availableUpdates.hostId, row!.id))
      )
        .map((u) => ({
          name: u.name,
          version: u.version,
          installedVersion: u.installedVersion,
          security: u.security,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(stored, host.name).toEqual(apt);

      const summary = listed.hosts.find((h: { name: string }) => h.name === host.name);
      expect(summary).toMatchObject({
        name: host.name,
        address: host.address,
        os: 'Debian GNU/Linux 12 (bookworm)',
        updates: apt.length,
        securityUpdates: apt.filter((u) => u.security).length,
        rebootRequired: false,
      });
      expect(Date.parse(summary.lastScanAt)).toBeGreaterThan(Date.now() - 300_000);
    }
  });

  it('sees a newly published fix only where the lists are refreshed, and never changes a host', async () => {
    const [h1, , h3] = fleet.hosts as [LabHost, LabHost, LabHost];
    await fleet.lab.publish('security', { name: demoPackages.stable, version: '1.0-2' });
    const before = (await fleet.lab.chrootExec(h1, 'dpkg-query -W')).stdout;
    const view = json(await exec(`/patch scan ${h1.name},${h3.name} --refresh auto`));
    expect(view.run).toMatchObject({ status: 'done', succeeded: 2 });
    // Root refreshed its lists and sees the new fix; the unprivileged login cannot refresh and says so.
    expect(row(view, h1.name).updates).toBe(7);
    expect(row(view, h3.name).updates).toBe(6);
    expect((await fleet.lab.chrootExec(h1, 'dpkg-query -W')).stdout).toBe(before);
  });

  it('reports a changed host key, an unreachable host and a hanging command, while the other hosts finish', async () => {
    const [h1, , , h4, h5, h6] = fleet.hosts as [LabHost, LabHost, LabHost, LabHost, LabHost, LabHost];
    // The first scan pinned every key (accept-new). Now one host presents a new key...
    await fleet.lab.rotateHostKey(h4);
    // ...one is down...
    await fleet.lab.stopHost(h5);
    // ...and on one, dpkg-query hangs (a wrapper ahead of it on PATH; bounded so nothing outlives the test).
    await fleet.lab.chrootExec(
      h6,
      "printf '#!/bin/sh\\nexec sleep 25\\n' > /usr/local/bin/dpkg-query && chmod +x /usr/local/bin/dpkg-query",
    );
    try {
      const started = Date.now();
      const result = await exec(`/patch scan ${[h1, h4, h5, h6].map((h) => h.name).join(',')}`);
      expect(result.code).toBe(3);
      const view = json(result);
      expect(view.run).toMatchObject({ status: 'done', total: 4, succeeded: 1, failed: 3 });
      expect(row(view, h1.name).status).toBe('ok');
      expect(row(view, h4.name).error).toMatchObject({ code: 'host-key-changed' });
      expect(row(view, h4.name).error.message).toMatch(/host key changed/i);
      expect(row(view, h5.name).error).toMatchObject({ code: 'unreachable' });
      expect(row(view, h6.name).error).toMatchObject({ code: 'command-timeout' });
      expect(row(view, h6.name).error.message).toMatch(/4 ?s|4000 ?ms/);
      // Two attempts with a 4 s command timeout and a back-off: well under the 25 s the command would take.
      expect(Date.now() - started).toBeLessThan(60_000);
      const failures = await database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'scan.host.failed'));
      expect(failures.map((f) => f.details.code).sort()).toEqual([
        'command-timeout',
        'host-key-changed',
        'unreachable',
      ]);
    } finally {
      await fleet.lab.startHost(h5);
      await fleet.lab.chrootExec(h6, 'rm -f /usr/local/bin/dpkg-query');
    }
  });

  it('refuses bad input before anything reaches a host, and says why', async () => {
    const runsBefore = (await database.db.select().from(scanRuns)).length;
    const cases: [string, RegExp][] = [
      ['/patch scan web-*;id', /selector/],
      ['/patch scan $(id)', /selector/],
      ['/patch scan `id`', /selector/],
      ['/patch scan lab-01 && id', /argument|selector/],
      ['/patch scan lab-99', /unknown host 'lab-99'/],
      ['/patch scan group:nothere', /group/],
      [`/patch scan ${'a'.repeat(2000)}`, /long|limit/],
      ['/patch scna all', /unknown command.*scan/],
    ];
    for (const [command, message] of cases) {
      const result = await exec(command);
      expect(result.code, command).toBe(1);
      const view = json(result);
      expect(view.kind, command).toBe('error');
      expect(view.error.message, command).toMatch(message);
    }
    expect((await database.db.select().from(scanRuns)).length).toBe(runsBefore);
  });
});

function row(view: { hosts: { host: string }[] }, host: string) {
  const found = view.hosts.find((h) => h.host === host);
  if (!found) throw new Error(`no row for ${host}`);
  return found as {
    host: string;
    status: string;
    updates: number;
    warnings: string[];
    error: { code: string; message: string };
  };
}
