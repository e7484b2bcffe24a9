import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../logger.js';
import type { Policy } from '../prioritize/index.js';
import type { EngineQueues } from '../queues/index.js';
import { importAdvisories } from './import.js';

export const advisoryQueueName = 'advisories';
const syncJobSchema = z.object({ sources: z.array(z.string().min(1)) });

export interface AdvisorySyncOptions {
  db: Db;
  queues: EngineQueues;
  connection: Redis;
  prefix: string;
  policy: Policy;
  /** Files, directories or URLs imported on every sync. None: no schedule. */
  sources: string[];
  /** Cron pattern of the sync. */
  schedule: string;
  logger: Logger;
}

/**
 * The scheduled advisory sync: a BullMQ job scheduler (one schedule however many workers run) and a worker
 * that imports each source in turn. A failed source is an alert and leaves its previous data in place.
 */
export async function startAdvisorySync(options: AdvisorySyncOptions): Promise<{ close(): Promise<void> }> {
  const { db, queues, logger } = options;
  const queue = new Queue(advisoryQueueName, { connection: options.connection, prefix: options.prefix });
  if (options.sources.length > 0) {
    await queue.upsertJobScheduler(
      'advisory-sync',
      { pattern: options.schedule },
      { name: 'sync', data: { sources: options.sources } },
    );
  } else {
    await queue.removeJobScheduler('advisory-sync');
  }
  const worker = new Worker(
    advisoryQueueName,
    async (job: Job) => {
      const { sources } = syncJobSchema.parse(job.data);
      for (const source of sources) {
        try {
          const result = await importAdvisories(db, source, 'scheduler', options.policy);
          for (const alert of result.alerts) await queues.publish(alert);
          logger.info({ source, ...result.counts, findings: result.findings }, 'advisories synced');
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          logger.warn({ source, err: message }, 'advisory sync failed');
          await queues.publish({
            type: 'alert',
            severity: 'warning',
            subject: 'advisories',
            message: `advisory import failed, previous data kept: ${source}: ${message}`,
          });
        }
      }
    },
    // One import at a time: imports are large transactions over the same tables.
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => logger.error({ err: error.message }, 'advisory worker error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
