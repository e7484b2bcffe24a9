import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { HostRecord } from '../db/hosts.js';
import { pendingRollbacks } from '../db/rollouts.js';
import { createScanRun, type ScanRunRow } from '../db/scans.js';
import { hostScans, hosts, rollouts, scanRuns } from '../db/schema/index.js';
import type { EngineQueues } from './queues/index.js';

/**
 * The bot's side of the engine: it records the request in Postgres, then hands the work to the queues.
 * The bot never talks to a worker in any other way.
 */
export class EngineClient {
  constructor(
    private readonly db: Db,
    private readonly queues: EngineQueues,
  ) {}

  async startScan(request: {
    selector: string;
    requestedBy: string;
    refresh: 'auto' | 'always' | 'never';
    hosts: HostRecord[];
  }): Promise<ScanRunRow> {
    const run = await createScanRun(this.db, {
      selector: request.selector,
      requestedBy: request.requestedBy,
      refresh: request.refresh,
      hostIds: request.hosts.map((h) => h.id),
    });
    await this.queues.enqueueScans(
      request.hosts.map((h) => ({ runId: run.id, runCreatedAt: run.createdAt, hostId: h.id, zone: h.zone })),
    );
    return run;
  }

  /** Let the conductor look at a rollout now (after an approval, a resume, an override). */
  async advance(rolloutId: number): Promise<void> {
    const [rollout] = await this.db
      .select({ id: rollouts.id, createdAt: rollouts.createdAt })
      .from(rollouts)
      .where(eq(rollouts.id, rolloutId));
    if (rollout) await this.queues.advance(rollout);
  }

  /** Roll back the given hosts of a rollout (already marked in Postgres) on the patch queues. */
  async dispatchRollbacks(rolloutId: number, hostIds: number[]): Promise<void> {
    if (hostIds.length === 0) return;
    const zones = await this.db
      .select({ id: hosts.id, zone: hosts.zone })
      .from(hosts)
      .where(inArray(hosts.id, hostIds));
    const key = String(Date.now());
    await this.queues.enqueuePatches(
      zones.map((h) => ({ rolloutId, hostId: h.id, mode: 'rollback' as const, key, zone: h.zone })),
    );
  }

  /** Rollbacks asked for but held by no live job: after a crash, or Redis losing the jobs. */
  async requeueRollbacks(): Promise<number> {
    const pending = await pendingRollbacks(this.db);
    const byRollout = new Map<number, number[]>();
    for (const { rolloutId, hostId } of pending)
      byRollout.set(rolloutId, [...(byRollout.get(rolloutId) ?? []), hostId]);
    for (const [rolloutId, hostIds] of byRollout) await this.dispatchRollbacks(rolloutId, hostIds);
    return pending.length;
  }

  /**
   * Put back every host scan that has no final result, for runs that are not finished: after Redis lost
   * its data, or the bot died between the Postgres commit and the enqueue. Job ids make this idempotent.
   */
  async requeueUnfinished(): Promise<number> {
    const pending = await this.db
      .select({
        runId: hostScans.runId,
        runCreatedAt: scanRuns.createdAt,
        hostId: hostScans.hostId,
        zone: hosts.zone,
      })
      .from(hostScans)
      .innerJoin(scanRuns, eq(scanRuns.id, hostScans.runId))
      .innerJoin(hosts, eq(hosts.id, hostScans.hostId))
      .where(and(eq(hostScans.status, 'pending'), inArray(scanRuns.status, ['queued', 'running'])));
    await this.queues.enqueueScans(pending.map((p) => ({ ...p, zone: p.zone ?? undefined })));
    return pending.length;
  }
}
