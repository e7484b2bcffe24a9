import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { mustRun, runProcess } from './run.js';

/** /proc/mounts escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export async function mountPoints(): Promise<string[]> {
  const table = await readFile('/proc/mounts', 'utf8');
  return table
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => unescapeMountPath(line.split(' ')[1] ?? ''));
}

export async function isMounted(target: string): Promise<boolean> {
  return (await mountPoints()).includes(target);
}

/** Mount points at or below `dir`, deepest first: the order they must be unmounted in. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const found = (await mountPoints()).filter((target) => target === dir || target.startsWith(prefix));
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

export async function mountOverlay(lower: string, upper: string, work: string, target: string) {
  await mustRun('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${lower},upperdir=${upper},workdir=${work}`,
    target,
  ]);
}

export async function bindMount(source: string, target: string, options: { readOnly: boolean }) {
  await mustRun('mount', ['--bind', source, target]);
  // A bind mount ignores "ro" on the first call; read-only needs a remount.
  if (options.readOnly) await mustRun('mount', ['-o', 'remount,bind,ro', target]);
}

export async function mountProc(target: string) {
  await mustRun('mount', ['-t', 'proc', 'proc', target]);
}

/** Unmount `target` (and anything stacked on it), retrying while processes let go; lazy as a last resort. */
export async function unmountAll(target: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const mounted = (await mountPoints()).filter((point) => point === target);
    if (mounted.length === 0) return;
    const result = await runProcess('umount', [target]);
    if (result.code !== 0) await sleep(100);
  }
  if (await isMounted(target)) {
    // Still busy after 2 s: detach it so the lab never leaves a mount in the table.
    await mustRun('umount', ['--lazy', target]);
  }
}
