import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBotPorts } from '../../src/app/bot-ports.js';
import { handleCommand, type Reply } from '../../src/bot/core/handle.js';
import type { Actor, PermissionConfig } from '../../src/bot/core/permissions.js';
import type { View } from '../../src/bot/core/views.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { writeHostFindings } from '../../src/db/findings.js';
import { listHosts, syncInventory } from '../../src/db/hosts.js';
import { createScanRun, type HostScanOutcome, recordHostScan } from '../../src/db/scans.js';
import {
  auditLog,
  hosts,
  planDecisions,
  planHosts,
  plans,
  rolloutHosts,
  rollouts,
} from '../../src/db/schema/index.js';
import { EngineClient } from '../../src/engine/client.js';
import type { AvailableUpdate, InstalledPackage } from '../../src/engine/package-managers/types.js';
import { utcDay } from '../../src/engine/prioritize/index.js';
import { EngineQueues } from '../../src/engine/queues/index.js';
import { uniquePrefix } from '../support/cli.js';
import { opensslFinding } from '../support/findings.js';
import { createTestDatabase } from '../support/postgres.js';

/*
 * Plans and approvals through handleCommand, on a real Postgres and real Redis queues. No worker runs:
 * approving only creates the rollout and asks the conductor (a queued job) to look at it.
 */

const CONFIG_YAML = `
permissions:
  users:
    alice: [operator]
    bob: [approver]
    carol: [approver]
    dave: [viewer]
    erin: [approver]
    frank: [admin]
  default_roles: []
  members:
    erin: [sre-leads]
approvals:
  environments:
    prod: { groups: [sre-leads], users: [bob], required: 2, expires_after: 1h }
windows:
  weekend: { days: [sat, sun], start: '22:00', end: '04:00', timezone: UTC }
`;

const installed = (name: string, version: string, sourceName = name): InstalledPackage => ({
  name,
  version,
  arch: 'amd64',
  sourceName,
  sourceVersion: version,
});

const update = (name: string, from: string, to: string, security: boolean): AvailableUpdate => ({
  name,
  arch: 'amd64',
  installedVersion: from,
  version: to,
  origin: security ? 'Debian-Security:12/stable-security' : 'Debian:12/stable-updates',
  security,
});

const OPENSSL = ['3.0.11-1~deb12u2', '3.0.13-1~deb12u1'] as const;
const CURL = ['7.88.1-10+deb12u4', '7.88.1-10+deb12u5'] as const;
const NANO = ['7.2-1', '7.2-1+deb12u1'] as const;

/** A web server: openssl and libssl3 (one source), curl and libcurl4 (one source), nano. */
const webScan = {
  installed: [
    installed('openssl', OPENSSL[0]),
    installed('libssl3', OPENSSL[0], 'openssl'),
    installed('curl', CURL[0]),
    installed('libcurl4', CURL[0], 'curl'),
    installed('nano', NANO[0]),
  ],
  updates: [
    update('openssl', ...OPENSSL, true),
    update('libssl3', ...OPENSSL, true),
    // Only the library is flagged security; the binary from the same source must move with it.
    update('curl', ...CURL, false),
    update('libcurl4', ...CURL, true),
    update('nano', ...NANO, false),
  ],
};

const dbScan = {
  installed: [installed('nano', NANO[0]), installed('postgresql-15', '15.6-0+deb12u1')],
  updates: [update('nano', ...NANO, false)],
};

const idleScan = { installed: [installed('nano', NANO[1])], updates: [] };

function okOutcome(scan: { installed: InstalledPackage[]; updates: AvailableUpdate[] }): HostScanOutcome {
  return {
    status: 'ok',
    osId: 'debian',
    osVersion: '12',
    osPretty: 'Debian GNU/Linux 12 (bookworm)',
    packageManager: 'apt',
    scan: { ...scan, rebootRequired: false, rebootPackages: [], refreshed: true, warnings: [] },
  };
}

