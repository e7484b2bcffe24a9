import type { HostRecord } from '../../db/hosts.js';
import { type RolloutHostRow, renewLease, setPhase } from '../../db/rollouts.js';
import { packageManagerById } from '../package-managers/index.js';
import type { PackageManager, PackageManagerId } from '../package-managers/types.js';
import type { HostPhase } from '../rollouts/types.js';
import { sshTargetFor } from '../scan/targets.js';
import { openSession, type SshSession, type SshSettings } from '../ssh/client.js';
import { SshError } from '../ssh/types.js';
import type { PatchContext } from './context.js';
import { type HostPatchSettings, hostPatchSettings } from './host-settings.js';

/** One host's job: its lease, its session, its settings, and the failures its steps report. */
/** A step that failed: `code` for machines and filters, `message` for people. */
export class HostFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Renew our claim while we work; a lost claim is logged (another job took over after a stall). */
export function holdLease(ctx: PatchContext, rolloutId: number, hostId: number, owner: string) {
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

export interface HostWork {
  ctx: PatchContext;
  row: RolloutHostRow;
  owner: string;
  host: HostRecord;
  byName: Map<string, HostRecord>;
  settings: HostPatchSettings;
  manager: PackageManager;
}

export async function prepare(
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

export function open(work: HostWork): Promise<SshSession> {
  return connect(sshTargetFor(work.host, work.byName, work.ctx.targets), work.ctx.ssh);
}

export function privileged(work: HostWork, session: SshSession): boolean {
  return session.user === 'root' || work.host.become === true;
}

export async function phase(work: HostWork, name: HostPhase) {
  await setPhase(work.ctx.db, work.row.rolloutId, work.row.hostId, work.owner, name);
}
