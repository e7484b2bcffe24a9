import type { InstallFailureReason } from '../errors.js';
import { OutputParseError } from '../errors.js';
import type { PackageState, PrecheckResult } from '../types.js';
import type { InstallSection, PrecheckSection } from './apply-commands.js';
import { type SectionOutput, splitSections } from './sections.js';
import { isDebianArch, isDebianPackageName, isDebianVersion } from './validate.js';

/** One line of `df -P -k`: sizes in KiB. */
export interface DfEntry {
  filesystem: string;
  availableKb: number;
  mountedOn: string;
}

/**
 * `df -P -k PATH...`: a header, then one line per path in the order given. POSIX output keeps each
 * filesystem on one line; its name may hold spaces, so the numbers are read from the right.
 */
export function parseDf(text: string): DfEntry[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const [header, ...rows] = lines;
  if (!/^Filesystem\s/.test(header!))
    throw new OutputParseError('df -P', 1, header!, 'no "Filesystem" header');
  return rows.map((line, index) => {
    const match = /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+|-)%\s+(\/.*)$/.exec(line);
    if (!match)
      throw new OutputParseError('df -P', index + 2, line, 'not "fs blocks used available capacity mount"');
    return { filesystem: match[1]!, availableKb: Number(match[4]), mountedOn: match[6]! };
  });
}

export interface FileId {
  major: number;
  minor: number;
  inode: string;
}

/**
 * A Linux dev_t as `stat -c %d` prints it (glibc's encoding) to the major:minor that /proc/locks shows.
 * BigInt: a dev_t is 64 bits.
 */
export function decodeDevice(device: string): { major: number; minor: number } {
  const dev = BigInt(device);
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/** `stat -L -c '%d %i %n'` of the lock files (missing files print nothing). */
export function parseLockFiles(text: string): (FileId & { path: string })[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const match = /^(\d+) (\d+) (\/\S+)$/.exec(line);
      if (!match) throw new OutputParseError('stat', index + 1, line, 'not "device inode path"');
      return { ...decodeDevice(match[1]!), inode: match[2]!, path: match[3]! };
    });
}

export interface ProcLock extends FileId {
  /** POSIX (fcntl, what apt and dpkg use), OFDLCK (open file description), FLOCK, LEASE... */
  kind: string;
  access: string;
  /** -1 for OFD locks, which belong to no process. */
  pid: number;
  /** A process waiting for this lock ("->" lines), not holding it. */
  waiting: boolean;
}

/** Lines of /proc/locks: `1: POSIX  ADVISORY  WRITE 1234 00:27:1535203 0 EOF`; waiters have `->`. */
export function parseProcLocks(text: string): ProcLock[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const match = /^\d+:\s+(->\s+)?(\S+)\s+\S+\s+(\S+)\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(
        line,
      );
      if (!match) throw new OutputParseError('/proc/locks', index + 1, line, 'not a lock line');
      return {
        waiting: match[1] !== undefined,
        kind: match[2]!,
        access: match[3]!,
        pid: Number(match[4]),
        major: Number.parseInt(match[5]!, 16),
        minor: Number.parseInt(match[6]!, 16),
        inode: match[7]!,
      };
    });
}

/** `pid comm` lines. */
export function parseLockHolders(text: string): Map<number, string> {
  const holders = new Map<number, string>();
  for (const line of text.split('\n')) {
    const match = /^(\d+) ?(.*)$/.exec(line.trim());
    if (match) holders.set(Number(match[1]), match[2]!.trim());
  }
  return holders;
}

const sameFile = (a: FileId, b: FileId) => a.major === b.major && a.minor === b.minor && a.inode === b.inode;

/** Which lock files another process holds a lock on, with who holds it. */
export function heldLocks(
  files: readonly (FileId & { path: string })[],
  locks: readonly ProcLock[],
  holders: ReadonlyMap<number, string>,
): { path: string; holder: string }[] {
  const held: { path: string; holder: string }[] = [];
  for (const file of files) {
    const lock = locks.find((l) => !l.waiting && sameFile(l, file));
    if (!lock) continue;
    const name = holders.get(lock.pid);
    const holder =
      lock.pid > 0
        ? `process ${lock.pid}${name ? ` (${name})` : ''}`
        : `an open file description (${lock.kind})`;
    held.push({ path: file.path, holder });
  }
  return held;
}

const mib = 1024;

