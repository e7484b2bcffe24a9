import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { databaseHostKeyStore } from '../db/host-keys.js';
import { cachedHosts } from '../db/hosts.js';
import { startAdvisorySync } from '../engine/advisories/sync-worker.js';
import { startConductor } from '../engine/conductor/worker.js';
import { rolloutChangeNotifier } from '../engine/patch/context.js';
import { startPatchWorker } from '../engine/patch/worker.js';
import { startScanWorker } from '../engine/scan/worker.js';
import type { SshSettings } from '../engine/ssh/client.js';
import type { Runtime } from './runtime.js';

/** A host whose worker died this many times in a row is given up rather than tried forever. */
const MAX_DISPATCHES = 10;

/** The key used when a host names none: PATCHOPS_SSH_KEY, else the usual OpenSSH defaults that exist. */
function defaultKeyFile(configured: string | undefined): string | undefined {
  if (configured) return configured;
  return ['id_ed25519', 'id_ecdsa', 'id_rsa']
    .map((name) => join(homedir(), '.ssh', name))
    .find((path) => existsSync(path));
}

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(runtime: Runtime): Promise<RunningWorker> {
  const { env } = runtime.config;
  const keyFile = defaultKeyFile(env.PATCHOPS_SSH_KEY);
  const ssh: SshSettings = {
    connectTimeoutMs: env.PATCHOPS_SSH_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: env.PATCHOPS_SSH_COMMAND_TIMEOUT_MS,
    defaultUser: env.PATCHOPS_SSH_USER,
    ...(keyFile ? { defaultKeyFile: keyFile } : {}),
    ...(env.SSH_AUTH_SOCK ? { agentSocket: env.SSH_AUTH_SOCK } : {}),
    hostKeyPolicy: env.PATCHOPS_HOST_KEY_POLICY,
    hostKeys: databaseHostKeyStore(runtime.database.db),
  };
  const scans = startScanWorker({
    db: runtime.database.db,
    queues: runtime.queues,
    connection: runtime.redis,
    prefix: env.PATCHOPS_QUEUE_PREFIX,
    zone: env.PATCHOPS_ZONE,
    concurrency: env.PATCHOPS_SCAN_CONCURRENCY,
    ssh,
    targets: { user: env.PATCHOPS_SSH_USER, ...(keyFile ? { keyFile } : {}) },
    logger: runtime.logger,
    policy: runtime.config.policy,
  });
  const advisorySync = await startAdvisorySync({
    db: runtime.database.db,
    queues: runtime.queues,
    connection: runtime.redis,
    prefix: env.PATCHOPS_QUEUE_PREFIX,
    policy: runtime.config.policy,
    sources: env.PATCHOPS_ADVISORY_SOURCES,
    schedule: env.PATCHOPS_ADVISORY_SCHEDULE,
    logger: runtime.logger,
  });
  const config = runtime.config.file;
  const conductor = await startConductor(
    {
      db: runtime.database.db,
      queues: runtime.queues,
      logger: runtime.logger,
      leaseMs: env.PATCHOPS_ROLLOUT_LEASE_MS,
      maxDispatches: MAX_DISPATCHES,
      windows: config.windows,
    },
    { connection: runtime.redis, prefix: env.PATCHOPS_QUEUE_PREFIX },
  );
  const patches = startPatchWorker(
    {
      db: runtime.database.db,
      queues: runtime.queues,
      logger: runtime.logger,
      ssh,
      targets: { user: env.PATCHOPS_SSH_USER, ...(keyFile ? { keyFile } : {}) },
      policy: runtime.config.policy,
      hosts: cachedHosts(runtime.database.db),
      changed: rolloutChangeNotifier(runtime.queues),
      settings: {
        leaseMs: env.PATCHOPS_ROLLOUT_LEASE_MS,
        minFreeMb: config.rollouts.min_free_mb,
        lockWaitSeconds: config.rollouts.lock_wait.seconds,
        reboot: { downMs: 120_000, upMs: config.rollouts.reboot_timeout.seconds * 1000, pollMs: 2000 },
      },
    },
    {
      connection: runtime.redis,
      prefix: env.PATCHOPS_QUEUE_PREFIX,
      zone: env.PATCHOPS_ZONE,
      concurrency: env.PATCHOPS_PATCH_CONCURRENCY,
    },
  );
  await scans.closeCompletedRuns();
  const rollbacks = await runtime.engine.requeueRollbacks();
  if (rollbacks > 0) runtime.logger.info({ rollbacks }, 'requeued unfinished rollbacks');
  const requeued = await runtime.engine.requeueUnfinished();
  if (requeued > 0) runtime.logger.info({ requeued }, 'requeued unfinished host scans');
  runtime.logger.info(
    { zone: env.PATCHOPS_ZONE ?? '(none)', concurrency: env.PATCHOPS_SCAN_CONCURRENCY },
    'worker started',
  );
  return {
    async close() {
      await Promise.all([scans.close(), advisorySync.close(), patches.close(), conductor.close()]);
    },
  };
}
