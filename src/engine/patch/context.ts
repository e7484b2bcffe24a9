import type { Db } from '../../db/client.js';
import type { HostRecord } from '../../db/hosts.js';
import type { Logger } from '../../logger.js';
import type { Policy } from '../prioritize/index.js';
import type { EngineQueues } from '../queues/index.js';
import type { TargetDefaults } from '../scan/targets.js';
import type { SshSettings } from '../ssh/client.js';
import type { RebootTimeouts } from './reboot.js';

/** What a patch job needs from its worker. */
export interface PatchSettings {
  leaseMs: number;
  minFreeMb: number;
  lockWaitSeconds: number;
  reboot: RebootTimeouts;
}

export interface PatchContext {
  db: Db;
  queues: EngineQueues;
  logger: Logger;
  ssh: SshSettings;
  targets: TargetDefaults;
  policy: Policy;
  settings: PatchSettings;
  /** The inventory by name (bastions are looked up there), cached for a few seconds. */
  hosts: () => Promise<Map<string, HostRecord>>;
  /** Tell the bot a rollout's view changed (throttled: see rolloutChangeNotifier). */
  changed: (rolloutId: number) => Promise<void>;
}

/**
 * A rollout's live view is re-rendered at most once a second anyway: telling the bot about every host
 * would cost a queue job per host for nothing. At most one notice per rollout per interval from this
 * worker; the conductor announces every status change itself, and the bot re-reads on a timer.
 */
export function rolloutChangeNotifier(queues: EngineQueues, intervalMs = 500) {
  const last = new Map<number, number>();
  return async (rolloutId: number): Promise<void> => {
    const now = Date.now();
    if (now - (last.get(rolloutId) ?? 0) < intervalMs) return;
    last.set(rolloutId, now);
    await queues.publish({ type: 'rollout.changed', rolloutId, final: false });
  };
}
