/**
 * The lab: a real fleet of Debian hosts on this machine (one chrooted sshd per host on its own loopback
 * address, overlays over one debootstrapped base, local apt repositories with security and non-security
 * updates). Used by `npm run lab` and by the integration tests; see src/lab/README.md.
 */
import { type LabConfig, labConfigFromEnv, labPaths } from './config.js';
import type { PackageSpecInput } from './deb.js';
import { down, type Log, publish, resetHost, resetRepos, status, up, writeFleetFiles } from './fleet.js';
import { chrootExec, type HostRef, labHost, rebootHost, rotateHostKey, startHost, stopHost } from './host.js';
import { withLabLock } from './lock.js';
import type { RepoName } from './repos.js';

export { demoPackages, demoSourceOfOpenssl } from './catalog.js';
export type { LabConfig } from './config.js';
export { healthCommandPath, type PackageSpecInput } from './deb.js';
export type { HostStatus, LabStatus, Log, UpReport } from './fleet.js';
export type { HostRef, LabHost } from './host.js';
export { labReadiness } from './prerequisites.js';
export { inChrootRebootCommandPath } from './reboot-script.js';
export { type RepoName, repoNames } from './repos.js';
export { labUserName } from './users.js';

export function createLab(config: LabConfig = labConfigFromEnv()) {
  const paths = labPaths(config);
  const locked = <T>(fn: () => Promise<T>) => withLabLock(paths.lock, fn);
  return {
    config,
    paths,
    /** Hosts lab-01..lab-NN running (idempotent); builds repositories and base when needed. */
    up: (count: number, log?: Log) => up(config, count, log),
    /** Stop every host and unmount everything. */
    down: (log?: Log) => down(config, log),
    status: () => status(config),
    host: (ref: HostRef | number) => labHost(config, ref),
    /** Build a package version into a repository and re-index it. */
    publish: (repo: RepoName, spec: PackageSpecInput) => publish(config, repo, spec),
    resetRepos: (log?: Log) => resetRepos(config, log),
    /** The host from a clean overlay again (packages back to the base's). */
    resetHost: (ref: HostRef) => resetHost(config, ref),
    /** Run a shell command inside the host's chroot as root, from the machine. */
    chrootExec: (ref: HostRef, command: string, options?: { timeoutMs?: number }) =>
      chrootExec(config, ref, command, options),
    /** New host key and sshd restarted; returns `type base64` of the new key. Updates known_hosts. */
    rotateHostKey: (ref: HostRef) =>
      locked(async () => {
        const key = await rotateHostKey(config, ref);
        await writeFleetFiles(config);
        return key;
      }),
    /** Stop the host's sshd (and its sessions): connections are refused until startHost. */
    stopHost: (ref: HostRef) => locked(() => stopHost(config, ref)),
    startHost: (ref: HostRef) => locked(() => startHost(config, ref)),
    /** Simulated reboot from the machine: down at once for about `delaySeconds`, then sshd is back. */
    rebootHost: (ref: HostRef, delaySeconds?: number) => rebootHost(config, ref, delaySeconds),
  };
}

export type Lab = ReturnType<typeof createLab>;
