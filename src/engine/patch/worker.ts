import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { patchHostJobSchema, patchQueueName } from '../queues/index.js';
import type { PatchContext } from './context.js';
import { runPatchHostJob } from './host-job.js';

/**
 * The patch queue of this worker's zone. A job never fails in BullMQ's sense: its outcome is the host's
 * state in Postgres, and a job that dies with its worker is re-dispatched by the conductor once the
 * host's lease lapses.
 */
export function startPatchWorker(
  ctx: PatchContext,
  options: { connection: Redis; prefix: string; zone?: string | undefined; concurrency: number },
) {
  const worker = new Worker(
    patchQueueName(options.zone),
    async (job) => runPatchHostJob(ctx, patchHostJobSchema.parse(job.data)),
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  worker.on('failed', (job, error) =>
    ctx.logger.error({ jobId: job?.id, err: error.message }, 'patch job failed'),
  );
  worker.on('error', (error) => ctx.logger.error({ err: error.message }, 'patch worker error'));
  return worker;
}
