import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { labHostIndex, maxLabHosts } from './addresses.js';
import { baseIsCurrent, buildBase, readBaseStamp } from './base.js';
import { baselineCatalog, catalogHash } from './catalog.js';
import type { LabConfig } from './config.js';
import { labPaths } from './config.js';
import type { PackageSpecInput } from './deb.js';
import {
  type HostRef,
  hostPublicKey,
  isMountedHost,
  type LabHost,
  labHost,
  sshdPid,
  startHost,
  tearDownHost,
} from './host.js';
import { renderAnsibleInventory, renderKnownHosts, renderYamlInventory } from './inventory-files.js';
import { ensureClientKey } from './keys.js';
import { withLabLock } from './lock.js';
import { mountsUnder, unmountAll } from './mounts.js';
import { labReadiness } from './prerequisites.js';
import { inChrootRebootCommandPath } from './reboot-script.js';
import { publishManyToRepos, publishToRepo, type RepoName, removeRepos, repoFormat } from './repos.js';
import { labUserName } from './users.js';

export type Log = (line: string) => void;
const quiet: Log = () => {};

export interface UpReport {
  hosts: LabHost[];
  started: string[];
  reused: string[];
  baseBuilt: boolean;
  reposBuilt: boolean;
  /** Milliseconds spent on each step. */
  timings: { repos: number; base: number; hosts: number; total: number };
  files: { inventoryYaml: string; inventoryYamlNonRoot: string; inventoryIni: string; knownHosts: string };
}

export interface HostStatus {
  name: string;
  address: string;
  port: number;
  mounted: boolean;
  sshdPid: number | undefined;
}

export interface LabStatus {
  dir: string;
  base: { builtAt: string; buildSeconds: number } | undefined;
  hosts: HostStatus[];
}

async function assertReady(config: LabConfig) {
  const readiness = await labReadiness();
  if (!readiness.ready) throw new Error(`the lab cannot run here: ${readiness.problems.join('; ')}`);
  await mkdir(config.dir, { recursive: true, mode: 0o755 });
  await assertChrootSafe(config.dir);
}

/** sshd refuses a chroot with any path component not owned by root or writable by group/others. */
async function assertChrootSafe(dir: string) {
  await chmod(dir, 0o755);
  for (let current = dir; ; current = path.dirname(current)) {
    const info = await stat(current);
    if (info.uid !== 0 || (info.mode & 0o022) !== 0) {
      throw new Error(
        `${current} must be owned by root and not group/other-writable, or sshd refuses the lab's chroots; ` +
          'choose another PATCHOPS_LAB_DIR (e.g. under /srv or /var/lib)',
      );
    }
    if (current === path.dirname(current)) return;
  }
}

const repoStampSchema = z.object({ catalog: z.string(), format: z.number() });

async function ensureRepos(config: LabConfig, log: Log, force: boolean): Promise<boolean> {
  const paths = labPaths(config);
  if (!force) {
    try {
      const stamp = repoStampSchema.parse(JSON.parse(await readFile(paths.repoStamp, 'utf8')));
      if (stamp.catalog === catalogHash() && stamp.format === repoFormat) return false;
    } catch {
      // No stamp or an unreadable one: build.
    }
  }
  log('building the local apt repositories (main, security, updates)...');
  await removeRepos(paths.repos);
  await mkdir(paths.repos, { recursive: true, mode: 0o755 });
  await rm(paths.repoStamp, { force: true });
  await publishManyToRepos(paths.repos, baselineCatalog);
  await writeFile(paths.repoStamp, `${JSON.stringify({ catalog: catalogHash(), format: repoFormat })}\n`);
  return true;
}

/** Hosts that have a directory under the lab, running or not, in index order. */
async function knownHosts(config: LabConfig): Promise<LabHost[]> {
  const entries = await readdir(labPaths(config).hosts).catch(() => []);
  return entries
    .map((entry) => labHostIndex(entry))
    .filter((index): index is number => index !== undefined)
    .sort((a, b) => a - b)
    .map((index) => labHost(config, index));
}

async function runningHosts(config: LabConfig): Promise<LabHost[]> {
  const running: LabHost[] = [];
  for (const host of await knownHosts(config)) if ((await sshdPid(host)) !== undefined) running.push(host);
  return running;
}

export async function writeFleetFiles(config: LabConfig): Promise<UpReport['files']> {
  const paths = labPaths(config);
  const entries = [];
  for (const host of await runningHosts(config)) {
    entries.push({
      name: host.name,
      address: host.address,
      port: host.port,
      hostKey: await hostPublicKey(host),
    });
  }
  const common = {
    hosts: entries,
    port: config.port,
    keyFile: paths.clientKey,
    knownHostsFile: paths.knownHosts,
    rebootCommand: inChrootRebootCommandPath,
  };
  const inventoryYamlNonRoot = path.join(config.dir, `inventory-${labUserName}.yaml`);
  await writeFile(paths.inventoryYaml, renderYamlInventory({ ...common, user: 'root', become: false }));
  await writeFile(inventoryYamlNonRoot, renderYamlInventory({ ...common, user: labUserName, become: true }));
  await writeFile(paths.inventoryIni, renderAnsibleInventory({ ...common, user: 'root', become: false }));
  await writeFile(paths.knownHosts, renderKnownHosts(entries));
  return {
    inventoryYaml: paths.inventoryYaml,
    inventoryYamlNonRoot,
    inventoryIni: paths.inventoryIni,
    knownHosts: paths.knownHosts,
  };
}

