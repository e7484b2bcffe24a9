import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { HostRecord } from '../../db/hosts.js';
import {
  claimHost,
  claimRollback,
  finishHost,
  finishRollback,
  type HostOutcome,
  hostJobContext,
  type RolloutHostRow,
  renewLease,
  setPhase,
  updateLeasedHost,
} from '../../db/rollouts.js';
import type { Logger } from '../../logger.js';
import { PackageCommandError, PackageInstallError } from '../package-managers/errors.js';
import { packageManagerById } from '../package-managers/index.js';
import type { PackageManager, PackageManagerId } from '../package-managers/types.js';
import type { Policy } from '../prioritize/index.js';
import type { EngineQueues, PatchHostJob } from '../queues/index.js';
import type { HostPhase, PinnedPackage, RebootPolicy } from '../rollouts/types.js';
import { sshTargetFor, type TargetDefaults } from '../scan/targets.js';
import { inventoryCommand } from '../shell/command.js';
import { openSession, type SshSession, type SshSettings } from '../ssh/client.js';
import { SshError } from '../ssh/types.js';
import { type HostPatchSettings, hostPatchSettings } from './host-settings.js';
import { type RebootTimeouts, rebootAndReconnect } from './reboot.js';
import { checkFindingsClosed, rescanHost } from './rescan.js';
import { restoreVersions } from './restore.js';
import { type CheckResult, checkServicesAndHealth, checkVersions, type ExpectedVersion } from './verify.js';

export interface PatchSettings {
  leaseMs: number;
  minFreeMb: number;
  lockWaitSeconds: number;
  reboot: RebootTimeouts;
}

export interface PatchContext {
  db: Db;
  queues: EngineQueues;
  logger: Logger;
  ssh: SshSettings;
  targets: TargetDefaults;
  policy: Policy;
  settings: PatchSettings;
  /** The inventory by name (bastions are looked up there), cached for a few seconds. */
  hosts: () => Promise<Map<string, HostRecord>>;
  /** Tell the bot a rollout's view changed (throttled: see rolloutChangeNotifier). */
  changed: (rolloutId: number) => Promise<void>;
}

/**
 * A rollout's live view is re-rendered at most once a second anyway: telling the bot about every host
 * would cost a queue job per host for nothing. At most one notice per rollout per interval from this
 * worker; the conductor announces every status change itself, and the bot re-reads on a timer.
 */
export function rolloutChangeNotifier(queues: EngineQueues, intervalMs = 500) {
  const last = new Map<number, number>();
  return async (rolloutId: number): Promise<void> => {
    const now = Date.now();
    if (now - (last.get(rolloutId) ?? 0) < intervalMs) return;
    last.set(rolloutId, now);
    await queues.publish({ type: 'rollout.changed', rolloutId, final: false });
  };
}

/** A step that failed: `code` for machines and filters, `message` for people. */
class HostFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly failedCheck: string | null = null,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renew our claim while we work; a lost claim is logged (another job took over after a stall). */
function holdLease(ctx: PatchContext, rolloutId: number, hostId: number, owner: string) {
  const timer = setInterval(() => {
    renewLease(ctx.db, rolloutId, hostId, owner, ctx.settings.leaseMs)
      .then((held) => {
        if (!held) ctx.logger.warn({ rolloutId, hostId }, 'lost the lease on a host');
      })
      .catch((error: unknown) => ctx.logger.warn({ err: String(error) }, 'lease renewal failed'));
  }, ctx.settings.leaseMs / 3);
  return () => clearInterval(timer);
}

async function connect(target: Parameters<typeof openSession>[0], ssh: SshSettings): Promise<SshSession> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSession(target, ssh);
    } catch (error) {
      if (!(error instanceof SshError && error.transient) || attempt >= 3) throw error;
      await sleep(1000 * attempt);
    }
  }
}

