import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { labHostAddress, labHostIndex, labHostName } from './addresses.js';
import type { LabConfig } from './config.js';
import { labPaths } from './config.js';
import { generateKeyPair } from './keys.js';
import { bindMount, isMounted, mountOverlay, mountProc, mountsUnder, unmountAll } from './mounts.js';
import {
  descendantsOf,
  killAndWait,
  processAlive,
  processCommandLine,
  processesRootedIn,
  processesRunning,
} from './processes.js';
import {
  inChrootRebootCommandPath,
  renderInChrootRebootCommand,
  renderRebootScript,
  renderRebootWorker,
} from './reboot-script.js';
import { mustRun, type ProcessResult, runProcess, toolEnv } from './run.js';
import { renderSshdConfig } from './sshd-config.js';

/** One lab host: where it listens and where its files live on the machine. */
export interface LabHost {
  index: number;
  name: string;
  address: string;
  port: number;
  /** Per-host directory on the machine (sshd config, host key, overlay layers). */
  dir: string;
  /** The host's filesystem as the machine sees it (the overlay mount, its sshd's ChrootDirectory). */
  root: string;
  /** Run this on the machine to simulate a reboot: `reboot.sh [delay-seconds]`. */
  rebootScript: string;
  /** The same, from inside the host (as root): what a per-host `reboot_command` points at. */
  rebootCommand: string;
}

export type HostRef = LabHost | string;

export function labHost(config: LabConfig, ref: HostRef | number): LabHost {
  if (typeof ref === 'object') return ref;
  const index = typeof ref === 'number' ? ref : labHostIndex(ref);
  if (index === undefined)
    throw new Error(`not a lab host name: ${String(ref)} (expected lab-01, lab-02...)`);
  const name = labHostName(index);
  const dir = path.join(labPaths(config).hosts, name);
  return {
    index,
    name,
    address: labHostAddress(index),
    port: config.port,
    dir,
    root: path.join(dir, 'root'),
    rebootScript: path.join(dir, 'reboot.sh'),
    rebootCommand: inChrootRebootCommandPath,
  };
}

export function hostFiles(host: LabHost) {
  return {
    upper: path.join(host.dir, 'upper'),
    work: path.join(host.dir, 'work'),
    hostKey: path.join(host.dir, 'ssh_host_ed25519_key'),
    hostPublicKey: path.join(host.dir, 'ssh_host_ed25519_key.pub'),
    sshdConfig: path.join(host.dir, 'sshd_config'),
    pidFile: path.join(host.dir, 'sshd.pid'),
    sshdLog: path.join(host.dir, 'sshd.log'),
    rebootWorker: path.join(host.dir, 'reboot-worker.sh'),
    rebootLog: path.join(host.dir, 'reboot.log'),
  };
}

/** Mount the host's filesystem; a host that was not mounted starts from a clean upper layer. */
export async function mountHost(config: LabConfig, host: LabHost): Promise<{ fresh: boolean }> {
  const paths = labPaths(config);
  const files = hostFiles(host);
  let fresh = false;
  if (!(await isMounted(host.root))) {
    fresh = true;
    await rm(files.upper, { recursive: true, force: true });
    await rm(files.work, { recursive: true, force: true });
    for (const dir of [host.dir, files.upper, files.work, host.root])
      await mkdir(dir, { recursive: true, mode: 0o755 });
    await mountOverlay(paths.base, files.upper, files.work, host.root);
  }
  const dev = path.join(host.root, 'dev');
  if (!(await isMounted(dev))) await bindMount('/dev', dev, { readOnly: false });
  const proc = path.join(host.root, 'proc');
  if (!(await isMounted(proc))) await mountProc(proc);
  // The local repositories appear at the same path inside every host, read-only.
  const repos = path.join(host.root, paths.repos);
  if (!(await isMounted(repos))) {
    await mkdir(repos, { recursive: true, mode: 0o755 });
    await bindMount(paths.repos, repos, { readOnly: true });
  }
  return { fresh };
}

export async function unmountHost(host: LabHost): Promise<void> {
  for (const mount of await mountsUnder(host.root)) await unmountAll(mount);
}

async function ensureHostKey(host: LabHost): Promise<void> {
  const files = hostFiles(host);
  try {
    await readFile(files.hostPublicKey, 'utf8');
  } catch {
    await generateHostKey(host);
  }
}

async function generateHostKey(host: LabHost): Promise<void> {
  const files = hostFiles(host);
  await rm(files.hostKey, { force: true });
  await rm(files.hostPublicKey, { force: true });
  await generateKeyPair(files.hostKey, `${host.name}-host-key`);
}

