import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { advisories, findings, hosts } from '../../src/db/schema/index.js';
import { writeGeneratedOsvZip } from '../../src/engine/advisories/feeds/osv/generate.js';
import { addDays, utcDay } from '../../src/engine/prioritize/index.js';
import { demoPackages, type LabHost } from '../../src/lab/index.js';
import { runCli } from '../support/cli.js';
import { describeLab, type LabFleet, labPatchopsEnv, useLabFleet } from '../support/lab.js';
import { createTestDatabase } from '../support/postgres.js';

const fixtures = new URL('../fixtures/advisories/', import.meta.url).pathname;

describeLab('advisories → findings on the lab fleet', () => {
  let fleet: LabFleet;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let workDir: string;
  let env: Record<string, string>;

  const cli = (args: string[]) => runCli(args, env, { timeoutMs: 180_000 });
  const exec = async (command: string) => {
    const result = await cli(['exec', '--json', '--user', 'alice', '--', command]);
    try {
      return JSON.parse(result.stdout);
    } catch {
      throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
    }
  };
  const openOn = async (host: string) =>
    (await exec(`/patch findings ${host}`)).findings
      .map((f: { package: string; cves: string[] }) => `${f.package} ${f.cves.join(',')}`)
      .sort();

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 2 });
    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
    workDir = await mkdtemp(join(tmpdir(), 'patchops-findings-'));
    const [h1, h2] = fleet.hosts as [LabHost, LabHost];
    env = await labPatchopsEnv(fleet, {
      workDir,
      databaseUrl: target.url,
      hosts: {
        [h1.name]: { tags: { exposure: 'internet', criticality: 'high' } },
        [h2.name]: {},
      },
    });
  });

  afterAll(async () => {
    await database?.close();
    await target?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('turns hand-written OSV, KEV and EPSS records into exactly the expected findings, priorities and reasons', async () => {
    const imported = await cli([
      'advisories',
      'import',
      join(fixtures, 'osv'),
      join(fixtures, 'kev.json'),
      join(fixtures, 'epss.csv'),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^OSV .*: 6 records, 6 added, 0 updated, 0 removed/m);
    expect(imported.stdout).toMatch(/^KEV .*: 1 records, 1 added/m);
    expect(imported.stdout).toMatch(/^EPSS .*: 4 records, 4 added/m);

    const scan = await exec('/patch scan all');
    expect(scan.run).toMatchObject({ status: 'done', succeeded: 2 });
    const today = utcDay(new Date());
    const view = await exec('/patch findings all');
    const rows = view.findings.map((f: Record<string, unknown>) => ({
      host: f.host,
      package: f.package,
      installedVersion: f.installedVersion,
      fixedVersion: f.fixedVersion,
      cves: f.cves,
      priority: f.priority,
      dueDate: f.dueDate,
    }));
    const [h1, h2] = fleet.hosts.map((h) => h.name) as [string, string];
    const row = (
      host: string,
      pkg: string,
      cve: string,
      installed: string,
      fixed: string | null,
      priority: string,
      due: string,
    ) => ({
      host,
      package: pkg,
      installedVersion: installed,
      fixedVersion: fixed,
      cves: [cve],
      priority,
      dueDate: due,
    });
    const kevDue = '2026-12-01';
    const capped = (days: number) => [addDays(today, days), kevDue].sort()[0]!;
    // The fixture KEV entry has known ransomware use: P1 everywhere, due in 2 days or by the KEV date.
    // On the internet-facing critical host, EPSS 0.94 (public PoC) and CVSS 9.8 network make the web flaw
    // "Attend" (P2, a week); on the internal host the same flaw is "Track*" (P3, a month).
    expect(rows).toEqual(
      expect.arrayContaining([
        row(h1, demoPackages.openssl, 'CVE-2099-0002', '3.0.11-1', '3.0.13-1', 'P1', capped(2)),
        row(h2, demoPackages.openssl, 'CVE-2099-0002', '3.0.11-1', '3.0.13-1', 'P1', capped(2)),
        row(h1, demoPackages.web, 'CVE-2099-0001', '1.0-1', '1.0-2', 'P2', addDays(today, 7)),
        row(h2, demoPackages.web, 'CVE-2099-0001', '1.0-1', '1.0-2', 'P3', addDays(today, 30)),
        row(h1, demoPackages.epoch, 'CVE-2099-0003', '1:1.0~rc1-1', '1:1.0-1', 'P4', addDays(today, 90)),
        row(h2, demoPackages.epoch, 'CVE-2099-0003', '1:1.0~rc1-1', '1:1.0-1', 'P4', addDays(today, 90)),
        row(h1, demoPackages.stable, 'CVE-2099-0004', '1.0-1', null, 'P4', addDays(today, 90)),
        row(h2, demoPackages.stable, 'CVE-2099-0004', '1.0-1', null, 'P4', addDays(today, 90)),
      ]),
    );
    // Nothing else: tools has its fix installed, the USN is for Ubuntu.
    expect(rows).toHaveLength(8);
    expect(view.totals).toMatchObject({ findings: 8, byPriority: { P1: 2, P2: 1, P3: 1, P4: 4 }, kev: 2 });
    // The first screen is what to do today.
    expect(view.findings[0].priority).toBe('P1');

    const reasons = (host: string, pkg: string) =>
      view.findings.find((f: { host: string; package: string }) => f.host === host && f.package === pkg);
    const ssl = reasons(h2, demoPackages.openssl);
    expect(ssl.summary).toMatch(/^KEV since 2026-11-10 \(ransomware\), EPSS 0\.97/);
    expect(ssl.advisories).toEqual(['DSA-9002-1']);
    expect(ssl.kev).toEqual({ dateAdded: '2026-11-10', dueDate: kevDue, knownRansomware: true });
    expect(reasons(h1, demoPackages.web).summary).toMatch(/internet-facing/);
    expect(reasons(h2, demoPackages.stable).reasons.map((r: { code: string }) => r.code)).toContain('no-fix');

    const cve = await exec('/patch cve CVE-2099-0002');
    expect(cve.detail.hosts.map((h: { host: string }) => h.host).sort()).toEqual([h1, h2]);
    expect(cve.detail.scores.cvssV3).toMatchObject({ score: 9.8 });
  });

  it('closes findings when a later scan shows the fixed version, and only on that host', async () => {
    const [h1, h2] = fleet.hosts as [LabHost, LabHost];
    const install = await fleet.lab.chrootExec(
      h1,
      `DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${demoPackages.web}=1.0-2 ${demoPackages.openssl}=3.0.13-1 ${demoPackages.libssl}=3.0.13-1`,
    );
    expect(install.code, install.stderr).toBe(0);
    const before = await openOn(h2.name);
    const scan = await exec(`/patch scan ${h1.name}`);
    expect(scan.run.status).toBe('done');
    expect(await openOn(h1.name)).toEqual([
      `${demoPackages.epoch} CVE-2099-0003`,
      `${demoPackages.stable} CVE-2099-0004`,
    ]);
    expect(await openOn(h2.name)).toEqual(before);
    const [host] = await database.db.select().from(hosts).where(eq(hosts.name, h1.name));
    const closed = await database.db
      .select()
      .from(findings)
      .where(and(eq(findings.hostId, host!.id), eq(findings.status, 'closed')));
    expect(closed.map((f) => f.vulnerability).sort()).toEqual(['CVE-2099-0001', 'CVE-2099-0002']);
    for (const finding of closed) expect(finding.closedAt).toBeInstanceOf(Date);
  });

  it('refuses bad feeds with a clear error and keeps the previous data', async () => {
    const count = async () => database.db.$count(advisories);
    const before = await count();
    const findingsBefore = await openOn('all');
    const zip = join(workDir, 'truncated.zip');
    await writeGeneratedOsvZip(zip, 200, 7);
    await truncate(zip, 4000);
    const wrongSchema = join(workDir, 'wrong-schema.json');
    await writeFile(
      wrongSchema,
      JSON.stringify({ id: 'DSA-1-1', modified: 'yesterday', affected: 'everything' }),
    );
    const unknownOnly = join(workDir, 'unknown-ecosystem.json');
    await writeFile(
      unknownOnly,
      JSON.stringify({
        id: 'GENTOO-1',
        modified: '2026-11-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'Gentoo', name: 'x' }, ranges: [] }],
      }),
    );
    const hugeLine = join(workDir, 'huge.csv');
    await writeFile(hugeLine, `cve,epss,percentile\nCVE-2099-0001,${'9'.repeat(51 * 1024 * 1024)},0.5\n`);
    const cases: [string, RegExp][] = [
      [zip, /zip|truncat|corrupt/i],
      [wrongSchema, /modified|affected/],
      [unknownOnly, /no record for an ecosystem patchops scans \(found: Gentoo ×1\)/],
      [hugeLine, /line|limit|MB|too long/i],
    ];
    for (const [source, message] of cases) {
      const result = await cli(['advisories', 'import', source]);
      expect(result.code, source).toBe(1);
      expect(result.stderr, source).toMatch(message);
      expect(result.stderr, source).toContain('previous data kept');
    }
    expect(await count()).toBe(before);
    expect(await openOn('all')).toEqual(findingsBefore);
    const view = await exec('/patch advisories');
    expect(view.feeds.find((f: { kind: string }) => f.kind === 'epss').lastError).toMatch(
      /line|limit|MB|too long/i,
    );
  });

  it('alerts when a newly imported KEV entry hits the fleet', async () => {
    const kev = join(workDir, 'kev-new.json');
    await writeFile(
      kev,
      JSON.stringify({
        title: 'test',
        catalogVersion: '2026.11.21',
        dateReleased: '2026-11-21T00:00:00Z',
        count: 2,
        vulnerabilities: [
          {
            cveID: 'CVE-2099-0002',
            vendorProject: 'p',
            product: 'openssl',
            vulnerabilityName: 'x',
            dateAdded: '2026-11-10',
            shortDescription: '',
            requiredAction: 'patch',
            dueDate: '2026-12-01',
            knownRansomwareCampaignUse: 'Known',
            notes: '',
          },
          {
            cveID: 'CVE-2099-0004',
            vendorProject: 'p',
            product: 'stable',
            vulnerabilityName: 'y',
            dateAdded: '2026-11-21',
            shortDescription: '',
            requiredAction: 'mitigate',
            dueDate: '2026-12-12',
            knownRansomwareCampaignUse: 'Unknown',
            notes: '',
          },
        ],
      }),
    );
    const result = await cli(['advisories', 'import', kev]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/KEV .*: 2 records, 1 added.*alert/);
    const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const events = new Queue('events', { connection, prefix: env.PATCHOPS_QUEUE_PREFIX! });
    try {
      const alerts = (await events.getJobs(['waiting']))
        .map((job) => job.data)
        .filter((e) => e.type === 'alert');
      const hit = alerts.find((a) => a.subject === 'CVE-2099-0004');
      expect(hit?.severity).toBe('critical');
      expect(hit?.message).toMatch(/CVE-2099-0004 was just added to CISA KEV and affects 2 host/);
    } finally {
      await events.close();
      connection.disconnect();
    }
  });
});
