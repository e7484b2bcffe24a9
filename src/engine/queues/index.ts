import { Queue, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EngineEvent } from '../events/index.js';

export const scanHostJobSchema = z.object({ runId: z.number().int(), hostId: z.number().int() });
export type ScanHostJob = z.infer<typeof scanHostJobSchema>;

/** Patch one host of a rollout, or put it back to its recorded versions. */
export const patchHostJobSchema = z.object({
  rolloutId: z.number().int(),
  hostId: z.number().int(),
  mode: z.enum(['patch', 'rollback']),
});
export type PatchHostJob = z.infer<typeof patchHostJobSchema>;

/** Look at a rollout and take its next step (start hosts, bake, halt, finish); idempotent. */
export const advanceJobSchema = z.object({ rolloutId: z.number().int() });
export type AdvanceJob = z.infer<typeof advanceJobSchema>;

/** Hosts in a zone are scanned only by workers pinned to that zone (PATCHOPS_ZONE). */
export function scanQueueName(zone: string | undefined): string {
  return zone ? `scan-host.${zone}` : 'scan-host';
}
export function patchQueueName(zone: string | undefined): string {
  return zone ? `patch-host.${zone}` : 'patch-host';
}
export const eventsQueueName = 'events';
/** Rollout steps requested within one slot run once, at its end. */
const ADVANCE_SLOT_MS = 200;
export const rolloutQueueName = 'rollout';

export interface QueueSettings {
  connection: Redis;
  prefix: string;
  scanAttempts: number;
}

/** Jobs by the zone of their host (Map.groupBy arrives with Node 21). */
function byZone<T extends { zone?: string | null | undefined }>(
  jobs: readonly T[],
): Map<string | undefined, T[]> {
  const groups = new Map<string | undefined, T[]>();
  for (const job of jobs) {
    const zone = job.zone ?? undefined;
    const group = groups.get(zone);
    if (group) group.push(job);
    else groups.set(zone, [job]);
  }
  return groups;
}

export class EngineQueues {
  private readonly zoneQueues = new Map<string, Queue>();
  readonly events: Queue;
  readonly rollouts: Queue;

  constructor(private readonly settings: QueueSettings) {
    this.events = new Queue(eventsQueueName, this.options());
    this.rollouts = new Queue(rolloutQueueName, this.options());
  }

  private options(): QueueOptions {
    return { connection: this.settings.connection, prefix: this.settings.prefix };
  }

  private zoneQueue(name: string): Queue {
    let queue = this.zoneQueues.get(name);
    if (!queue) {
      queue = new Queue(name, this.options());
      this.zoneQueues.set(name, queue);
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
    for (const [zone, zoneJobs] of byZone(jobs)) {
      await this.zoneQueue(scanQueueName(zone)).addBulk(
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

  /**
   * Patch (or roll back) hosts. `key` makes the job id unique per dispatch: the rollout's creation time
   * (ids restart in a new database) and the dispatch count, since a host is re-dispatched after a lease lapses.
   */
  async enqueuePatches(
    jobs: (PatchHostJob & { key: string; zone?: string | null | undefined })[],
  ): Promise<void> {
    for (const [zone, zoneJobs] of byZone(jobs)) {
      await this.zoneQueue(patchQueueName(zone)).addBulk(
        zoneJobs.map(({ rolloutId, hostId, mode, key }) => ({
          name: mode,
          data: { rolloutId, hostId, mode } satisfies PatchHostJob,
          opts: {
            jobId: `${mode}-${rolloutId}.${key}-${hostId}`,
            removeOnComplete: { count: 5000 },
            removeOnFail: { count: 5000 },
          },
        })),
      );
    }
  }

  /**
   * Ask for the rollout's next step soon, or after `delayMs` (bake ends, window opens, a lease lapses).
   * Requests are gathered into time slots: one job per rollout and slot, run when its slot has passed, so
   * it reads every change requested in the slot, and a thousand hosts finishing cost a few steps, not a
   * thousand. The rollout's creation time keeps job ids apart across databases sharing a prefix.
   */
  async advance(rollout: { id: number; createdAt: Date }, delayMs = 0): Promise<void> {
    const rolloutId = rollout.id;
    const key = rollout.createdAt.getTime();
    const at = Date.now() + Math.max(delayMs, 0);
    const slot = Math.ceil(at / ADVANCE_SLOT_MS);
    await this.rollouts.add('advance', { rolloutId } satisfies AdvanceJob, {
      delay: Math.max(0, slot * ADVANCE_SLOT_MS - Date.now()),
      jobId: `advance-${rolloutId}.${key}-${slot}`,
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    });
  }

  async publish(event: EngineEvent): Promise<void> {
    await this.events.add(event.type, event, { removeOnComplete: true, removeOnFail: { count: 1000 } });
  }

  async close(): Promise<void> {
    await Promise.all([...this.zoneQueues.values(), this.events, this.rollouts].map((q) => q.close()));
  }
}
