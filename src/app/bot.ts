import { Worker } from 'bullmq';
import { type BotPorts, handleCommand, type Reply, renderWatched } from '../bot/core/handle.js';
import type { Actor, PermissionConfig } from '../bot/core/permissions.js';
import { type LiveViewOptions, LiveViews } from '../bot/live/live-views.js';
import type { HostRecord } from '../db/hosts.js';
import { engineEventSchema } from '../engine/events/index.js';
import { eventsQueueName } from '../engine/queues/index.js';
import { createBotPorts } from './bot-ports.js';
import type { Runtime } from './runtime.js';

/** The bot process: commands in, replies and live views out; engine events arrive through the queue. */
export interface Bot {
  handle(text: string, actor: Actor): Promise<Reply>;
  live: LiveViews;
  ports: BotPorts<HostRecord>;
  /** Who a local user is, for adapters without a directory (the console, exec). */
  localActor(name: string): Actor;
  close(): Promise<void>;
}

function permissionConfig(runtime: Runtime): PermissionConfig | undefined {
  const permissions = runtime.config.file.permissions;
  if (!permissions) return undefined;
  return { users: permissions.users, groups: permissions.groups, defaultRoles: permissions.default_roles };
}

export async function startBot(runtime: Runtime, liveOptions?: LiveViewOptions): Promise<Bot> {
  const ports = createBotPorts(runtime.database.db, runtime.engine, runtime.config);
  const live = new LiveViews((watch) => renderWatched(watch, ports), liveOptions);
  const permissions = permissionConfig(runtime);
  const members = runtime.config.file.permissions?.members ?? {};

  const events = new Worker(
    eventsQueueName,
    async (job) => {
      const parsed = engineEventSchema.safeParse(job.data);
      if (!parsed.success) {
        runtime.logger.warn({ jobId: job.id }, 'ignored a malformed engine event');
        return;
      }
      await live.onEvent(parsed.data);
    },
    { connection: runtime.redis, prefix: runtime.config.env.PATCHOPS_QUEUE_PREFIX, concurrency: 4 },
  );
  events.on('error', (error) => runtime.logger.error({ err: error.message }, 'events consumer error'));

  return {
    live,
    ports,
    handle: (text, actor) => handleCommand(text, actor, ports, permissions),
    localActor: (name) => ({ id: name, name, groups: members[name] ?? [] }),
    async close() {
      live.close();
      await events.close();
    },
  };
}