interface HostWork {
  ctx: PatchContext;
  row: RolloutHostRow;
  owner: string;
  host: HostRecord;
  byName: Map<string, HostRecord>;
  settings: HostPatchSettings;
  manager: PackageManager;
}

async function prepare(
  ctx: PatchContext,
  row: RolloutHostRow,
  owner: string,
  managerId: PackageManagerId,
): Promise<HostWork> {
  const byName = await ctx.hosts();
  const host = [...byName.values()].find((h) => h.id === row.hostId);
  if (!host) throw new HostFailure('config', `host #${row.hostId} is no longer in the inventory`);
  const parsed = hostPatchSettings(host.vars);
  if (!parsed.ok) throw new HostFailure('config', `${host.name}: ${parsed.message}`);
  const manager = packageManagerById(managerId);
  if (!manager)
    throw new HostFailure('unsupported-os', `${host.name}: no package-manager module '${managerId}'`);
  return { ctx, row, owner, host, byName, settings: parsed.settings, manager };
}

function open(work: HostWork): Promise<SshSession> {
  return connect(sshTargetFor(work.host, work.byName, work.ctx.targets), work.ctx.ssh);
}

function privileged(work: HostWork, session: SshSession): boolean {
  return session.user === 'root' || work.host.become === true;
}

async function phase(work: HostWork, name: HostPhase) {
  await setPhase(work.ctx.db, work.row.rolloutId, work.row.hostId, work.owner, name);
}

/** Installed versions of the planned packages, read once before anything changes. */
type PackageStates = Awaited<ReturnType<PackageManager['packageStates']>>;

const versionIn = (states: PackageStates, p: { name: string; arch: string }) =>
  states.find((s) => s.name === p.name && s.arch === p.arch)?.version ?? null;

async function runHook(session: SshSession, which: 'pre-hook' | 'post-hook', command: string | undefined) {
  if (!command) return;
  const result = await session.run(inventoryCommand(command));
  if (result.code !== 0)
    throw new HostFailure(
      which,
      `${which} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(-300)}`,
    );
}

/** Wait for someone else's apt/dpkg run to end (unattended-upgrades, or our own run a dead worker left). */
async function precheck(work: HostWork, session: SshSession): Promise<void> {
  const deadline = Date.now() + work.ctx.settings.lockWaitSeconds * 1000;
  for (;;) {
    const result = await work.manager.precheck(session, { minFreeMb: work.ctx.settings.minFreeMb });
    if (result.ok) return;
    const locked = result.problems.every((p) => p.code === 'package-lock');
    if (!locked || Date.now() >= deadline) {
      const first = result.problems[0]!;
      throw new HostFailure(first.code, result.problems.map((p) => p.message).join('; '));
    }
    await sleep(2000);
  }
}

/** The versions before anything changes, recorded once; on a later attempt the first record stands. */
async function recordBefore(
  work: HostWork,
  states: PackageStates,
  planned: PinnedPackage[],
  next: HostPhase,
) {
  if (work.row.before) {
    await phase(work, next);
    return work.row.before;
  }
  const before = planned.map((p) => ({ name: p.name, arch: p.arch, version: versionIn(states, p) }));
  const drifted = planned.filter((p, i) => before[i]!.version !== p.from && before[i]!.version !== p.to);
  if (drifted.length > 0) {
    const list = drifted.map(
      (p) =>
        `${p.name} is ${before[planned.indexOf(p)]!.version ?? 'not installed'}, the plan expected ${p.from}`,
    );
    throw new HostFailure('drift', `${list.join('; ')}: scan again and make a new plan`);
  }
  await updateLeasedHost(
    work.ctx.db,
    work.row.rolloutId,
    work.row.hostId,
    work.owner,
    { before, phase: next },
    { action: 'rollout.host.before', details: { before } },
  );
  return before;
}

