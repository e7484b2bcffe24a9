import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { baselineCatalog, catalogHash } from './catalog.js';
import type { LabConfig } from './config.js';
import { labPaths } from './config.js';
import { debFileName } from './deb.js';
import { bindMount, mountProc, mountsUnder, unmountAll } from './mounts.js';
import { processAlive } from './processes.js';
import { labSourcesList, repoDir, repoFormat } from './repos.js';
import { mustRun } from './run.js';
import { ensureMachineUser, type LabUser } from './users.js';

/** Bump when the build steps below change, so cached bases are rebuilt. */
const recipeVersion = 2;
// python3-minimal alone lacks modules Ansible's shell module imports (shutil...): benchmarks need the full one.
const extraPackages = ['sudo', 'python3'];

const stampSchema = z.object({
  recipeVersion: z.number(),
  catalog: z.string(),
  uid: z.number(),
  gid: z.number(),
  repos: z.string(),
  builtAt: z.string(),
  buildSeconds: z.number(),
});
export type BaseStamp = z.infer<typeof stampSchema>;

function wantedStamp(config: LabConfig, user: LabUser) {
  return {
    recipeVersion,
    catalog: `${catalogHash()}-format${repoFormat}`,
    uid: user.uid,
    gid: user.gid,
    repos: labPaths(config).repos,
  };
}

export async function readBaseStamp(config: LabConfig): Promise<BaseStamp | undefined> {
  try {
    return stampSchema.parse(JSON.parse(await readFile(labPaths(config).baseStamp, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Is the cached base usable as it is? (A base without a stamp is an interrupted build: never reused.) */
export async function baseIsCurrent(config: LabConfig): Promise<boolean> {
  const user = await ensureMachineUser();
  const stamp = await readBaseStamp(config);
  if (stamp === undefined) return false;
  const wanted = wantedStamp(config, user);
  return (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => stamp[key] === wanted[key]);
}

/**
 * Build the base into a temporary directory and rename it into place, so an interrupted build is never
 * mistaken for a finished one. Callers make sure no host overlays the old base (see fleet.ts).
 */
export async function buildBase(config: LabConfig, log: (line: string) => void): Promise<BaseStamp> {
  const paths = labPaths(config);
  const user = await ensureMachineUser();
  const started = Date.now();
  await removeAbandonedBuilds(config.dir);
  const build = path.join(config.dir, `base.build-${process.pid}`);
  await rm(build, { recursive: true, force: true });
  try {
    log(`debootstrap --variant=minbase bookworm (${config.mirror})...`);
    const cache = path.join(config.dir, 'cache', 'debootstrap');
    await mkdir(cache, { recursive: true, mode: 0o755 });
    await mustRun(
      'debootstrap',
      ['--variant=minbase', `--cache-dir=${cache}`, 'bookworm', build, config.mirror],
      { timeoutMs: 20 * 60_000 },
    );
    await withChrootMounts(build, async () => {
      log(`installing ${extraPackages.join(', ')} in the base...`);
      await installFromMirror(build);
      await addUser(build, user);
      await installCatalog(build, paths.repos);
      log('pointing the base at the local repositories only...');
      await useLocalRepositories(build, paths.repos);
    });
    const stamp: BaseStamp = {
      ...wantedStamp(config, user),
      builtAt: new Date().toISOString(),
      buildSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
    await writeFile(path.join(build, 'etc', path.basename(paths.baseStamp)), `${JSON.stringify(stamp)}\n`);
    await replaceDirectory(build, paths.base);
    return stamp;
  } catch (error) {
    for (const mount of await mountsUnder(build)) await unmountAll(mount);
    await rm(build, { recursive: true, force: true });
    throw error;
  }
}

async function removeAbandonedBuilds(dir: string) {
  for (const entry of await readdir(dir)) {
    const match = /^base\.(?:build|old)-(\d+)$/.exec(entry);
    if (!match || processAlive(Number(match[1]))) continue;
    const leftover = path.join(dir, entry);
    for (const mount of await mountsUnder(leftover)) await unmountAll(mount);
    await rm(leftover, { recursive: true, force: true });
  }
}

async function replaceDirectory(fresh: string, target: string) {
  const old = path.join(path.dirname(target), `base.old-${process.pid}`);
  await rm(old, { recursive: true, force: true });
  await rename(target, old).catch((error: unknown) => {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  });
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
}

async function withChrootMounts(root: string, fn: () => Promise<void>) {
  await bindMount('/dev', path.join(root, 'dev'), { readOnly: false });
  try {
    await mountProc(path.join(root, 'proc'));
    await fn();
  } finally {
    for (const mount of await mountsUnder(root)) await unmountAll(mount);
  }
}

function inChroot(root: string, args: readonly string[], timeoutMs = 10 * 60_000) {
  return mustRun('chroot', [root, ...args], { timeoutMs });
}

async function installFromMirror(root: string) {
  // No daemons may start inside the build chroot.
  const policy = path.join(root, 'usr/sbin/policy-rc.d');
  await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  await copyFile('/etc/resolv.conf', path.join(root, 'etc/resolv.conf'));
  await inChroot(root, ['apt-get', 'update', '-q']);
  await inChroot(root, ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...extraPackages]);
  await rm(policy, { force: true });
  await writeFile(path.join(root, 'etc/resolv.conf'), '');
}

async function addUser(root: string, user: LabUser) {
  // Same uid and gid as on the machine, or sudo says "you do not exist in the passwd database".
  await inChroot(root, ['groupadd', '-g', String(user.gid), user.name]);
  await inChroot(root, [
    'useradd',
    '-u',
    String(user.uid),
    '-g',
    String(user.gid),
    '-m',
    '-s',
    '/bin/bash',
    user.name,
  ]);
  await inChroot(root, ['usermod', '-p', '*', user.name]);
  const sudoers = path.join(root, 'etc/sudoers.d', user.name);
  await writeFile(sudoers, `${user.name} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
}

async function installCatalog(root: string, reposDir: string) {
  const staging = path.join(root, 'tmp', 'patchops-lab-debs');
  await mkdir(staging, { recursive: true });
  const names: string[] = [];
  for (const entry of baselineCatalog.filter((candidate) => candidate.installed)) {
    const file = debFileName({ name: entry.spec.name, version: entry.spec.version });
    await copyFile(path.join(repoDir(reposDir, entry.repo), file), path.join(staging, file));
    names.push(`/tmp/patchops-lab-debs/${file}`);
  }
  await inChroot(root, ['dpkg', '-i', ...names]);
  await rm(staging, { recursive: true, force: true });
}

async function useLocalRepositories(root: string, reposDir: string) {
  await rm(path.join(root, 'etc/apt/sources.list'), { force: true });
  await writeFile(path.join(root, 'etc/apt/sources.list.d/patchops-lab.list'), labSourcesList(reposDir));
  const mountPoint = path.join(root, reposDir);
  await mkdir(mountPoint, { recursive: true, mode: 0o755 });
  await bindMount(reposDir, mountPoint, { readOnly: true });
  try {
    // Fresh hosts start with these lists, so a read-only scan sees the baseline updates without a refresh.
    await inChroot(root, ['apt-get', 'update', '-q']);
  } finally {
    await unmountAll(mountPoint);
  }
  await inChroot(root, ['apt-get', 'clean']);
}
