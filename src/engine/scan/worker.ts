import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/client.js';
import { cachedHosts } from '../../db/hosts.js';
import {
  finishRunIfComplete,
  getScanRun,
  type HostScanOutcome,
  markScanAttempt,
  recordHostScan,
  type ScanRunRow,
  unfinishedRunIds,
} from '../../db/scans.js';
import type { Logger } from '../../logger.js';
import { findingAlerts } from '../findings/alerts.js';
import { refreshHostFindings } from '../findings/refresh.js';
import type { Policy } from '../prioritize/index.js';
import { type EngineQueues, scanHostJobSchema, scanQueueName } from '../queues/index.js';
import { type SshSettings, withSession } from '../ssh/client.js';
import { SshError } from '../ssh/types.js';
import { scanHost } from './scan-host.js';
import { sshTargetFor, type TargetDefaults } from './targets.js';

export interface ScanWorkerOptions {
  db: Db;
  queues: EngineQueues;
  connection: Redis;
  prefix: string;
  zone?: string | undefined;
  concurrency: number;
  ssh: SshSettings;
  targets: TargetDefaults;
  logger: Logger;
  policy: Policy;
}

interface Failure {
  code: string;
  message: string;
  transient: boolean;
}

function describeFailure(error: unknown): Failure {
  if (error instanceof SshError)
    return { code: error.code, message: error.message, transient: error.transient };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.name !== 'Error') {
    return { code: error.code, message: error.message, transient: false };
  }
  return {
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
    transient: false,
  };
}

export interface ScanWorker {
  /** Close runs whose last host was recorded by a worker that died before closing the run. */
  closeCompletedRuns(): Promise<void>;
  close(): Promise<void>;
}

export function startScanWorker(options: ScanWorkerOptions): ScanWorker {
  const { db, queues, logger } = options;
  const hosts = cachedHosts(db);

  async function process(job: Job): Promise<void> {
    const { runId, hostId } = scanHostJobSchema.parse(job.data);
    const run = await markScanAttempt(db, runId, hostId);
    if (!run) return;
    const byName = await hosts();
    const host = [...byName.values()].find((h) => h.id === hostId);
    let outcome: HostScanOutcome;
    try {
      if (!host) throw new Error(`host #${hostId} is no longer in the inventory`);
      const target = sshTargetFor(host, byName, options.targets);
      const privileged = target.user === 'root' || target.become === true;
      outcome = await withSession(target, options.ssh, (shell) =>
        scanHost(shell, { refresh: run.refresh, privileged }),
      );
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.transient && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
        logger.warn({ runId, host: host?.name, code: failure.code }, 'scan attempt failed, will retry');
        throw error;
      }
      outcome = { status: 'failed', code: failure.code, message: failure.message };
    }
    const recorded = await recordHostScan(db, runId, hostId, outcome);
    const hostName = host?.name ?? `#${hostId}`;
    if (recorded.recorded && outcome.status === 'ok') {
      const refreshed = await refreshHostFindings(db, hostId, options.policy, new Date(), undefined, {
        name: hostName,
        osId: outcome.osId,
        osVersion: outcome.osVersion,
        installed: outcome.scan.installed,
      });
      for (const alert of findingAlerts([refreshed])) await queues.publish(alert);
    }
    // Also after a retried job: a worker may have died between recording and closing the run.
    const finished = await finishRunIfComplete(db, runId);
    if (!recorded.recorded) {
      if (finished) await announceFinished(finished);
      return;
    }
    await queues.publish({ type: 'scan.progress', runId, host: hostName, status: outcome.status });
    if (outcome.status === 'failed' && outcome.code === 'host-key-changed') {
      await queues.publish({
        type: 'alert',
        severity: 'critical',
        subject: hostName,
        message: outcome.message,
      });
    }
    if (finished) await announceFinished(finished);
  }

  async function announceFinished(run: ScanRunRow): Promise<void> {
    await queues.publish({ type: 'scan.finished', runId: run.id });
    if (run.failed > 0) await publishFailureSummary(run.id);
  }

  async function publishFailureSummary(runId: number): Promise<void> {
    const state = await getScanRun(db, runId);
    if (!state) return;
    const failed = state.hosts.filter((h) => h.status === 'failed');
    const lines = failed.slice(0, 10).map((h) => `${h.hostName}: ${h.errorCode} — ${h.errorMessage}`);
    if (failed.length > 10) lines.push(`…and ${failed.length - 10} more`);
    await queues.publish({
      type: 'alert',
      severity: 'warning',
      subject: `scan-${runId}`,
      message: `scan-${runId}: ${failed.length} of ${state.run.total} hosts failed\n${lines.join('\n')}`,
    });
  }

  const worker = new Worker(scanQueueName(options.zone), process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
  });
  worker.on('failed', (job, error) =>
    logger.debug({ jobId: job?.id, err: error.message }, 'scan job attempt failed'),
  );
  worker.on('error', (error) => logger.error({ err: error.message }, 'scan worker error'));
  return {
    async closeCompletedRuns() {
      for (const runId of await unfinishedRunIds(db)) {
        const finished = await finishRunIfComplete(db, runId);
        if (finished) await announceFinished(finished);
      }
    },
    close: () => worker.close(),
  };
}
