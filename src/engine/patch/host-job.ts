import { randomUUID } from 'node:crypto';
import {
  claimHost,
  claimRollback,
  finishHost,
  finishRollback,
  type HostOutcome,
  hostJobContext,
} from '../../db/rollouts.js';
import type { PackageManagerId } from '../package-managers/types.js';
import type { PatchHostJob } from '../queues/index.js';
import { SshError } from '../ssh/types.js';
import type { PatchContext } from './context.js';
import { HostFailure, holdLease, open, prepare } from './host-work.js';
import { patch, rollBack } from './steps.js';

function failureOutcome(error: unknown): HostOutcome {
  if (error instanceof HostFailure || error instanceof SshError)
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
