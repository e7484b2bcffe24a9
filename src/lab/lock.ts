import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from './processes.js';

/** Locks this process already holds, so nested lab operations (up → ensureBase) do not wait on themselves. */
const heldHere = new Map<string, number>();

/**
 * Serialize lab changes across processes (the CLI, several test workers): a directory created atomically,
 * owned by a pid; a lock whose owner died is taken over, so a killed run never blocks the next one.
 */
export async function withLabLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  waitMs = 20 * 60_000,
): Promise<T> {
  const depth = heldHere.get(lockDir) ?? 0;
  if (depth === 0) await acquire(lockDir, waitMs);
  heldHere.set(lockDir, depth + 1);
  try {
    return await fn();
  } finally {
    heldHere.set(lockDir, depth);
    if (depth === 0) {
      heldHere.delete(lockDir);
      await rm(lockDir, { recursive: true, force: true });
    }
  }
}

async function acquire(lockDir: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  await mkdir(path.dirname(lockDir), { recursive: true, mode: 0o755 });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'owner'), String(process.pid));
      return;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const owner = await lockOwner(lockDir);
    const ownerDied = owner !== undefined && !processAlive(owner);
    // No owner file for long means the owner died between creating the lock and naming itself.
    const ownerNeverNamed = owner === undefined && (await ageMs(lockDir)) > 10_000;
    if (ownerDied || ownerNeverNamed) await rm(lockDir, { recursive: true, force: true });
    if (Date.now() > deadline) {
      throw new Error(`the lab is busy (locked by pid ${owner ?? 'unknown'} at ${lockDir}) for too long`);
    }
    await sleep(200);
  }
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

async function lockOwner(lockDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path.join(lockDir, 'owner'), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
