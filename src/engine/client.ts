import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { HostRecord } from '../db/hosts.js';
import { createScanRun, type ScanRunRow } from '../db/scans.js';
import { hostScans, hosts, scanRuns } from '../db/schema/index.js';
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
