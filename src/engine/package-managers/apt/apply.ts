import type { RemoteShell } from '../../ssh/types.js';
import { OutputParseError, PackageCommandError, PackageInstallError } from '../errors.js';
import type {
  InstallOptions,
  InstallResult,
  PackageState,
  PinnedVersion,
  PrecheckOptions,
  PrecheckResult,
} from '../types.js';
import {
  aptInstallCommand,
  aptPackageStatesCommand,
  aptPrecheckCommand,
  aptRebootRequiredCommand,
} from './apply-commands.js';
import {
  classifyInstallFailure,
  needsListRefresh,
  parsePackageStates,
  readInstallOutput,
  readPrecheckOutput,
  summaryChanges,
} from './apply-parse.js';
import { aptRefreshCommand } from './commands.js';
import { assertPackageQuery, assertPinnedVersions } from './validate.js';

/** Once apt has the lock; dpkg on a slow disk with a kernel and its initramfs takes minutes. */
const defaultInstallTimeoutMs = 20 * 60_000;
const refreshTimeoutMs = 300_000;

function readOrFail<T>(host: string, operation: PackageCommandError['operation'], read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof OutputParseError)
      throw new PackageCommandError(host, operation, error.message, { cause: error });
    throw error;
  }
}

/** Free space, locks and broken packages in one read-only round trip, as the login user. */
export async function aptPrecheck(shell: RemoteShell, options: PrecheckOptions): Promise<PrecheckResult> {
  if (!Number.isFinite(options.minFreeMb) || options.minFreeMb < 0)
    throw new RangeError(`minFreeMb must be a number of MiB >= 0, got ${options.minFreeMb}`);
  const result = await shell.run(aptPrecheckCommand);
  if (!/^@@patchops:end$/m.test(result.stdout)) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' ') || 'no message';
    throw new PackageCommandError(
      shell.hostName,
      'precheck',
      `the precheck script did not finish (exit ${result.code}): ${detail}`,
    );
  }
  return readOrFail(shell.hostName, 'precheck', () => readPrecheckOutput(result.stdout, options.minFreeMb));
}

/** One dpkg-query for every name; no root needed. */
export async function aptPackageStates(shell: RemoteShell, names: string[]): Promise<PackageState[]> {
  if (names.length === 0) return [];
  for (const name of names) assertPackageQuery(name);
  const result = await shell.run(aptPackageStatesCommand(names));
  // 1 = some names unknown (said on stderr); anything else is dpkg-query failing
  if (result.code !== 0 && result.code !== 1) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' ') || 'no message';
    throw new PackageCommandError(
      shell.hostName,
      'package-states',
      `dpkg-query failed with exit ${result.code}: ${detail}`,
    );
  }
  return readOrFail(shell.hostName, 'package-states', () => parsePackageStates(result.stdout, names));
}

export async function aptRebootRequired(shell: RemoteShell): Promise<boolean> {
  const result = await shell.run(aptRebootRequiredCommand);
  const answer = result.stdout.trim();
  if (result.code !== 0 || (answer !== 'required' && answer !== 'not-required')) {
    const detail = result.stderr.trim() || answer || 'no output';
    throw new PackageCommandError(shell.hostName, 'reboot-required', `exit ${result.code}: ${detail}`);
  }
  return answer === 'required';
}

/**
 * Install exact versions with `sudo`. When apt does not know a pinned version (lists older than the plan),
 * `apt-get update` runs once and the install is tried again. Afterwards every package must be at its
 * pinned version and fully installed, or the install fails too.
 */
export async function aptInstall(
  shell: RemoteShell,
  packages: PinnedVersion[],
  options: InstallOptions,
): Promise<InstallResult> {
  const pinned = assertPinnedVersions(packages);
  if (pinned.length === 0) return { changed: false, output: '', packages: [] };
  const command = aptInstallCommand(pinned, options);
  const timeoutMs = options.timeoutMs ?? defaultInstallTimeoutMs + options.lockWaitSeconds * 1000;
  const run = () => shell.run(command, { sudo: true, timeoutMs });

  let result = await run();
  let refreshed = false;
  let output = readOrInstallError(shell.hostName, result.stdout, result.code);
  if (result.code !== 0 && output.complete && needsListRefresh(output.tail)) {
    const refresh = await shell.run(aptRefreshCommand, { sudo: true, timeoutMs: refreshTimeoutMs });
    refreshed = refresh.code === 0;
    if (refreshed) {
      result = await run();
      output = readOrInstallError(shell.hostName, result.stdout, result.code);
    }
  }
  const base = {
    exitCode: result.code,
    output: output.tail,
    ...(output.logPath ? { logPath: output.logPath } : {}),
  };
  if (!output.complete) {
    throw new PackageInstallError(shell.hostName, {
      ...base,
      reason: 'output-unreadable',
      message: `the install script did not finish: ${result.stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}${
        output.logPath ? `; apt may still be running, its log is ${output.logPath}` : ''
      }`,
    });
  }
  if (result.code !== 0) {
    const failure = classifyInstallFailure(output.tail);
    throw new PackageInstallError(shell.hostName, { ...base, ...failure });
  }
  const names = pinned.map((pkg) => (pkg.arch === 'all' ? pkg.name : `${pkg.name}:${pkg.arch}`));
  const states = parseInstalledStates(shell.hostName, output.statesText, names, base);
  const wrong = pinned.filter((pkg, index) => {
    const state = states.find(
      (s) => s.name === pkg.name && (names[index]!.includes(':') ? s.arch === pkg.arch : true),
    );
    return state?.version !== pkg.version || !state.healthy;
  });
  if (wrong.length > 0) {
    const shown = wrong.map((pkg) => {
      const state = states.find((s) => s.name === pkg.name);
      return `${pkg.name} is ${state?.version ?? 'not installed'}${state && !state.healthy ? ' (not fully installed)' : ''}, not ${pkg.version}`;
    });
    throw new PackageInstallError(shell.hostName, {
      ...base,
      reason: 'not-at-pinned-version',
      message: shown.join('; '),
    });
  }
  return {
    changed: output.summary ? summaryChanges(output.summary) : true,
    output: output.tail,
    packages: states,
    ...(output.logPath ? { logPath: output.logPath } : {}),
    ...(refreshed ? { refreshed } : {}),
  };
}

function readOrInstallError(host: string, stdout: string, exitCode: number) {
  try {
    return readInstallOutput(stdout);
  } catch (error) {
    if (!(error instanceof OutputParseError)) throw error;
    throw new PackageInstallError(
      host,
      { reason: 'output-unreadable', exitCode, output: stdout.slice(-4096), message: error.message },
      { cause: error },
    );
  }
}

function parseInstalledStates(
  host: string,
  text: string,
  names: string[],
  base: { exitCode: number; output: string; logPath?: string },
): PackageState[] {
  try {
    return parsePackageStates(text, names);
  } catch (error) {
    if (!(error instanceof OutputParseError)) throw error;
    throw new PackageInstallError(
      host,
      { ...base, reason: 'output-unreadable', message: error.message },
      { cause: error },
    );
  }
}
