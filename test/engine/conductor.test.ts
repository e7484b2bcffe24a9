import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { listHosts, syncInventory } from '../../src/db/hosts.js';
import { createPlan, decidePlan } from '../../src/db/plans.js';
import {
  claimHost,
  claimRollback,
  finishHost,
  getRolloutState,
  type HostOutcome,
  pendingRollbacks,
  requestRollback,
  steerRollout,
} from '../../src/db/rollouts.js';
import { auditLog, rolloutHosts, rollouts } from '../../src/db/schema/index.js';
import { EngineClient } from '../../src/engine/client.js';
import { advanceRollout, type ConductorContext } from '../../src/engine/conductor/advance.js';
import type { EngineEvent } from '../../src/engine/events/index.js';
import { EngineQueues, type PatchHostJob, patchQueueName } from '../../src/engine/queues/index.js';
import { maintenanceWindowSchema, WEEKDAYS } from '../../src/engine/rollouts/windows.js';
import { createLogger } from '../../src/logger.js';
import { uniquePrefix } from '../support/cli.js';
import { createTestDatabase } from '../support/postgres.js';

/*
 * The conductor on a real Postgres and real Redis, without hosts: we call advanceRollout ourselves and play
 * the patch worker by claiming and finishing rollout_hosts rows under a lease, as src/engine/patch does.
 */

const HOSTS = ['h-01', 'h-02', 'h-03', 'h-04'];

const ok: HostOutcome = { status: 'ok' };
const healthFailed: HostOutcome = {
  status: 'failed',
  errorCode: 'verify',
  errorMessage: 'verification failed',
  failedCheck: 'health: /usr/bin/web-health exited 1',
};

/** A window on the weekday three days from today (UTC): closed now, and not left over from yesterday. */
const closedDayIndex = (new Date().getUTCDay() + 6 + 3) % 7;