/** Install what is not at its planned version yet; the host then moves on to verification. */
async function install(work: HostWork, session: SshSession, planned: PinnedPackage[], states: PackageStates) {
  const missing = planned.filter((p) => versionIn(states, p) !== p.to);
  // Already at the planned versions: a previous attempt installed them before its worker died.
  if (missing.length === 0) return phase(work, 'verify');
  let changed: boolean;
  try {
    const pinned = missing.map((p) => ({ name: p.name, arch: p.arch, version: p.to }));
    const options = { allowDowngrades: false, lockWaitSeconds: work.ctx.settings.lockWaitSeconds };
    changed = (await work.manager.install(session, pinned, options)).changed;
  } catch (error) {
    if (error instanceof PackageInstallError || error instanceof PackageCommandError)
      throw new HostFailure(error.code, error.message);
    throw error;
  }
  await updateLeasedHost(
    work.ctx.db,
    work.row.rolloutId,
    work.row.hostId,
    work.owner,
    { phase: 'verify' },
    {
      action: 'rollout.host.installed',
      details: { packages: missing.map((p) => `${p.name}=${p.to}`), changed },
    },
  );
}

async function maybeReboot(work: HostWork, session: SshSession, policy: RebootPolicy) {
  if (policy === 'never' || work.row.rebooted) return session;
  if (policy === 'if-required' && !(await work.manager.rebootRequired(session))) return session;
  await phase(work, 'reboot');
  try {
    const back = await rebootAndReconnect(
      session,
      work.settings.reboot_command,
      () => open(work),
      work.ctx.settings.reboot,
    );
    await updateLeasedHost(
      work.ctx.db,
      work.row.rolloutId,
      work.row.hostId,
      work.owner,
      { rebooted: true, phase: 'verify' },
      { action: 'rollout.host.rebooted' },
    );
    return back;
  } catch (error) {
    throw new HostFailure('reboot', error instanceof Error ? error.message : String(error));
  }
}

async function verify(work: HostWork, session: SshSession, planned: PinnedPackage[]): Promise<CheckResult> {
  const versions = await checkVersions(
    session,
    work.manager,
    planned.map((p) => ({ name: p.name, arch: p.arch, version: p.to })),
  );
  if (!versions.ok) return versions;
  const health = await checkServicesAndHealth(session, work.settings);
  if (!health.ok) return health;
  const refreshed = await rescanHost(
    work.ctx.db,
    session,
    work.host,
    work.manager,
    `rollout-${work.row.rolloutId}`,
    {
      privileged: privileged(work, session),
      policy: work.ctx.policy,
    },
  );
  return checkFindingsClosed(refreshed.current, planned, work.manager.versionScheme);
}

/** Put the recorded versions back, verify again, and rescan so that views and plans see the host as it is. */
async function rollBack(
  work: HostWork,
  session: SshSession,
  before: readonly ExpectedVersion[],
): Promise<CheckResult> {
  const restored = await restoreVersions(
    work.manager,
    session,
    before,
    work.settings,
    work.ctx.settings.lockWaitSeconds,
  );
  if (restored.ok)
    await rescanHost(work.ctx.db, session, work.host, work.manager, `rollout-${work.row.rolloutId}`, {
      privileged: privileged(work, session),
      policy: work.ctx.policy,
    });
  return restored;
}

async function patch(
  work: HostWork,
  planned: PinnedPackage[],
  plan: { reboot: RebootPolicy; autoRollback: boolean },
): Promise<HostOutcome> {
  let session = await open(work);
  try {
    await precheck(work, session);
    const states = await work.manager.packageStates(
      session,
      planned.map((p) => p.name),
    );
    const hook = work.settings.pre_hook;
    const before = await recordBefore(work, states, planned, hook ? 'pre-hook' : 'install');
    if (hook) {
      await runHook(session, 'pre-hook', hook);
      await phase(work, 'install');
    }
    await install(work, session, planned, states);
    session = await maybeReboot(work, session, plan.reboot);
    const verified = await verify(work, session, planned);
    if (!verified.ok) {
      if (!plan.autoRollback)
        return {
          status: 'failed',
          errorCode: 'verify',
          errorMessage: verified.check,
          failedCheck: verified.check,
        };
      await phase(work, 'rollback');
      const restored = await rollBack(work, session, before);
      return {
        status: 'rolled-back',
        errorCode: 'verify',
        errorMessage: verified.check,
        failedCheck: verified.check,
        rollback: restored.ok ? 'done' : 'failed',
        rollbackError: restored.ok ? null : restored.check,
      };
    }
    if (work.settings.post_hook) {
      await phase(work, 'post-hook');
      await runHook(session, 'post-hook', work.settings.post_hook);
    }
    return { status: 'ok' };
  } finally {
    await session.close();
  }
}