const host = (name: string, group: string, env: string) => ({
  name,
  address: '10.0.0.1',
  port: 22,
  groups: [group],
  tags: { env },
  vars: {},
});

const errorOf = (view: View) => (view.kind === 'error' ? view.error : undefined);
const messageOf = (view: View) =>
  view.kind === 'error' ? view.error.message : `no error: ${view.kind} ${JSON.stringify(view).slice(0, 300)}`;
const planOf = (view: View) => {
  if (view.kind !== 'plan') throw new Error(`not a plan: ${JSON.stringify(view).slice(0, 500)}`);
  return view.plan;
};
const planNumber = (view: View) => Number(planOf(view).id.slice('plan-'.length));
const texts = (view: View) =>
  'blocks' in view ? view.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])) : [];
const packagesOf = (view: View, hostName: string) =>
  planOf(view)
    .hosts.find((h) => h.host === hostName)
    ?.packages.map((p) => `${p.name} ${p.from}→${p.to}`);

describe('plans and approvals through the bot core', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let redis: Redis;
  let queues: EngineQueues;
  let config: Config;
  let configDir: string;
  let reply: (user: string, text: string) => Promise<Reply>;
  let run: (user: string, text: string) => Promise<View>;
  let actor: (name: string) => Actor;

  const rowsFor = async (planId: number) => ({
    decisions: await database.db.select().from(planDecisions).where(eq(planDecisions.planId, planId)),
    rollouts: await database.db.select().from(rollouts).where(eq(rollouts.planId, planId)),
    plan: (await database.db.select().from(plans).where(eq(plans.id, planId)))[0]!,
  });
  const countPlans = async () =>
    (await database.db.select({ count: sql<number>`count(*)::int` }).from(plans))[0]?.count;
  const auditOf = async (subject: string) =>
    database.db.select().from(auditLog).where(eq(auditLog.subject, subject)).orderBy(auditLog.id);

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'patchops-plans-'));
    const configPath = join(configDir, 'patchops.yml');
    writeFileSync(configPath, CONFIG_YAML);
    config = loadConfig({ PATCHOPS_CONFIG: configPath });
    const file = config.file.permissions!;
    // As src/app/bot.ts builds them: roles from patchops.yml, groups of a local user from `members`.
    const permissions: PermissionConfig = {
      users: file.users,
      groups: file.groups,
      defaultRoles: file.default_roles,
    };
    actor = (name) => ({ id: name, name, groups: file.members[name] ?? [] });

    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    queues = new EngineQueues({ connection: redis, prefix: uniquePrefix(), scanAttempts: 1 });
    const ports = createBotPorts(database.db, new EngineClient(database.db, queues), config);
    reply = (user, text) => handleCommand(text, actor(user), ports, permissions);
    run = async (user, text) => (await reply(user, text)).view;

    await syncInventory(database.db, [
      host('web-01', 'web', 'prod'),
      host('web-02', 'web', 'prod'),
      host('web-03', 'web', 'prod'),
      host('db-01', 'db', 'prod'),
      host('stg-01', 'web', 'staging'),
      host('stg-02', 'web', 'staging'),
      host('old-01', 'web', 'staging'),
    ]);
    const all = await listHosts(database.db);
    const scan = await createScanRun(database.db, {
      selector: 'all',
      requestedBy: 'alice',
      refresh: 'auto',
      hostIds: all.map((h) => h.id),
    });
    for (const h of all) {
      const data = h.name.startsWith('db-') ? dbScan : h.name === 'stg-02' ? idleScan : webScan;
      expect((await recordHostScan(database.db, scan.id, h.id, okOutcome(data))).recorded).toBe(true);
    }
    // old-01's last scan is two days old: too old to plan from (max_scan_age defaults to 24h).
    await database.db
      .update(hosts)
      .set({ lastScanAt: sql`now() - interval '2 days 1 hour'` })
      .where(eq(hosts.name, 'old-01'));
    // A finding on web-01 only, for --cve.
    const web01 = all.find((h) => h.name === 'web-01')!;
    const today = utcDay(new Date());
    await writeHostFindings(
      database.db,
      web01.id,
      [opensslFinding(today, { installed: OPENSSL[0], fixed: OPENSSL[1] })],
      new Date(),
    );
  });

  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    await database?.close();
    await target?.drop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  describe('plan output', () => {
    it('plans every update of prod in the default waves, pinned from → to, with the approval rule of prod', async () => {
      const view = await run('alice', '/patch plan tag:env=prod');
      const plan = planOf(view);
      expect(plan).toMatchObject({
        selector: 'tag:env=prod',
        requestedBy: 'alice',
        status: 'pending',
        scope: 'every available update',
        waveSpec: '1,10%,50%,100%',
        waveSizes: [1, 1, 2],
        environments: ['prod'],
        approvalsRequired: 2,
        approvers: 'group sre-leads or user bob',
        skipped: [],
        decisions: [],
        rolloutId: null,
        window: null,
        maxFailures: '0',
        maxTotalFailures: '0',
      });
      // Hosts in name order fill the waves: the canary first.
      expect(plan.hosts.map((h) => [h.host, h.wave])).toEqual([
        ['db-01', 1],
        ['web-01', 2],
        ['web-02', 3],
        ['web-03', 3],
      ]);
      expect(packagesOf(view, 'db-01')).toEqual([`nano ${NANO[0]}→${NANO[1]}`]);
      expect(packagesOf(view, 'web-02')).toEqual([
        `curl ${CURL[0]}→${CURL[1]}`,
        `libcurl4 ${CURL[0]}→${CURL[1]}`,
        `libssl3 ${OPENSSL[0]}→${OPENSSL[1]}`,
        `nano ${NANO[0]}→${NANO[1]}`,
        `openssl ${OPENSSL[0]}→${OPENSSL[1]}`,
      ]);
      // The plan expires after prod's 1h (created_at is the database's clock, expires_at the bot's).
      expect(Math.abs(Date.parse(plan.expiresAt) - Date.parse(plan.createdAt) - 3_600_000)).toBeLessThan(
        5000,
      );
      // The card shows versions and carries the Approve and Deny buttons.
      const table = view.kind === 'plan' ? view.blocks.find((b) => b.type === 'table') : undefined;
      expect(table?.type === 'table' && table.rows).toContainEqual([
        '1',
        'db-01',
        'nano',
        `${NANO[0]} → ${NANO[1]}`,
      ]);
      expect(texts(view)).toContain('0 of 2 approvals · needs: group sre-leads or user bob');
      const actions = view.kind === 'plan' ? view.blocks.find((b) => b.type === 'actions') : undefined;
      expect(actions?.type === 'actions' && actions.buttons.map((b) => b.command)).toEqual([
        `approve ${plan.id}`,
        `deny ${plan.id}`,
      ]);

      // Stored as shown: one plan_hosts row per planned host with its pinned packages.
      const stored = await database.db
        .select()
        .from(planHosts)
        .where(eq(planHosts.planId, planNumber(view)));
      expect(stored).toHaveLength(4);
      const audited = await auditOf(plan.id);
      expect(audited.map((a) => a.action)).toEqual(['plan.created']);
      expect(audited[0]?.details).toMatchObject({ hosts: 4, packages: 16, waves: '1,10%,50%,100%' });
    });

    it('--security keeps security updates and their source siblings, and skips hosts left with nothing', async () => {
      const view = await run('alice', '/patch plan tag:env=prod --security --waves 1,100%');
      const plan = planOf(view);
      expect(plan.scope).toBe('security updates');
      expect(plan.waveSpec).toBe('1,100%');
      expect(plan.waveSizes).toEqual([1, 2]);
      expect(plan.hosts.map((h) => [h.host, h.wave])).toEqual([
        ['web-01', 1],
        ['web-02', 2],
        ['web-03', 2],
      ]);
      expect(plan.skipped).toEqual([{ host: 'db-01', reason: 'no update matches the filters' }]);
      // curl itself is not a security update, but libcurl4 from the same source is: they move together.
      expect(packagesOf(view, 'web-01')).toEqual([
        `curl ${CURL[0]}→${CURL[1]}`,
        `libcurl4 ${CURL[0]}→${CURL[1]}`,
        `libssl3 ${OPENSSL[0]}→${OPENSSL[1]}`,
        `openssl ${OPENSSL[0]}→${OPENSSL[1]}`,
      ]);
      expect(texts(view)).toContain('Skipped 1 host (no update matches the filters: db-01)');
    });

    it('--packages names one binary; its source siblings come along', async () => {
      const plan = planOf(await run('alice', '/patch plan web-* --packages libssl3 --waves 100%'));
      expect(plan.scope).toBe('packages libssl3');
      expect(plan.waveSizes).toEqual([3]);
      for (const h of plan.hosts)
        expect(h.packages).toEqual([
          { name: 'libssl3', arch: 'amd64', from: OPENSSL[0], to: OPENSSL[1] },
          { name: 'openssl', arch: 'amd64', from: OPENSSL[0], to: OPENSSL[1] },
        ]);
    });

    it('--cve patches only hosts with an open finding for it', async () => {
      const view = await run('alice', '/patch plan tag:env=prod --cve cve-2099-0001');
      const plan = planOf(view);
      expect(plan.scope).toBe('updates for CVE-2099-0001');
      expect(plan.hosts.map((h) => h.host)).toEqual(['web-01']);
      expect(packagesOf(view, 'web-01')).toEqual([
        `libssl3 ${OPENSSL[0]}→${OPENSSL[1]}`,
        `openssl ${OPENSSL[0]}→${OPENSSL[1]}`,
      ]);
      expect(plan.skipped.map((s) => s.host)).toEqual(['db-01', 'web-02', 'web-03']);
    });

    it('staging uses the default rule (any approver, one approval); a host with no updates is skipped', async () => {
      const plan = planOf(await run('alice', '/patch plan stg-*'));
      expect(plan).toMatchObject({
        environments: ['staging'],
        approvalsRequired: 1,
        approvers: 'any approver',
        skipped: [{ host: 'stg-02', reason: 'nothing to update' }],
      });
      expect(plan.hosts.map((h) => h.host)).toEqual(['stg-01']);
      expect(Math.abs(Date.parse(plan.expiresAt) - Date.parse(plan.createdAt) - 24 * 3_600_000)).toBeLessThan(
        5000,
      );
    });

    it('refuses a plan with nothing to patch', async () => {
      const error = errorOf(await run('alice', '/patch plan stg-02'));
      expect(error).toMatchObject({ code: 'nothing_to_patch' });
      expect(error?.message).toBe('nothing to patch on stg-02 (stg-02: nothing to update)');
    });

    it('refuses a stale scan with a hint to scan, and saves nothing', async () => {
      const before = await countPlans();
      const alone = errorOf(await run('alice', '/patch plan old-01'));
      expect(alone).toEqual({
        code: 'stale_scan',
        message: 'scan first: a plan needs a fresh scan of every host; old-01 (last scan 2 days ago)',
        hint: '/patch scan old-01',
      });
      // One stale host among fresh ones refuses the whole plan.
      const mixed = errorOf(await run('alice', '/patch plan tag:env=staging --security'));
      expect(mixed?.code).toBe('stale_scan');
      expect(mixed?.message).toContain('old-01 (last scan 2 days ago)');
      expect(mixed?.message).not.toContain('stg-01');
      expect(mixed?.hint).toBe('/patch scan tag:env=staging');
      const after = await countPlans();
      expect(after).toBe(before);
    });

    it('refuses an unknown --window and names the configured ones; takes a known one', async () => {
      expect(errorOf(await run('alice', '/patch plan stg-01 --window nightly'))).toEqual({
        code: 'invalid_value',
        message: "no maintenance window 'nightly' (configured: weekend)",
        hint: 'windows are set in patchops.yml',
      });
      expect(planOf(await run('alice', '/patch plan stg-01 --window weekend')).window).toBe('weekend');
    });

    it('plans are operating work: viewers and approvers may not make one', async () => {
      expect(messageOf(await run('dave', '/patch plan stg-01'))).toBe(
        'plan needs the operator or admin role; you have viewer',
      );
      expect(messageOf(await run('bob', '/patch plan stg-01'))).toBe(
        'plan needs the operator or admin role; you have approver',
      );
    });
  });

  // No worker runs here: approved rollouts stay 'running'. Abort them so the next plan may take the hosts.
  const abortUnfinished = () =>
    database.db
      .update(rollouts)
      .set({ status: 'aborted' })
      .where(notInArray(rollouts.status, ['done', 'aborted']));

  describe('approvals', () => {
    afterEach(abortUnfinished);

    it('refuses self-approval; the requester may withdraw their own plan', async () => {
      const id = planOf(await run('frank', '/patch plan stg-01')).id;
      const refused = errorOf(await run('frank', `/patch approve ${id}`));
      expect(refused).toEqual({
        code: 'forbidden',
        message: `${id} was requested by you: another approver must approve it`,
      });
      const withdrawn = await run('frank', `/patch deny ${id} --reason "wrong hosts selected"`);
      expect(planOf(withdrawn).status).toBe('denied');
      expect(texts(withdrawn).some((t) => t.startsWith('Withdrawn by frank'))).toBe(true);
      expect(messageOf(await run('bob', `/patch approve ${id}`))).toMatch(
        new RegExp(
          `^${id} was withdrawn by frank at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: wrong hosts selected$`,
        ),
      );
      const n = Number(id.slice(5));
      const { decisions, rollouts: made } = await rowsFor(n);
      expect(decisions.map((d) => [d.actor, d.decision])).toEqual([['frank', 'deny']]);
      expect(made).toEqual([]);
    });

    it('refuses non-approvers: no approve role (permissions), or not eligible for prod (the rule)', async () => {
      const id = planOf(await run('alice', '/patch plan tag:env=prod --security')).id;
      expect(errorOf(await run('dave', `/patch approve ${id}`))).toEqual({
        code: 'forbidden',
        message: 'approve needs the approver or admin role; you have viewer',
        hint: 'ask an admin to grant you approver',
      });
      expect(errorOf(await run('alice', `/patch approve ${id}`))?.message).toBe(
        'approve needs the approver or admin role; you have operator',
      );
      expect(errorOf(await run('carol', `/patch approve ${id}`))).toEqual({
        code: 'forbidden',
        message: `${id} touches prod: it needs an approval from group sre-leads or user bob`,
      });
      expect(messageOf(await run('carol', `/patch deny ${id} --reason "not on a friday"`))).toBe(
        `${id} touches prod: it can be denied only by group sre-leads or user bob or its requester`,
      );
      const n = Number(id.slice(5));
      const { decisions, plan } = await rowsFor(n);
      expect(decisions).toEqual([]);
      expect(plan.status).toBe('pending');
      // The role refusal is audited as a denied command; the rule's refusals change nothing.
      const denied = await database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'command.denied'), eq(auditLog.actor, 'dave')));
      expect(denied.map((d) => d.details)).toContainEqual({
        command: 'approve',
        text: `/patch approve ${id}`,
      });
    });

    it('counts N of M: one approval is recorded, a repeat changes nothing, the second distinct one approves and creates exactly one rollout', async () => {
      const created = await run('alice', '/patch plan tag:env=prod');
      const id = planOf(created).id;
      const n = planNumber(created);

      const first = await run('bob', `/patch approve ${id}`);
      expect(planOf(first)).toMatchObject({ status: 'pending', rolloutId: null });
      expect(texts(first)).toContain('1 of 2 approvals: bob · needs: group sre-leads or user bob');

      const again = errorOf(await run('bob', `/patch approve ${id}`));
      expect(again).toEqual({
        code: 'invalid_value',
        message: `you already approved ${id} (1 of 2 approvals)`,
      });
      expect((await rowsFor(n)).decisions.map((d) => [d.actor, d.decision])).toEqual([['bob', 'approve']]);

      const approved = await reply('erin', `/patch approve ${id}`);
      expect(approved.view.kind).toBe('rollout');
      const { decisions, rollouts: made, plan } = await rowsFor(n);
      expect(decisions.map((d) => [d.actor, d.decision])).toEqual([
        ['bob', 'approve'],
        ['erin', 'approve'],
      ]);
      expect(plan.status).toBe('approved');
      expect(plan.decidedAt).not.toBeNull();
      expect(made).toHaveLength(1);
      const rollout = made[0]!;
      expect(rollout).toMatchObject({ status: 'running', currentWave: 0, override: false });
      expect(approved.watch).toEqual({ kind: 'rollout', id: rollout.id });
      expect(approved.view.kind === 'rollout' && approved.view.rollout).toMatchObject({
        id: `rollout-${rollout.id}`,
        planId: id,
        status: 'running',
        waves: [
          { wave: 1, size: 1, pending: 1, running: 0, ok: 0, failed: 0 },
          { wave: 2, size: 1, pending: 1, running: 0, ok: 0, failed: 0 },
          { wave: 3, size: 2, pending: 2, running: 0, ok: 0, failed: 0 },
        ],
      });

      // Every planned host is in the rollout, in its planned wave, pending.
      const planned = await database.db
        .select({ hostId: planHosts.hostId, wave: planHosts.wave })
        .from(planHosts)
        .where(eq(planHosts.planId, n));
      const inRollout = await database.db
        .select({ hostId: rolloutHosts.hostId, wave: rolloutHosts.wave, status: rolloutHosts.status })
        .from(rolloutHosts)
        .where(eq(rolloutHosts.rolloutId, rollout.id));
      const byHost = (a: { hostId: number }, b: { hostId: number }) => a.hostId - b.hostId;
      expect(inRollout.sort(byHost)).toEqual(planned.sort(byHost).map((p) => ({ ...p, status: 'pending' })));

      // The conductor was asked to look at it: an advance job on the rollout queue.
      const jobs = await queues.rollouts.getJobs(['delayed', 'waiting', 'prioritized']);
      expect(jobs.map((j) => j.data)).toContainEqual({ rolloutId: rollout.id });

      // Later decisions are refused and change nothing.
      expect(messageOf(await run('bob', `/patch approve ${id}`))).toBe(
        `${id} is already approved (rollout-${rollout.id})`,
      );
      expect(messageOf(await run('erin', `/patch deny ${id} --reason "changed my mind"`))).toBe(
        `${id} is already approved (rollout-${rollout.id})`,
      );
      expect((await rowsFor(n)).decisions).toHaveLength(2);
      expect(await database.db.select().from(rollouts).where(eq(rollouts.planId, n))).toHaveLength(1);

      // Every decision is in the audit log, with its outcome.
      const audited = await auditOf(id);
      expect(audited.map((a) => [a.actor, a.action, a.details.outcome])).toEqual([
        ['alice', 'plan.created', undefined],
        ['bob', 'plan.approve', 'recorded'],
        ['erin', 'plan.approve', 'approved'],
      ]);
      expect((await auditOf(`rollout-${rollout.id}`)).map((a) => [a.actor, a.action, a.details])).toEqual([
        ['erin', 'rollout.created', { plan: id, waves: '1,10%,50%,100%' }],
      ]);
      // Each command, refused or not, was audited as typed.
      const commands = (
        await database.db
          .select({ actor: auditLog.actor, details: auditLog.details })
          .from(auditLog)
          .where(eq(auditLog.action, 'command'))
      ).filter((c) => String(c.details.text).split(' ').includes(id));
      expect(commands.map((c) => [c.actor, c.details.text])).toEqual([
        ['bob', `/patch approve ${id}`],
        ['bob', `/patch approve ${id}`],
        ['erin', `/patch approve ${id}`],
        ['bob', `/patch approve ${id}`],
        ['erin', `/patch deny ${id} --reason "changed my mind"`],
      ]);
    });

    it('the group membership from `members` is what makes erin eligible for prod', async () => {
      const id = planOf(await run('alice', '/patch plan web-01')).id;
      const ports = createBotPorts(database.db, new EngineClient(database.db, queues), config);
      const file = config.file.permissions!;
      const permissions = { users: file.users, groups: file.groups, defaultRoles: file.default_roles };
      const noGroups = await handleCommand(
        `/patch approve ${id}`,
        { id: 'erin', name: 'erin', groups: [] },
        ports,
        permissions,
      );
      expect(messageOf(noGroups.view)).toBe(
        `${id} touches prod: it needs an approval from group sre-leads or user bob`,
      );
      expect(planOf(await run('erin', `/patch approve ${id}`)).decisions.map((d) => d.actor)).toEqual([
        'erin',
      ]);
    });

    it('refuses a decision on an expired plan and marks it expired', async () => {
      const view = await run('alice', '/patch plan stg-01');
      const id = planOf(view).id;
      const n = planNumber(view);
      await database.db
        .update(plans)
        .set({ expiresAt: sql`now() - interval '5 minutes'` })
        .where(eq(plans.id, n));
      // Shown as expired before anyone touches it.
      const shown = await run('dave', `/patch status ${id}`);
      expect(shown.kind === 'plan' && shown.title).toBe(`Plan ${id} · stg-01 · expired`);

      const refused = errorOf(await run('bob', `/patch approve ${id}`));
      expect(refused?.code).toBe('invalid_value');
      expect(refused?.message).toMatch(
        new RegExp(`^${id} expired at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: make a new plan$`),
      );
      const { plan, decisions, rollouts: made } = await rowsFor(n);
      expect(plan.status).toBe('expired');
      expect(decisions).toEqual([]);
      expect(made).toEqual([]);
      expect(messageOf(await run('erin', `/patch approve ${id}`))).toBe(refused?.message);
      expect((await auditOf(id)).map((a) => [a.actor, a.action])).toEqual([
        ['alice', 'plan.created'],
        ['engine', 'plan.expired'],
      ]);
    });

    it('refuses an approval after a denial', async () => {
      const view = await run('alice', '/patch plan tag:env=prod --packages nano');
      const id = planOf(view).id;
      const n = planNumber(view);
      const denied = await run('erin', `/patch deny ${id} --reason "change freeze this week"`);
      expect(planOf(denied).status).toBe('denied');
      expect(texts(denied).some((t) => /^Denied by erin, .*: change freeze this week$/.test(t))).toBe(true);
      expect(messageOf(await run('bob', `/patch approve ${id}`))).toMatch(
        new RegExp(
          `^${id} was denied by erin at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: change freeze this week$`,
        ),
      );
      const { plan, decisions, rollouts: made } = await rowsFor(n);
      expect(plan.status).toBe('denied');
      expect(decisions.map((d) => [d.actor, d.decision, d.reason])).toEqual([
        ['erin', 'deny', 'change freeze this week'],
      ]);
      expect(made).toEqual([]);
      expect((await auditOf(id)).map((a) => [a.actor, a.action, a.details.outcome])).toEqual([
        ['alice', 'plan.created', undefined],
        ['erin', 'plan.deny', 'denied'],
      ]);
    });

    it('two approvers clicking at once on a one-approval plan: one approves, one rollout, the other is told', async () => {
      for (let round = 0; round < 5; round++) {
        const view = await run('alice', '/patch plan stg-01');
        const id = planOf(view).id;
        const n = planNumber(view);
        const results = await Promise.all([
          run('bob', `/patch approve ${id}`),
          run('carol', `/patch approve ${id}`),
        ]);
        await abortUnfinished();
        const approved = results.filter((v) => v.kind === 'rollout');
        const refused = results.filter((v) => v.kind === 'error');
        expect(approved).toHaveLength(1);
        expect(refused).toHaveLength(1);
        const { rollouts: made, decisions, plan } = await rowsFor(n);
        expect(made).toHaveLength(1);
        expect(plan.status).toBe('approved');
        expect(decisions).toHaveLength(1);
        expect(messageOf(refused[0]!)).toBe(`${id} is already approved (rollout-${made[0]!.id})`);
        const outcomes = (await auditOf(id)).filter((a) => a.action === 'plan.approve');
        expect(outcomes.map((a) => a.details.outcome)).toEqual(['approved']);
        expect(outcomes[0]?.actor).toBe(decisions[0]?.actor);
      }
    });
  });

  describe('status views', () => {
    it('refuses to plan, or to start, hosts that are in a rollout not finished yet, naming it', async () => {
      const id = planOf(await run('alice', '/patch plan stg-01')).id;
      const rival = planOf(await run('alice', '/patch plan stg-01')).id;
      await run('bob', `/patch approve ${id}`);
      const blocked = errorOf(await run('bob', `/patch approve ${rival}`));
      expect(blocked?.code).toBe('conflict');
      expect(blocked?.message).toMatch(
        new RegExp(
          `^${rival} cannot start: hosts are in a rollout that has not finished: stg-01 \\(rollout-\\d+, running\\)$`,
        ),
      );
      expect((await rowsFor(planNumber(await run('dave', `/patch status ${rival}`)))).rollouts).toEqual([]);
      const refused = errorOf(await run('alice', '/patch plan stg-*'));
      expect(refused?.code).toBe('conflict');
      expect(refused?.message).toMatch(
        /^already in a rollout that has not finished: stg-01 \(rollout-\d+, running\)$/,
      );
      await abortUnfinished();
      planOf(await run('alice', '/patch plan stg-*'));
    });

    it('shows a plan and a rollout by id, and says when there is none', async () => {
      const view = await run('alice', '/patch plan stg-01');
      const id = planOf(view).id;
      await run('bob', `/patch approve ${id}`);

      const plan = await reply('dave', `/patch status ${id}`);
      expect(plan.watch).toBeUndefined();
      const summary = planOf(plan.view);
      expect(summary).toMatchObject({ id, status: 'approved', selector: 'stg-01' });
      expect(summary.rolloutId).toMatch(/^rollout-\d+$/);
      expect(plan.view.kind === 'plan' && plan.view.title).toBe(`Plan ${id} · stg-01 · approved`);
      expect(texts(plan.view)).toContain(
        `Rolling out as ${summary.rolloutId} — /patch status ${summary.rolloutId}`,
      );

      const rolloutId = summary.rolloutId!;
      const rollout = await reply('dave', `/patch status ${rolloutId}`);
      expect(rollout.watch).toEqual({ kind: 'rollout', id: Number(rolloutId.slice('rollout-'.length)) });
      expect(rollout.view.kind === 'rollout' && rollout.view.rollout).toMatchObject({
        id: rolloutId,
        planId: id,
        selector: 'stg-01',
        requestedBy: 'alice',
        status: 'running',
        currentWave: 0,
        waves: [{ wave: 1, size: 1, pending: 1 }],
      });
      expect(rollout.view.kind === 'rollout' && rollout.view.hosts).toMatchObject([
        { host: 'stg-01', wave: 1, status: 'pending', error: null },
      ]);

      expect(messageOf(await run('dave', '/patch status plan-99999'))).toBe("no run 'plan-99999'");
      expect(messageOf(await run('dave', '/patch status rollout-99999'))).toBe("no run 'rollout-99999'");
    });
  });
});
