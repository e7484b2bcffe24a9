/**
 * The lab fleet for integration tests. One fleet per test run, shared by every lab test file: the first
 * file of a run starts it fresh (repositories at baseline, clean overlays), later files reuse it; each file
 * gets its hosts reset to the base (cheap: an overlay remount and an sshd restart). Where the lab cannot
 * run (not root, no debootstrap) lab tests are skipped with a notice, except with CI=true: there they fail.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { describe, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { z } from 'zod';
import { createLab, type Lab, type LabHost, labReadiness, type UpReport } from '../../src/lab/index.js';
import { runProcess } from '../../src/lab/run.js';
import { uniquePrefix } from './cli.js';

const readiness = await labReadiness();
const onCi = process.env.CI === 'true';

export const labAvailable = readiness.ready;
export const labUnavailableReason = readiness.problems.join('; ');

/** `describe` for tests that need the lab: skipped with a notice where it cannot run, failing on CI. */
export function describeLab(name: string, body: () => void): void {
  if (readiness.ready) {
    describe(name, body);
  } else if (onCi) {
    describe(name, () => {
      it('needs the lab, which must run on CI', () => {
        throw new Error(`the lab cannot run on this CI machine: ${labUnavailableReason}`);
      });
    });
  } else {
    console.warn(`[lab] skipping "${name}": ${labUnavailableReason}`);
    describe.skip(name, body);
  }
}

const markerSchema = z.object({ runId: z.string(), wasRunning: z.boolean() });

function currentRunId(): string {
  // Set by test/support/lab-global-setup.ts; without it, the parent process (vitest itself) names the run.
  try {
    return inject('labRunId');
  } catch {
    return `ppid-${process.ppid}`;
  }
}

async function readMarker(lab: Lab) {
  try {
    return markerSchema.parse(JSON.parse(await readFile(lab.paths.testRunMarker, 'utf8')));
  } catch {
    return undefined;
  }
}

export interface LabFleet {
  lab: Lab;
  hosts: LabHost[];
  report: UpReport;
}

/**
 * Call in beforeAll: hosts lab-01..lab-NN, running and reset to the base. The first call of a test run
 * restarts the whole lab from scratch (repositories back to baseline); later calls reuse it.
 */
export async function useLabFleet(
  options: { hosts: number; fresh?: boolean } = { hosts: 3 },
): Promise<LabFleet> {
  const lab = createLab();
  const runId = currentRunId();
  const marker = await readMarker(lab);
  if (marker?.runId !== runId) {
    const wasRunning = (await lab.status()).hosts.some((host) => host.sshdPid !== undefined);
    await lab.down();
    await lab.resetRepos();
    await writeFile(lab.paths.testRunMarker, JSON.stringify({ runId, wasRunning }));
  } else if (options.fresh !== false) {
    await lab.resetRepos();
  }
  const report = await lab.up(options.hosts);
  if (options.fresh !== false && marker?.runId === runId) {
    for (const host of report.hosts) await lab.resetHost(host);
  }
  return { lab, hosts: report.hosts, report };
}

/** Global teardown: stop the fleet if this run started it (a fleet someone had up before stays up). */
export async function finishLabRun(runId: string): Promise<void> {
  if (!readiness.ready) return;
  const lab = createLab();
  const marker = await readMarker(lab);
  if (marker?.runId !== runId) return;
  if (!marker.wasRunning) await lab.down();
  await rm(lab.paths.testRunMarker, { force: true });
}

/** The system OpenSSH client against a lab host: BatchMode, the lab key, the lab's known_hosts only. */
export function systemSsh(
  lab: Lab,
  host: LabHost,
  user: string,
  command: string,
  extraOptions: readonly string[] = [],
) {
  return runProcess(
    'ssh',
    [
      // ssh keeps the first value of an option: the caller's come first so they win.
      ...extraOptions,
      '-i',
      lab.paths.clientKey,
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${lab.paths.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'ConnectTimeout=5',
      '-p',
      String(host.port),
      `${user}@${host.address}`,
      command,
    ],
    { timeoutMs: 60_000 },
  );
}

/**
 * Environment for patchops against lab hosts: an inventory of them (root logins with the lab key, each
 * host's entry extended by `hosts`), the lab's known_hosts pinned strictly, a database, a queue prefix.
 */
export async function labPatchopsEnv(
  fleet: LabFleet,
  options: { workDir: string; databaseUrl: string; hosts: Record<string, Record<string, unknown>> },
): Promise<Record<string, string>> {
  const byName = new Map(fleet.hosts.map((host) => [host.name, host]));
  const entries = Object.fromEntries(
    Object.entries(options.hosts).map(([name, extra]) => {
      const host = byName.get(name);
      if (!host) throw new Error(`no lab host ${name}`);
      return [name, { address: host.address, port: host.port, ...extra }];
    }),
  );
  const inventoryPath = `${options.workDir}/inventory.yml`;
  await writeFile(
    inventoryPath,
    stringify(
      { defaults: { user: 'root', key_file: fleet.lab.paths.clientKey }, hosts: entries },
      { aliasDuplicateObjects: false },
    ),
  );
  return {
    DATABASE_URL: options.databaseUrl,
    PATCHOPS_QUEUE_PREFIX: uniquePrefix(),
    PATCHOPS_INVENTORY: inventoryPath,
    PATCHOPS_KNOWN_HOSTS: fleet.lab.paths.knownHosts,
    PATCHOPS_HOST_KEY_POLICY: 'strict',
  };
}
