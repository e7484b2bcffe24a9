import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {
  constructor(url: string, cause: string) {
    super(
      `patchops needs Redis and cannot reach it at ${url} (${cause}). ` +
        'Start one with `redis-server --daemonize yes` (or `docker compose up -d redis`), or set REDIS_URL.',
    );
    this.name = 'RedisUnavailableError';
  }
}

/** BullMQ wants maxRetriesPerRequest: null so blocking commands survive reconnects. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Fail fast with one clear sentence instead of ioredis's endless reconnect log. */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // connect() only says "Connection is closed"; the socket error says why (ECONNREFUSED, ENOTFOUND...).
  let socketError: NodeJS.ErrnoException | undefined;
  probe.on('error', (error: NodeJS.ErrnoException) => {
    socketError ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const cause = socketError ?? (error as NodeJS.ErrnoException);
    throw new RedisUnavailableError(url, cause.code ?? cause.message);
  } finally {
    probe.disconnect();
  }
}