function failureOutcome(error: unknown): HostOutcome {
  if (error instanceof HostFailure)
    return {
      status: 'failed',
      errorCode: error.code,
      errorMessage: error.message,
      failedCheck: error.failedCheck,
    };
  if (error instanceof SshError)
    return { status: 'failed', errorCode: error.code, errorMessage: error.message };
  return {
    status: 'failed',
    errorCode: 'internal',
    errorMessage: error instanceof Error ? error.message : String(error),
  };
}

async function patchJob(ctx: PatchContext, job: PatchHostJob): Promise<void> {
  const owner = randomUUID();
  const row = await claimHost(ctx.db, job.rolloutId, job.hostId, owner, ctx.settings.leaseMs);
  if (!row) return; // finished, or a live job holds it
  const release = holdLease(ctx, job.rolloutId, job.hostId, owner);
  const plan = await hostJobContext(ctx.db, job.rolloutId, job.hostId);
  let outcome: HostOutcome;
  try {
    if (!plan) throw new HostFailure('config', 'the host is not in the plan any more');
    const work = await prepare(ctx, row, owner, (plan.packageManager ?? 'apt') as PackageManagerId);
    outcome = await patch(work, plan.packages, plan);
  } catch (error) {
    outcome = failureOutcome(error);
  } finally {
    release();
  }
  const recorded = await finishHost(ctx.db, job.rolloutId, job.hostId, owner, outcome);
  if (!recorded)
    ctx.logger.warn({ rolloutId: job.rolloutId, hostId: job.hostId }, 'host result not recorded: lease lost');
  await ctx.changed(job.rolloutId);
  if (plan) await ctx.queues.advance({ id: job.rolloutId, createdAt: plan.createdAt });
}

async function rollbackJob(ctx: PatchContext, job: PatchHostJob): Promise<void> {
  const owner = randomUUID();
  const row = await claimRollback(ctx.db, job.rolloutId, job.hostId, owner, ctx.settings.leaseMs);
  if (!row) return;
  const release = holdLease(ctx, job.rolloutId, job.hostId, owner);
  let result: { rollback: 'done' | 'failed'; rollbackError: string | null };
  try {
    const plan = await hostJobContext(ctx.db, job.rolloutId, job.hostId);
    const work = await prepare(ctx, row, owner, (plan?.packageManager ?? 'apt') as PackageManagerId);
    const session = await open(work);
    try {
      const restored = await rollBack(work, session, row.before ?? []);
      result = restored.ok
        ? { rollback: 'done', rollbackError: null }
        : { rollback: 'failed', rollbackError: restored.check };
    } finally {
      await session.close();
    }
  } catch (error) {
    result = { rollback: 'failed', rollbackError: error instanceof Error ? error.message : String(error) };
  } finally {
    release();
  }
  await finishRollback(ctx.db, job.rolloutId, job.hostId, owner, result);
  await ctx.changed(job.rolloutId);
}

/** One job of the patch queue: patch a host, or put it back to the versions recorded before. */
export function runPatchHostJob(ctx: PatchContext, job: PatchHostJob): Promise<void> {
  return job.mode === 'patch' ? patchJob(ctx, job) : rollbackJob(ctx, job);
}

export type { CheckResult };