/** The precheck script's output (apply-commands.ts) against the free space wanted. */
export function readPrecheckOutput(stdout: string, minFreeMb: number): PrecheckResult {
  const sections = splitSections<PrecheckSection>(stdout, 'precheck script');
  const text = (name: PrecheckSection) => sections.get(name)?.text ?? '';
  const problems: PrecheckResult['problems'] = [];
  const warnings: string[] = [];

  const df = sections.get('df');
  if (df?.exitCode !== 0) {
    warnings.push(`df failed: ${firstLine(df?.text) || 'no output'}`);
  } else {
    const seen = new Set<string>();
    for (const entry of parseDf(df.text)) {
      if (seen.has(entry.mountedOn)) continue;
      seen.add(entry.mountedOn);
      const freeMb = Math.floor(entry.availableKb / mib);
      if (freeMb < minFreeMb)
        problems.push({
          code: 'disk-space',
          message: `${entry.mountedOn} has ${freeMb} MiB free, ${minFreeMb} MiB wanted`,
        });
    }
  }

  if (sections.get('proc-locks')?.exitCode !== 0) {
    warnings.push('cannot read /proc/locks: a running apt or dpkg would not be noticed before the install');
  } else {
    const held = heldLocks(
      parseLockFiles(text('lock-files')),
      parseProcLocks(text('proc-locks')),
      parseLockHolders(text('lock-holders')),
    );
    for (const { path, holder } of held)
      problems.push({ code: 'package-lock', message: `${path} is locked by ${holder}` });
  }

  const broken = brokenPackages(sections.get('dpkg-audit'), text('dpkg-unsettled'));
  if (broken.message) problems.push({ code: 'broken-packages', message: broken.message });
  if (broken.warning) warnings.push(broken.warning);
  return { ok: problems.length === 0, problems, ...(warnings.length > 0 ? { warnings } : {}) };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').find((line) => line.trim() !== '') ?? '';
}

/**
 * `dpkg --audit` prints nothing when all is well. Run as a non-root user it fails ("unable to check lock
 * file ... Permission denied") when it does have something to say, so dpkg-query's list of packages in an
 * unfinished state decides too.
 */
function brokenPackages(
  audit: SectionOutput | undefined,
  unsettledText: string,
): { message?: string; warning?: string } {
  const unsettled = unsettledText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [status = '', name = '', version = ''] = line.split('\t');
      return `${name} ${version} (${status})`;
    });
  const auditRan = audit?.exitCode === 0;
  const auditText = auditRan ? (audit?.text.trim() ?? '') : '';
  if (unsettled.length > 0)
    return {
      message: `dpkg left ${unsettled.length} package(s) unfinished: ${unsettled.slice(0, 5).join(', ')}${
        unsettled.length > 5 ? ', ...' : ''
      }; run dpkg --configure -a`,
    };
  if (auditText !== '')
    return { message: `dpkg --audit: ${auditText.split('\n').slice(0, 6).join(' ').trim()}` };
  if (!auditRan) return { warning: `dpkg --audit could not run: ${firstLine(audit?.text) || 'no output'}` };
  return {};
}

/** dpkg's third status word that means "this version is fully installed". */
const healthyStatus = /^(?:install|hold) ok installed$/;
const absentStates = new Set(['not-installed', 'config-files']);

/**
 * `dpkg-query -W -f='${Package}\t${Architecture}\t${Version}\t${Status}\n' NAMES` against the names
 * asked for (`name` or `name:arch`). dpkg-query sorts by name and omits the names it does not know (it
 * says so on stderr, exit 1): those come back with version null. A package installed for two
 * architectures comes back twice.
 */
export function parsePackageStates(stdout: string, queries: readonly string[]): PackageState[] {
  const rows = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      const fail = (reason: string) => new OutputParseError('dpkg-query', index + 1, line, reason);
      const fields = line.split('\t');
      if (fields.length !== 4) throw fail(`expected 4 tab-separated fields, got ${fields.length}`);
      const [name = '', arch = '', version = '', status = ''] = fields;
      if (!isDebianPackageName(name)) throw fail('invalid package name');
      if (arch !== '' && !isDebianArch(arch)) throw fail('invalid architecture');
      const state = status.split(' ')[2];
      if (state === undefined) throw fail('status is not "want flag state"');
      const installed = !absentStates.has(state) && version !== '';
      if (installed && !isDebianVersion(version)) throw fail('invalid version');
      return { name, arch, version: installed ? version : null, healthy: healthyStatus.test(status) };
    });
  const states: PackageState[] = [];
  for (const query of queries) {
    const [name = '', arch] = query.split(':');
    const found = rows.filter((row) => row.name === name && (arch === undefined || row.arch === arch));
    if (found.length === 0) states.push({ name, arch: arch ?? '', version: null, healthy: false });
    for (const row of found) if (!states.includes(row)) states.push(row);
  }
  return states;
}

