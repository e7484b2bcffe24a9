import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { activeRollouts } from '../../db/rollouts.js';
import { advanceJobSchema, rolloutQueueName } from '../queues/index.js';
import { advanceRollout, type ConductorContext } from './advance.js';

/**
 * Takes rollouts one step at a time. Steps are serialized per rollout by its row lock, so any number of
 * these workers can run; at start each worker looks at every active rollout once, for one that a dead
 * worker left mid-step.
 */
export async function startConductor(ctx: ConductorContext, options: { connection: Redis; prefix: string }) {
  const worker = new Worker(
    rolloutQueueName,
    async (job) => advanceRollout(ctx, advanceJobSchema.parse(job.data).rolloutId),
    { connection: options.connection, prefix: options.prefix, concurrency: 4 },
  );
  worker.on('failed', (job, error) =>
    ctx.logger.error({ jobId: job?.id, err: error.message }, 'rollout step failed'),
  );
  worker.on('error', (error) => ctx.logger.error({ err: error.message }, 'conductor error'));
  for (const rollout of await activeRollouts(ctx.db)) await ctx.queues.advance(rollout);
  return worker;
}
