import { Queue, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EngineEvent } from '../events/index.js';

export const scanHostJobSchema = z.object({ runId: z.number().int(), hostId: z.number().int() });
export type ScanHostJob = z.infer<typeof scanHostJobSchema>;

/** Hosts in a zone are scanned only by workers pinned to that zone (PATCHOPS_ZONE). */
export function scanQueueName(zone: string | undefined): string {
  return zone ? `scan-host.${zone}` : 'scan-host';
}
export const eventsQueueName = 'events';

export interface QueueSettings {
  connection: Redis;
  prefix: string;
  scanAttempts: number;
}

export class EngineQueues {
  private readonly scanQueues = new Map<string, Queue>();
  readonly events: Queue;

  constructor(private readonly settings: QueueSettings) {
    this.events = new Queue(eventsQueueName, this.options());
  }

  private options(): QueueOptions {
    return { connection: this.settings.connection, prefix: this.settings.prefix };
  }

  private scanQueue(zone: string | undefined): Queue {
    const name = scanQueueName(zone);
    let queue = this.scanQueues.get(name);
    if (!queue) {
      queue = new Queue(name, this.options());
      this.scanQueues.set(name, queue);
    }
    return queue;
  }

  /**
   * One job per host; the job id makes a re-enqueue of the same (run, host) a no-op while the job exists.
   * Run ids alone are not unique in Redis: a new database (or another one sharing the prefix) starts them at
   * 1 again, and BullMQ would take the new job for an old, finished one. The run's creation time is.
   */
  async enqueueScans(
    jobs: (ScanHostJob & { runCreatedAt: Date; zone?: string | undefined })[],
  ): Promise<void> {
    const byZone = new Map<string | undefined, (ScanHostJob & { runCreatedAt: Date })[]>();
    for (const job of jobs) {
      const zoneJobs = byZone.get(job.zone);
      if (zoneJobs) zoneJobs.push(job);
      else byZone.set(job.zone, [job]);
    }
    for (const [zone, zoneJobs] of byZone) {
      await this.scanQueue(zone).addBulk(
        zoneJobs.map(({ runId, hostId, runCreatedAt }) => ({
          name: 'scan-host',
          data: { runId, hostId } satisfies ScanHostJob,
          opts: {
            jobId: `scan-${runId}.${runCreatedAt.getTime()}-${hostId}`,
            attempts: this.settings.scanAttempts,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { count: 5000 },
            removeOnFail: { count: 5000 },
          },
        })),
      );
    }
  }

  async publish(event: EngineEvent): Promise<void> {
    await this.events.add(event.type, event, { removeOnComplete: true, removeOnFail: { count: 1000 } });
  }

  async close(): Promise<void> {
    await Promise.all([...this.scanQueues.values(), this.events].map((q) => q.close()));
  }
}
