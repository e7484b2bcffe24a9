import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while the process exists and is not a zombie (a dead process nobody reaped yet is gone for us). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if (!(error instanceof Error && 'code' in error && error.code === 'EPERM')) return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function processCommandLine(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((part) => part !== '');
  } catch {
    return undefined;
  }
}

async function allPids(): Promise<number[]> {
  const entries = await readdir('/proc');
  return entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => Number(entry));
}

/** Processes whose root directory is `root`: everything "running on" one lab host. */
export async function processesRootedIn(root: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await allPids()) {
    try {
      if ((await readlink(`/proc/${pid}/root`)) === root) found.push(pid);
    } catch {
      // Exited while we looked, or a kernel thread.
    }
  }
  return found;
}

/** Processes running this script (it appears as an argument of their command line, e.g. `sh SCRIPT 1`). */
export async function processesRunning(script: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await allPids()) {
    if ((await processCommandLine(pid))?.includes(script)) found.push(pid);
  }
  return found;
}

async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** Every descendant of `pid` (children, grandchildren...), e.g. the per-connection processes of an sshd. */
export async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const candidate of await allPids()) {
    const parent = await parentOf(candidate);
    if (parent !== undefined) parents.set(candidate, parent);
  }
  const found = new Set<number>([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, parent] of parents) {
      if (found.has(parent) && !found.has(child)) {
        found.add(child);
        grew = true;
      }
    }
  }
  found.delete(pid);
  return [...found];
}

/** Signal each pid, then wait (bounded) until they are gone; SIGKILL whatever outlives the grace period. */
export async function killAndWait(pids: readonly number[], graceMs = 3_000): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(processAlive) && Date.now() < deadline) await sleep(25);
  for (const pid of pids.filter(processAlive)) signal(pid, 'SIGKILL');
  const hardDeadline = Date.now() + 2_000;
  while (pids.some(processAlive) && Date.now() < hardDeadline) await sleep(25);
}
