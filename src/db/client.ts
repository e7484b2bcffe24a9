import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Postgres and PGlite both give this: the rest of the code never knows which one it has. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Where it is, for messages: the URL without password, or the data directory. */
  location: string;
  close(): Promise<void>;
}

// src/db and dist/db are both two levels below the package root, where drizzle/ lives.
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
// Any constant works: it only has to be the same in every patchops process sharing the database.
const migrationLockId = 7_461_736;

async function openPostgres(url: string): Promise<Database> {
  // Two processes starting together must not both migrate: serialize on an advisory lock.
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [migrationLockId]);
    await migratePg(drizzlePg(lockClient, { schema }), { migrationsFolder });
  } finally {
    await lockClient.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that the server drops (restart, failover) must not crash the process: the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => {});
  return {
    db: drizzlePg(pool, { schema }),
    kind: 'postgres',
    location: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded only when used: a Postgres deployment never pays for the embedded engine at start.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return { db, kind: 'pglite', location: dataDir ?? 'memory', close: () => client.close() };
}

/** Where the configuration says the database is: DATABASE_URL, else PGlite under the data directory. */
export function databaseOptions(config: {
  env: { DATABASE_URL?: string | undefined; PATCHOPS_DATA_DIR: string };
}): { url?: string; dataDir?: string } {
  const { env } = config;
  return env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(env.PATCHOPS_DATA_DIR, 'pglite') };
}

/** Postgres when a URL is given, otherwise embedded PGlite in dataDir (in memory when dataDir is undefined). */
export async function openDatabase(options: { url?: string; dataDir?: string }): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}
