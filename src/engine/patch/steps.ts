import { type HostOutcome, updateLeasedHost } from '../../db/rollouts.js';
import { PackageCommandError, PackageInstallError } from '../package-managers/errors.js';
import type { PackageManager } from '../package-managers/types.js';
import type { HostPhase, PinnedPackage, RebootPolicy } from '../rollouts/types.js';
import { inventoryCommand } from '../shell/command.js';
import type { SshSession } from '../ssh/client.js';
import { HostFailure, type HostWork, open, phase, privileged, sleep } from './host-work.js';
import { rebootAndReconnect } from './reboot.js';
import { checkFindingsClosed, rescanHost } from './rescan.js';
import { restoreVersions } from './restore.js';
import { type CheckResult, checkServicesAndHealth, checkVersions, type ExpectedVersion } from './verify.js';

/** The steps of patching one host, in order, and putting it back. */
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
export async function rollBack(
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

export async function patch(
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