/** Write sshd config, reboot scripts and the in-host reboot command. Cheap; done on every start. */
async function writeHostFiles(config: LabConfig, host: LabHost): Promise<void> {
  const paths = labPaths(config);
  const files = hostFiles(host);
  await ensureHostKey(host);
  await writeFile(
    files.sshdConfig,
    renderSshdConfig({
      address: host.address,
      port: host.port,
      hostKey: files.hostKey,
      pidFile: files.pidFile,
      chroot: host.root,
      authorizedKeysFile: path.join(paths.authorizedKeysDir, '%u'),
    }),
  );
  const rebootInput = {
    hostName: host.name,
    root: host.root,
    pidFile: files.pidFile,
    sshdConfig: files.sshdConfig,
    sshdLog: files.sshdLog,
    rebootLog: files.rebootLog,
    workerScript: files.rebootWorker,
    defaultDelaySeconds: config.rebootDelaySeconds,
  };
  await writeFile(host.rebootScript, renderRebootScript(rebootInput), { mode: 0o755 });
  await writeFile(files.rebootWorker, renderRebootWorker(rebootInput), { mode: 0o755 });
  const inHost = path.join(host.root, inChrootRebootCommandPath);
  await mkdir(path.dirname(inHost), { recursive: true, mode: 0o755 });
  await writeFile(inHost, renderInChrootRebootCommand(host.name, host.rebootScript));
  await chmod(inHost, 0o755);
}

/** The pid of this host's listening sshd, if it runs (checked against its command line: pids get reused). */
export async function sshdPid(host: LabHost): Promise<number | undefined> {
  const files = hostFiles(host);
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(files.pidFile, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined;
  const commandLine = await processCommandLine(pid);
  // sshd rewrites its argv into one title ("sshd: /usr/sbin/sshd -f CONFIG ... [listener]"): match the text.
  return commandLine?.join(' ').includes(`-f ${files.sshdConfig} `) ? pid : undefined;
}

function portOpen(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: timeoutMs });
    const finish = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
  });
}

/** Start the host's sshd (mounting first if needed) and wait until it accepts connections. */
export async function startHost(config: LabConfig, ref: HostRef): Promise<LabHost> {
  const host = labHost(config, ref);
  await mountHost(config, host);
  await writeHostFiles(config, host);
  if ((await sshdPid(host)) !== undefined) return host;
  const files = hostFiles(host);
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const started = await runProcess('/usr/sbin/sshd', ['-f', files.sshdConfig, '-E', files.sshdLog]);
  if (started.code !== 0) {
    const log = await readFile(files.sshdLog, 'utf8').catch(() => '');
    const lastLines = log.trim().split('\n').slice(-5).join('\n');
    const hint = /Address already in use/.test(log)
      ? ` (something else listens on ${host.address}:${host.port}; set PATCHOPS_LAB_PORT to another port)`
      : '';
    throw new Error(`${host.name}: sshd did not start${hint}:\n${started.stderr}${lastLines}`);
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if ((await sshdPid(host)) !== undefined && (await portOpen(host.address, host.port, 500))) return host;
    await sleep(20);
  }
  throw new Error(`${host.name}: sshd started but ${host.address}:${host.port} does not accept connections`);
}

/** Stop the host's sshd and drop its open sessions: the host becomes unreachable, its filesystem stays. */
export async function stopHost(config: LabConfig, ref: HostRef): Promise<void> {
  const host = labHost(config, ref);
  const pid = await sshdPid(host);
  if (pid === undefined) return;
  await killAndWait([pid, ...(await descendantsOf(pid))]);
  await rm(hostFiles(host).pidFile, { force: true });
}

/**
 * Stop everything of the host: a simulated reboot still under way (it would start sshd again after its
 * delay), sshd, its sessions, every process inside the chroot, and the mounts.
 */
export async function tearDownHost(config: LabConfig, ref: HostRef): Promise<void> {
  const host = labHost(config, ref);
  const reboots = await processesRunning(hostFiles(host).rebootWorker);
  await killAndWait([...reboots, ...(await Promise.all(reboots.map(descendantsOf))).flat()]);
  await stopHost(config, host);
  await killAndWait(await processesRootedIn(host.root));
  await unmountHost(host);
}

/** A new host key, and sshd restarted with it: what "the host key changed" looks like to a client. */
export async function rotateHostKey(config: LabConfig, ref: HostRef): Promise<string> {
  const host = labHost(config, ref);
  await stopHost(config, host);
  await generateHostKey(host);
  await startHost(config, host);
  return hostPublicKey(host);
}

export async function hostPublicKey(host: LabHost): Promise<string> {
  const line = await readFile(hostFiles(host).hostPublicKey, 'utf8');
  const [type, base64] = line.trim().split(/\s+/);
  return `${type} ${base64}`;
}

/** Run a shell command inside the host's chroot, as root, from the machine: the host's own view. */
export async function chrootExec(
  config: LabConfig,
  ref: HostRef,
  command: string,
  options: { timeoutMs?: number } = {},
): Promise<ProcessResult> {
  const host = labHost(config, ref);
  if (!(await isMounted(host.root))) throw new Error(`${host.name} is not mounted: run the lab up first`);
  return runProcess('chroot', [host.root, '/bin/sh', '-c', command], {
    env: toolEnv,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
}

/** Simulate a reboot from the machine (the same script the in-host reboot command calls). */
export async function rebootHost(config: LabConfig, ref: HostRef, delaySeconds?: number): Promise<void> {
  const host = labHost(config, ref);
  const delay = delaySeconds ?? config.rebootDelaySeconds;
  await mustRun(host.rebootScript, [String(delay)]);
}

export function isMountedHost(host: LabHost): Promise<boolean> {
  return isMounted(host.root);
}