describe('advanceRollout: waves, budgets, bake, windows and leases', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let redis: Redis;
  let queues: EngineQueues;
  let patchQueue: Queue;
  let ctx: ConductorContext;
  const ids = new Map<string, number>();
  const idOf = (name: string) => ids.get(name)!;
  const nameOf = (id: number) => [...ids].find(([, hostId]) => hostId === id)?.[0];

  /** A plan over the given hosts (wave per host), approved: returns the rollout id. */
  async function approvedRollout(options: {
    waves: [string, number][];
    bakeSeconds?: number;
    maxFailures?: string;
    window?: string | null;
  }): Promise<number> {
    const waveCount = Math.max(...options.waves.map(([, wave]) => wave));
    const waveSizes = Array.from(
      { length: waveCount },
      (_, i) => options.waves.filter(([, wave]) => wave === i + 1).length,
    );
    const plan = await createPlan(database.db, {
      selector: options.waves.map(([name]) => name).join(','),
      requestedBy: 'alice',
      filters: {},
      scope: 'every available update',
      waveSpec: waveSizes.join(','),
      waveSizes,
      concurrency: null,
      bakeSeconds: options.bakeSeconds ?? 0,
      maxFailures: options.maxFailures ?? '0',
      maxTotalFailures: options.maxFailures ?? '0',
      reboot: 'never',
      autoRollback: false,
      window: options.window ?? null,
      skipped: [],
      environments: ['test'],
      approvalsRequired: 1,
      approvers: 'any approver',
      scannedAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
      hosts: options.waves.map(([name, wave]) => ({
        hostId: idOf(name),
        wave,
        packages: [{ name: 'openssl', arch: 'amd64', from: '3.0.11-1', to: '3.0.13-1' }],
      })),
    });
    const decided = await decidePlan(database.db, plan.id, 'bob', () => ({
      ok: true,
      decision: 'approve',
      reason: null,
      outcome: 'approved',
    }));
    expect(decided?.rolloutId).toEqual(expect.any(Number));
    return decided!.rolloutId!;
  }

  const state = async (rolloutId: number) => (await getRolloutState(database.db, rolloutId))!;
  const hostRow = async (rolloutId: number, name: string) =>
    (await state(rolloutId)).hosts.find((h) => h.hostName === name)!;

  /** Patch jobs enqueued for this rollout, as [host, attempt key] in host order. */
  async function patchJobs(rolloutId: number) {
    const jobs = await patchQueue.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    return jobs
      .filter((job) => (job.data as PatchHostJob).rolloutId === rolloutId)
      .map((job) => ({ host: nameOf((job.data as PatchHostJob).hostId), id: job.id!, data: job.data }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  const jobHosts = async (rolloutId: number) => (await patchJobs(rolloutId)).map((j) => j.host).sort();

  async function events(rolloutId: number): Promise<EngineEvent[]> {
    const jobs = await queues.events.getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs
      .map((job) => job.data as EngineEvent)
      .filter((e) =>
        e.type === 'alert'
          ? e.subject === `rollout-${rolloutId}`
          : e.type === 'rollout.changed' && e.rolloutId === rolloutId,
      );
  }
  const alerts = async (rolloutId: number) => (await events(rolloutId)).filter((e) => e.type === 'alert');

  async function advanceJobs(rolloutId: number) {
    const jobs = await queues.rollouts.getJobs(['delayed', 'waiting', 'prioritized']);
    return jobs.filter((job) => job.data.rolloutId === rolloutId);
  }

  /** What a patch worker does with one host: claim it under a lease, record a phase, finish it. */
  async function work(rolloutId: number, name: string, outcome: HostOutcome, owner = `worker-${name}`) {
    const claimed = await claimHost(database.db, rolloutId, idOf(name), owner, ctx.leaseMs);
    expect(claimed?.leaseOwner).toBe(owner);
    // The phase it got to, as the worker records it while it works.
    await database.db
      .update(rolloutHosts)
      .set({ phase: 'verify' })
      .where(and(eq(rolloutHosts.rolloutId, rolloutId), eq(rolloutHosts.hostId, idOf(name))));
    expect(await finishHost(database.db, rolloutId, idOf(name), owner, outcome)).toBe(true);
  }

  const auditActions = async (rolloutId: number) =>
    (
      await database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subject, `rollout-${rolloutId}`))
        .orderBy(auditLog.id)
    ).map((a) => a.action);

  beforeAll(async () => {
    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const prefix = uniquePrefix();
    queues = new EngineQueues({ connection: redis, prefix, scanAttempts: 1 });
    patchQueue = new Queue(patchQueueName(undefined), { connection: redis, prefix });
    const closedDay = WEEKDAYS[closedDayIndex]!;
    ctx = {
      db: database.db,
      queues,
      logger: createLogger('silent'),
      leaseMs: 60_000,
      maxDispatches: 2,
      windows: {
        maint: maintenanceWindowSchema.parse({ days: [closedDay], start: '10:00', end: '11:00' }),
        always: maintenanceWindowSchema.parse({ days: [...WEEKDAYS], start: '00:00', end: '00:00' }),
      },
    };
    await syncInventory(
      database.db,
      HOSTS.map((name, i) => ({
        name,
        address: `10.0.1.${i + 1}`,
        port: 22,
        groups: ['web'],
        tags: { env: 'test' },
        vars: {},
      })),
    );
    for (const h of await listHosts(database.db)) ids.set(h.name, h.id);
  });

  afterAll(async () => {
    await patchQueue?.close();
    await queues?.close();
    redis?.disconnect();
    await database?.close();
    await target?.drop();
  });

  it('dispatches exactly the canary, then the next wave once it is ok, then finishes', async () => {
    const id = await approvedRollout({
      waves: [
        ['h-01', 1],
        ['h-02', 2],
        ['h-03', 2],
      ],
    });
    const createdAt = (await state(id)).rollout.createdAt.getTime();

    await advanceRollout(ctx, id);
    const first = await patchJobs(id);
    expect(first).toEqual([
      {
        host: 'h-01',
        id: `patch-${id}.${createdAt}.1-${idOf('h-01')}`,
        data: { rolloutId: id, hostId: idOf('h-01'), mode: 'patch' },
      },
    ]);
    let current = await state(id);
    expect(current.rollout).toMatchObject({ status: 'running', currentWave: 1 });
    expect(current.rollout.startedAt).not.toBeNull();
    expect(current.hosts.map((h) => [h.hostName, h.status, h.attempts])).toEqual([
      ['h-01', 'running', 1],
      ['h-02', 'pending', 0],
      ['h-03', 'pending', 0],
    ]);
    // The lease of the dispatched host is in the future, and a watchdog step is queued for when it lapses.
    expect(current.hosts[0]!.leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect((await advanceJobs(id)).some((job) => (job.opts.delay ?? 0) > 50_000)).toBe(true);

    // A step with nothing new changes nothing and dispatches nothing.
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01']);

    await work(id, 'h-01', ok);
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02', 'h-03']);
    current = await state(id);
    expect(current.rollout).toMatchObject({ status: 'running', currentWave: 2 });
    expect(current.hosts.map((h) => [h.hostName, h.status])).toEqual([
      ['h-01', 'ok'],
      ['h-02', 'running'],
      ['h-03', 'running'],
    ]);

    await work(id, 'h-02', ok);
    await advanceRollout(ctx, id);
    expect((await state(id)).rollout.status).toBe('running'); // h-03 is still going
    await work(id, 'h-03', ok);
    await advanceRollout(ctx, id);
    current = await state(id);
    expect(current.rollout.status).toBe('done');
    expect(current.rollout.finishedAt).not.toBeNull();
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02', 'h-03']);
    expect((await events(id)).filter((e) => e.type === 'rollout.changed').at(-1)).toEqual({
      type: 'rollout.changed',
      rolloutId: id,
      final: true,
    });
    expect(await alerts(id)).toEqual([]);
    expect(await auditActions(id)).toEqual([
      'rollout.created',
      'rollout.wave.started',
      'rollout.host.ok',
      'rollout.wave.started',
      'rollout.host.ok',
      'rollout.host.ok',
      'rollout.done',
    ]);
  });

  it('halts on a canary failure with budget 0, alerts with the host and its failed check, and resume acknowledges it', async () => {
    const id = await approvedRollout({
      waves: [
        ['h-01', 1],
        ['h-02', 2],
        ['h-03', 3],
        ['h-04', 3],
      ],
    });
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01']);
    await work(id, 'h-01', healthFailed);
    await advanceRollout(ctx, id);

    let current = await state(id);
    expect(current.rollout.status).toBe('halted');
    expect(current.rollout.statusReason).toBe(
      'wave 1: 1 of 1 hosts failed (budget 0); rollout: 1 of 4 hosts failed (budget 0)',
    );
    expect(await jobHosts(id)).toEqual(['h-01']); // nothing of wave 2
    const [alert, ...more] = await alerts(id);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ type: 'alert', severity: 'critical', subject: `rollout-${id}` });
    const message = alert?.type === 'alert' ? alert.message : '';
    expect(message.split('\n')).toEqual([
      `rollout-${id} halted: ${current.rollout.statusReason}`,
      'h-01 (verify): health: /usr/bin/web-health exited 1',
      `Resume, abort or roll back: /patch status rollout-${id}`,
    ]);
    expect(await events(id)).toContainEqual({ type: 'rollout.changed', rolloutId: id, final: true });

    // Halted stays halted: no dispatch, no second alert.
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01']);
    expect(await alerts(id)).toHaveLength(1);

    // Resume acknowledges the failure so far; the next step starts wave 2.
    expect(await steerRollout(database.db, id, 'resume', 'alice', null)).toEqual({ ok: true });
    current = await state(id);
    expect(current.rollout).toMatchObject({ status: 'running', acknowledgedFailures: [idOf('h-01')] });
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02']);
    expect((await state(id)).rollout).toMatchObject({ status: 'running', currentWave: 2 });
    // The acknowledged failure stays failed on the host, but no longer counts against the budgets.
    expect((await hostRow(id, 'h-01')).status).toBe('failed');
    await work(id, 'h-02', ok);
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02', 'h-03', 'h-04']);
    expect(await alerts(id)).toHaveLength(1);

    const actions = await auditActions(id);
    expect(actions).toContain('rollout.halted');
    expect(actions).toContain('rollout.resume');
  });

  it('pause stops new dispatches; resume continues; abort ends it for good', async () => {
    const id = await approvedRollout({
      waves: [
        ['h-01', 1],
        ['h-02', 2],
        ['h-03', 3],
      ],
    });
    await advanceRollout(ctx, id);
    expect(await steerRollout(database.db, id, 'pause', 'alice', null)).toEqual({ ok: true });
    expect((await state(id)).rollout).toMatchObject({ status: 'paused', statusReason: 'paused by alice' });

    // The running host may finish; nothing new starts.
    await work(id, 'h-01', ok);
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01']);
    expect((await state(id)).rollout).toMatchObject({ status: 'paused', currentWave: 1 });
    expect(await steerRollout(database.db, id, 'pause', 'alice', null)).toEqual({
      ok: false,
      status: 'paused',
    });

    expect(await steerRollout(database.db, id, 'resume', 'alice', null)).toEqual({ ok: true });
    await advanceRollout(ctx, id);
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02']);

    expect(await steerRollout(database.db, id, 'abort', 'carol', null)).toEqual({ ok: true });
    let current = await state(id);
    expect(current.rollout).toMatchObject({ status: 'aborted', statusReason: 'aborted by carol' });
    expect(current.rollout.finishedAt).not.toBeNull();
    // h-02 was already running: it finishes, and still nothing more starts.
    await work(id, 'h-02', ok);
    await advanceRollout(ctx, id);
    current = await state(id);
    expect(current.rollout.status).toBe('aborted');
    expect(current.hosts.map((h) => [h.hostName, h.status])).toEqual([
      ['h-01', 'ok'],
      ['h-02', 'ok'],
      ['h-03', 'pending'],
    ]);
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02']);
    for (const action of ['resume', 'pause', 'abort', 'override'] as const)
      expect(await steerRollout(database.db, id, action, 'alice', null)).toEqual({
        ok: false,
        status: 'aborted',
      });
    expect(await steerRollout(database.db, 999_999, 'pause', 'alice', null)).toEqual({
      ok: false,
      status: undefined,
    });
  });

  it('bakes between waves, then starts the next wave once the bake is over', async () => {
    const id = await approvedRollout({
      waves: [
        ['h-01', 1],
        ['h-02', 2],
      ],
      bakeSeconds: 600,
    });
    await advanceRollout(ctx, id);
    await work(id, 'h-01', ok);
    const before = Date.now();
    await advanceRollout(ctx, id);
    let current = await state(id);
    expect(current.rollout).toMatchObject({ status: 'baking', currentWave: 1 });
    const bakeUntil = current.rollout.bakeUntil!.getTime();
    expect(bakeUntil).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(bakeUntil).toBeLessThanOrEqual(Date.now() + 600_000 + 1000);
    expect(await jobHosts(id)).toEqual(['h-01']);
    // A step is queued for when the bake ends.
    const delays = (await advanceJobs(id)).map((job) => job.opts.delay ?? 0);
    expect(delays.some((d) => d > 590_000 && d <= 601_000)).toBe(true);

    // Still baking: nothing happens.
    await advanceRollout(ctx, id);
    expect((await state(id)).rollout.status).toBe('baking');
    expect(await jobHosts(id)).toEqual(['h-01']);

    await database.db
      .update(rollouts)
      .set({ bakeUntil: sql`now() - interval '1 second'` })
      .where(eq(rollouts.id, id));
    await advanceRollout(ctx, id);
    current = await state(id);
    expect(current.rollout).toMatchObject({ status: 'running', currentWave: 2, bakeUntil: null });
    expect(await jobHosts(id)).toEqual(['h-01', 'h-02']);

    // No bake after the last wave.
    await work(id, 'h-02', ok);
    await advanceRollout(ctx, id);
    expect((await state(id)).rollout.status).toBe('done');
  });

  it('waits for a closed maintenance window with a reason, and an override starts it', async () => {
    const id = await approvedRollout({
      waves: [
        ['h-01', 1],
        ['h-02', 2],
      ],
      window: 'maint',
    });
    await advanceRollout(ctx, id);
    let current = await state(id);
    const today = new Date();
    const opens = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 3, 10, 0),
    );
    expect(current.rollout.status).toBe('waiting');
    expect(current.rollout.statusReason).toBe(
      `waiting for window maint (opens ${opens.toISOString().slice(0, 10)} 10:00 UTC)`,
    );
    expect(current.rollout.currentWave).toBe(0);
    expect(current.hosts.every((h) => h.status === 'pending')).toBe(true);
    expect(await jobHosts(id)).toEqual([]);
    // A step is queued for when the window opens.
    const delays = (await advanceJobs(id)).map((job) => job.opts.delay ?? 0);
    expect(delays.some((d) => Math.abs(d - (opens.getTime() - Date.now())) < 5000)).toBe(true);

    // Waiting again changes nothing (no new audit row for the same reason).
    await advanceRollout(ctx, id);
    expect((await auditActions(id)).filter((a) => a === 'rollout.waiting')).toHaveLength(1);

    expect(await steerRollout(database.db, id, 'override', 'erin', 'sev1 outage needs the fix now')).toEqual({
      ok: true,
    });
    await advanceRollout(ctx, id);
    current = await state(id);
    expect(current.rollout).toMatchObject({
      status: 'running',
      currentWave: 1,
      override: true,
      statusReason: null,
    });
    expect(await jobHosts(id)).toEqual(['h-01']);
    const [override] = await database.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.subject} = ${`rollout-${id}`} and ${auditLog.action} = 'rollout.override'`);
    expect(override).toMatchObject({
      actor: 'erin',
      details: { from: 'waiting', reason: 'sev1 outage needs the fix now' },
    });
  });

  it('starts at once inside an open window', async () => {
    const id = await approvedRollout({ waves: [['h-01', 1]], window: 'always' });
    await advanceRollout(ctx, id);
    expect((await state(id)).rollout.status).toBe('running');
    expect(await jobHosts(id)).toEqual(['h-01']);
  });

  it('waits, and says why, when the window is no longer configured', async () => {
    const id = await approvedRollout({ waves: [['h-01', 1]], window: 'retired' });
    await advanceRollout(ctx, id);
    expect((await state(id)).rollout).toMatchObject({
      status: 'waiting',
      statusReason: 'window retired is no longer configured: resume with an override or abort',
    });
    expect(await jobHosts(id)).toEqual([]);
  });

  it('re-dispatches a host whose lease lapsed, and gives it up after maxDispatches', async () => {
    const short: ConductorContext = { ...ctx, leaseMs: 300, maxDispatches: 2 };
    const id = await approvedRollout({ waves: [['h-01', 1]] });
    const createdAt = (await state(id)).rollout.createdAt.getTime();
    const hostId = idOf('h-01');
    await advanceRollout(short, id);
    expect((await patchJobs(id)).map((j) => j.id)).toEqual([`patch-${id}.${createdAt}.1-${hostId}`]);

    // Worker A takes the host, then dies without renewing its lease.
    expect(await claimHost(database.db, id, hostId, 'worker-a', short.leaseMs)).toBeDefined();
    // While the lease is live, a step does not touch the host, and no one else can take it.
    await advanceRollout(short, id);
    expect(await claimHost(database.db, id, hostId, 'worker-x', short.leaseMs)).toBeUndefined();
    expect(await patchJobs(id)).toHaveLength(1);

    await sleep(short.leaseMs + 200);
    await advanceRollout(short, id);
    let row = await hostRow(id, 'h-01');
    expect(row).toMatchObject({ status: 'running', attempts: 2, leaseOwner: null });
    expect(row.leaseUntil!.getTime()).toBeGreaterThan(Date.now() - 100);
    expect((await patchJobs(id)).map((j) => j.id)).toEqual([
      `patch-${id}.${createdAt}.1-${hostId}`,
      `patch-${id}.${createdAt}.2-${hostId}`,
    ]);
    const redispatched = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subject, `rollout-${id}`), eq(auditLog.action, 'rollout.hosts.redispatched')));
    expect(redispatched.map((a) => a.details)).toEqual([{ hosts: ['h-01'] }]);
    // The dead worker's late result is not recorded: the host is not its any more.
    expect(await finishHost(database.db, id, hostId, 'worker-a', ok)).toBe(false);

    // The second job is lost too (never claimed); its lease lapses: attempts (2) reached maxDispatches.
    await sleep(short.leaseMs + 200);
    await advanceRollout(short, id);
    row = await hostRow(id, 'h-01');
    expect(row).toMatchObject({
      status: 'failed',
      errorCode: 'abandoned',
      errorMessage: 'gave up after 2 attempts: the worker patching it stopped each time',
      leaseOwner: null,
      leaseUntil: null,
    });
    expect(row.finishedAt).not.toBeNull();
    expect(await patchJobs(id)).toHaveLength(2);
    // The abandoned host is a failure like any other: budget 0 halts the rollout, and the alert names it.
    const current = await state(id);
    expect(current.rollout.status).toBe('halted');
    const [alert] = await alerts(id);
    // The line names the host (and the phase it was last seen in) and why it failed.
    expect(alert?.type === 'alert' && alert.message).toMatch(
      /^h-01( \([a-z-]+\))?: abandoned: gave up after 2 attempts: the worker patching it stopped each time$/m,
    );
    const [stored] = await database.db.select().from(rolloutHosts).where(eq(rolloutHosts.rolloutId, id));
    expect(stored?.attempts).toBe(2);
  });

  it('finds rollbacks that no live job holds and dispatches them again (a worker starting)', async () => {
    const id = await approvedRollout({ waves: [['h-02', 1]] });
    const hostId = idOf('h-02');
    await advanceRollout(ctx, id);
    await work(id, 'h-02', { status: 'ok' });
    await database.db
      .update(rolloutHosts)
      .set({ before: [{ name: 'openssl', arch: 'amd64', version: '3.0.11-1' }] })
      .where(and(eq(rolloutHosts.rolloutId, id), eq(rolloutHosts.hostId, hostId)));
    expect(await requestRollback(database.db, id, [hostId], 'alice')).toEqual([hostId]);
    // Asked once already: a second request for the same host marks nothing.
    expect(await requestRollback(database.db, id, [hostId], 'alice')).toEqual([]);

    const engine = new EngineClient(database.db, queues);
    expect(await engine.requeueRollbacks()).toBeGreaterThanOrEqual(1);
    const rollbacks = (await patchJobs(id)).filter((job) => (job.data as PatchHostJob).mode === 'rollback');
    expect(rollbacks.map((job) => job.host)).toEqual(['h-02']);

    // Taken by a live worker: not found again until its lease lapses.
    expect(await claimRollback(database.db, id, hostId, 'worker-b', 60_000)).toMatchObject({
      rollback: 'running',
    });
    expect(await pendingRollbacks(database.db)).not.toContainEqual({ rolloutId: id, hostId });
  });
});