/** Run `fn` over items with at most `limit` at once (mount and sshd start are quick but not free). */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Make sure hosts lab-01..lab-NN run. Idempotent: running hosts are reused as they are, missing ones start
 * from a fresh overlay. Builds the repositories and the base first if they are missing or out of date.
 */
export async function up(config: LabConfig, count: number, log: Log = quiet): Promise<UpReport> {
  if (!Number.isInteger(count) || count < 1 || count > maxLabHosts) {
    throw new RangeError(`host count must be 1..${maxLabHosts}, got ${count}`);
  }
  await assertReady(config);
  return withLabLock(labPaths(config).lock, async () => {
    const began = Date.now();
    const reposBuilt = await ensureRepos(config, log, false);
    const reposDone = Date.now();
    let baseBuilt = false;
    if (!(await baseIsCurrent(config))) {
      const mounted = await mountedHosts(config);
      if (mounted.length > 0) {
        log(`the base is out of date: stopping ${mounted.length} host(s) that overlay it...`);
        for (const host of mounted) await tearDownHost(config, host);
      }
      log('building the base (debootstrap, done once and cached)...');
      const stamp = await buildBase(config, log);
      log(`base built in ${stamp.buildSeconds} s`);
      baseBuilt = true;
    }
    const baseDone = Date.now();
    await ensureClientKey(config);
    const wanted = Array.from({ length: count }, (_, i) => labHost(config, i + 1));
    const started: string[] = [];
    const reused: string[] = [];
    await eachLimited(wanted, 4, async (host) => {
      const running = (await sshdPid(host)) !== undefined;
      // Idempotent: for a running host this only refreshes its generated files.
      await startHost(config, host);
      (running ? reused : started).push(host.name);
    });
    const hostsDone = Date.now();
    const files = await writeFleetFiles(config);
    return {
      hosts: wanted,
      started: started.sort(),
      reused: reused.sort(),
      baseBuilt,
      reposBuilt,
      timings: {
        repos: reposDone - began,
        base: baseDone - reposDone,
        hosts: hostsDone - baseDone,
        total: Date.now() - began,
      },
      files,
    };
  });
}

async function mountedHosts(config: LabConfig): Promise<LabHost[]> {
  const mounted: LabHost[] = [];
  for (const host of await knownHosts(config)) if (await isMountedHost(host)) mounted.push(host);
  return mounted;
}

/** Stop every host (sshd by its pid file, then anything left in its chroot) and unmount everything. */
export async function down(config: LabConfig, log: Log = quiet): Promise<{ stopped: string[] }> {
  return withLabLock(labPaths(config).lock, async () => {
    const stopped: string[] = [];
    for (const host of await knownHosts(config)) {
      const wasUp = (await sshdPid(host)) !== undefined || (await isMountedHost(host));
      await tearDownHost(config, host);
      if (wasUp) stopped.push(host.name);
    }
    // Whatever else is still mounted under the lab (an interrupted build, a host directory renamed by hand).
    for (const mount of await mountsUnder(config.dir)) {
      log(`unmounting leftover ${mount}`);
      await unmountAll(mount);
    }
    const paths = labPaths(config);
    for (const file of [paths.inventoryYaml, paths.inventoryIni, paths.knownHosts])
      await rm(file, { force: true });
    await rm(path.join(config.dir, `inventory-${labUserName}.yaml`), { force: true });
    return { stopped };
  });
}

export async function status(config: LabConfig): Promise<LabStatus> {
  const stamp = await readBaseStamp(config);
  const hosts: HostStatus[] = [];
  for (const host of await knownHosts(config)) {
    hosts.push({
      name: host.name,
      address: host.address,
      port: host.port,
      mounted: await isMountedHost(host),
      sshdPid: await sshdPid(host),
    });
  }
  return {
    dir: config.dir,
    base: stamp === undefined ? undefined : { builtAt: stamp.builtAt, buildSeconds: stamp.buildSeconds },
    hosts,
  };
}

/** Publish a package version into a repository. Hosts see it after `apt-get update`, as on a real fleet. */
export async function publish(config: LabConfig, repo: RepoName, spec: PackageSpecInput): Promise<string> {
  await assertReady(config);
  return withLabLock(labPaths(config).lock, () => publishToRepo(labPaths(config).repos, repo, spec));
}

/** Put the repositories back to their baseline content (drops everything published since). */
export async function resetRepos(config: LabConfig, log: Log = quiet): Promise<void> {
  await assertReady(config);
  await withLabLock(labPaths(config).lock, async () => {
    await ensureRepos(config, log, true);
  });
}

/** Start a host from a clean overlay: its packages and files back to the base's. */
export async function resetHost(config: LabConfig, ref: HostRef): Promise<LabHost> {
  return withLabLock(labPaths(config).lock, async () => {
    const host = labHost(config, ref);
    await tearDownHost(config, host);
    return startHost(config, host);
  });
}
