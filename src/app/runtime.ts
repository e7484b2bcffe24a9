import type { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import { type Database, databaseOptions, openDatabase } from '../db/client.js';
import { syncInventory } from '../db/hosts.js';
import { EngineClient } from '../engine/client.js';
import type { InventoryHost } from '../engine/inventory/types.js';
import { assertRedisReachable, createRedis } from '../engine/queues/connection.js';
import { EngineQueues } from '../engine/queues/index.js';
import type { Logger } from '../logger.js';
import { importKnownHosts } from './known-hosts-import.js';

/** What every patchops process shares: the database, Redis, the queues. */
export interface Runtime {
  config: Config;
  logger: Logger;
  database: Database;
  redis: Redis;
  queues: EngineQueues;
  engine: EngineClient;
  close(): Promise<void>;
}

export async function createRuntime(
  config: Config,
  logger: Logger,
  inventory: InventoryHost[] | undefined,
): Promise<Runtime> {
  const { env } = config;
  await assertRedisReachable(env.REDIS_URL);
  const database = await openDatabase(databaseOptions(config));
  try {
    if (inventory) {
      const synced = await syncInventory(database.db, inventory);
      logger.info({ ...synced, updated: synced.updated.length }, 'inventory synced');
      if (env.PATCHOPS_KNOWN_HOSTS)
        await importKnownHosts(database.db, env.PATCHOPS_KNOWN_HOSTS, inventory, logger);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const redis = createRedis(env.REDIS_URL);
  const queues = new EngineQueues({
    connection: redis,
    prefix: env.PATCHOPS_QUEUE_PREFIX,
    scanAttempts: env.PATCHOPS_SCAN_ATTEMPTS,
  });
  return {
    config,
    logger,
    database,
    redis,
    queues,
    engine: new EngineClient(database.db, queues),
    async close() {
      await queues.close();
      redis.disconnect();
      await database.close();
    },
  };
}
