import { type CommandResult, type RemoteShell, SshError } from '../../ssh/types.js';
import { OutputParseError, PackageScanError } from '../errors.js';
import type { OsRelease, PackageManager, PackageScan, ScanOptions } from '../types.js';
import { aptInstall, aptPackageStates, aptPrecheck, aptRebootRequired } from './apply.js';
import { aptRefreshCommand, aptScanCommand, endMarker, type ScanSection } from './commands.js';
import { parseAptSimulation, parseDpkgQuery } from './parse.js';
import { parseListsAge, parseRebootRequired, type SectionOutput, splitScanOutput } from './sections.js';
import { describeSimulation, describeUnsettled } from './warnings.js';

export { aptInstall, aptPackageStates, aptPrecheck, aptRebootRequired } from './apply.js';
export {
  aptInstallCommand,
  aptPackageStatesCommand,
  aptPrecheckCommand,
  aptRebootRequiredCommand,
  readInstallCommand,
  readPackageStatesCommand,
} from './apply-commands.js';
export { aptRefreshCommand, aptScanCommand } from './commands.js';

const debianFamily = new Set([
  'debian',
  'ubuntu',
  'raspbian',
  'linuxmint',
  'pop',
  'kali',
  'devuan',
  'elementary',
]);
const staleListsSeconds = 24 * 60 * 60;
/** apt-get update against slow mirrors can take minutes; the scan itself keeps the session's timeout. */
const refreshTimeoutMs = 300_000;

/** apt + dpkg: Debian, Ubuntu and their derivatives. */
export const apt: PackageManager = {
  id: 'apt',
  versionScheme: 'dpkg',
  handles: (os: OsRelease) => debianFamily.has(os.id) || os.idLike.some((like) => debianFamily.has(like)),
  scan: scanWithApt,
  precheck: aptPrecheck,
  packageStates: aptPackageStates,
  install: aptInstall,
  rebootRequired: aptRebootRequired,
};

/** Two round trips at most: an optional `apt-get update`, then one script that reads everything else. */
export async function scanWithApt(shell: RemoteShell, options: ScanOptions): Promise<PackageScan> {
  const warnings: string[] = [];
  const wantsRefresh = options.refresh === 'always' || (options.refresh === 'auto' && options.privileged);
  const refreshed = wantsRefresh && (await refreshLists(shell, options, warnings));
  const result = await shell.run(aptScanCommand);
  try {
    return readScanOutput(shell.hostName, result, refreshed, warnings);
  } catch (error) {
    if (!(error instanceof OutputParseError)) throw error;
    throw new PackageScanError(shell.hostName, error.message, { cause: error });
  }
}

async function refreshLists(shell: RemoteShell, options: ScanOptions, warnings: string[]): Promise<boolean> {
  let failure: string;
  try {
    const result = await shell.run(aptRefreshCommand, { sudo: true, timeoutMs: refreshTimeoutMs });
    if (result.code === 0) {
      // exit 0 still allows a repository that failed its signature check: worth knowing
      warnings.push(...aptMessages(result.stderr, /^W: /).map((line) => `apt-get update: ${line}`));
      return true;
    }
    failure = `exit ${result.code}: ${aptErrors(result.stderr) || result.stderr.trim() || 'no message'}`;
  } catch (error) {
    // A lost connection fails the scan anyway; sudo refusing is what 'auto' must survive.
    if (!(error instanceof SshError) || error.code !== 'sudo') throw error;
    failure = error.message;
  }
  if (options.refresh === 'always')
    throw new PackageScanError(shell.hostName, `apt-get update failed (${failure})`);
  warnings.push(`package lists not refreshed: apt-get update failed (${failure})`);
  return false;
}

/** apt's own E:/W: lines, which say why better than the rest of its chatter. */
function aptMessages(text: string, kind = /^[EW]: /): string[] {
  return text
    .split('\n')
    .filter((line) => kind.test(line))
    .slice(0, 3);
}

function aptErrors(text: string): string {
  return aptMessages(text).join(' ');
}

function readScanOutput(
  host: string,
  result: CommandResult,
  refreshed: boolean,
  warnings: string[],
): PackageScan {
  if (!result.stdout.includes(endMarker)) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' ') || 'no message';
    throw new PackageScanError(host, `the apt scan script did not finish (exit ${result.code}): ${detail}`);
  }
  const sections = splitScanOutput(result.stdout);
  const section = (name: ScanSection) => completedSection(host, sections, name, result.stderr);
  const dpkg = parseDpkgQuery(section('dpkg-query').text);
  const simulation = parseAptSimulation(section('apt-get').text);
  const reboot = parseRebootRequired(sections.get('reboot-required')?.text ?? '');
  warnings.push(...describeUnsettled(dpkg.unsettled), ...describeSimulation(simulation));
  if (!refreshed) warnings.push(...describeListsAge(parseListsAge(sections.get('lists-age')?.text ?? '')));
  return {
    installed: dpkg.installed,
    updates: simulation.updates,
    rebootRequired: reboot.required,
    rebootPackages: reboot.packages,
    refreshed,
    warnings,
  };
}

/** A section whose command failed gives no trustworthy list: fail the scan with apt's or dpkg's words. */
function completedSection(
  host: string,
  sections: Map<ScanSection, SectionOutput>,
  name: ScanSection,
  stderr: string,
): SectionOutput {
  const section = sections.get(name);
  if (!section || section.exitCode === undefined) {
    throw new PackageScanError(host, `the apt scan output has no complete ${name} section`);
  }
  if (section.exitCode !== 0) {
    const detail = aptErrors(section.text) || stderr.trim().split('\n').slice(-3).join(' ') || 'no message';
    throw new PackageScanError(host, `${name} failed with exit ${section.exitCode}: ${detail}`);
  }
  return section;
}

function describeListsAge(ageSeconds: number | undefined): string[] {
  if (ageSeconds === undefined)
    return ['no apt package lists on this host: run apt-get update to see updates'];
  if (ageSeconds <= staleListsSeconds) return [];
  const days = Math.floor(ageSeconds / 86_400);
  return [`package lists are ${days} day${days === 1 ? '' : 's'} old: updates published since are not shown`];
}