/** apt's "N upgraded, N newly installed, [N downgraded, ][N reinstalled, ]N to remove and N not upgraded." */
export interface AptSummary {
  upgraded: number;
  newlyInstalled: number;
  downgraded: number;
  reinstalled: number;
  removed: number;
  notUpgraded: number;
}

const summaryLine =
  /^(\d+) upgraded, (\d+) newly installed, (?:(\d+) downgraded, )?(?:(\d+) reinstalled, )?(\d+) to remove and (\d+) not upgraded\.$/;

export function parseAptSummary(text: string): AptSummary | undefined {
  for (const line of text.split('\n')) {
    const match = summaryLine.exec(line.trim());
    if (match)
      return {
        upgraded: Number(match[1]),
        newlyInstalled: Number(match[2]),
        downgraded: Number(match[3] ?? 0),
        reinstalled: Number(match[4] ?? 0),
        removed: Number(match[5]),
        notUpgraded: Number(match[6]),
      };
  }
  return undefined;
}

/** dpkg changed something: a package went to another version, came, went or was unpacked again. */
export function summaryChanges(summary: AptSummary): boolean {
  return (
    summary.upgraded + summary.newlyInstalled + summary.downgraded + summary.reinstalled + summary.removed > 0
  );
}

export interface InstallOutput {
  logPath: string | undefined;
  /** The log's tail without the exit marker and without a first line cut in half. */
  tail: string;
  /** Exit status apt-get reported into its log; undefined when it never got to write it. */
  aptExitCode: number | undefined;
  summary: AptSummary | undefined;
  /** dpkg-query's lines after the install (the package-state format). */
  statesText: string;
  /** The script ran to its end (a cut-short output is not a verdict on the install). */
  complete: boolean;
}

const tailBytes = 4096;

export function readInstallOutput(stdout: string): InstallOutput {
  const complete = /^@@patchops:end$/m.test(stdout);
  let sections: Map<InstallSection, SectionOutput>;
  try {
    sections = splitSections<InstallSection>(stdout, 'install script');
  } catch (error) {
    if (!(error instanceof OutputParseError) || complete) throw error;
    // cut short: keep what came (splitSections wants the end marker)
    sections = splitSections<InstallSection>(
      `${stdout.replace(/\n?$/, '\n')}@@patchops:end\n`,
      'install script',
    );
  }
  const log = sections.get('log')?.text.trim();
  const aptSection = sections.get('apt-get');
  let tail = (aptSection?.text ?? '').replace(/\n+$/, '\n');
  // `tail -c` may start in the middle of a line: drop that fragment when the log was longer than the tail.
  if (Buffer.byteLength(tail) >= tailBytes && tail.includes('\n')) tail = tail.slice(tail.indexOf('\n') + 1);
  return {
    logPath: log || undefined,
    tail,
    aptExitCode: aptSection?.exitCode,
    summary: parseAptSummary(sections.get('summary')?.text ?? ''),
    statesText: sections.get('dpkg-query')?.text ?? '',
    complete,
  };
}

/** apt's reason for a failed install, from its E: lines. */
export function classifyInstallFailure(tail: string): { reason: InstallFailureReason; message: string } {
  const errors = tail
    .split('\n')
    .filter((line) => /^E: /.test(line))
    // chroots and containers without /dev/pts: apt says so and carries on
    .filter((line) => !/^E: Can not write log \(Is \/dev\/pts mounted\?\)/.test(line));
  const message = errors.slice(0, 3).join(' ') || lastLines(tail);
  const has = (pattern: RegExp) => errors.some((line) => pattern.test(line));
  if (
    has(
      /Could not get lock|Unable to lock the administration directory|Unable to acquire the dpkg frontend lock/,
    )
  )
    return { reason: 'lock-timeout', message };
  if (has(/^E: Version '.*' for '.*' was not found$|^E: Unable to locate package /))
    return { reason: 'version-not-found', message };
  if (has(/Sub-process \/usr\/bin\/dpkg returned an error code|dpkg was interrupted/))
    return { reason: 'dpkg-failed', message };
  return { reason: 'apt-failed', message };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ') || 'no output';
}

/** apt could not find a pinned version or package: new package lists may know it. */
export function needsListRefresh(tail: string): boolean {
  return classifyInstallFailure(tail).reason === 'version-not-found';
}
