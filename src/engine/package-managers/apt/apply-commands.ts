import { type ShellCommand, sh } from '../../shell/command.js';
import { shellWords } from '../../shell/words.js';
import type { PinnedVersion } from '../types.js';
import { endMarker, exitMarker, sectionMarker } from './commands.js';
import { aptInstallArgument, assertPackageQuery, assertPinnedVersions } from './validate.js';

/**
 * The commands of a patch: precheck, package states, install, reboot flag. Every value in them has been
 * validated (validate.ts) and is quoted by `sh`. The builders are exported with their recognisers
 * (`read*Command`), so the simulator answers exactly what is sent without a second copy of the text.
 */

export type PrecheckSection =
  | 'df'
  | 'lock-files'
  | 'proc-locks'
  | 'lock-holders'
  | 'dpkg-audit'
  | 'dpkg-unsettled';
export type InstallSection = 'log' | 'apt-get' | 'summary' | 'dpkg-query';
const section = (name: PrecheckSection | InstallSection): string => sectionMarker + name;

/** Where apt and dpkg keep their locks: dpkg's two, and apt's download lock, which an install also takes. */
export const aptLockFiles = [
  '/var/lib/dpkg/lock-frontend',
  '/var/lib/dpkg/lock',
  '/var/cache/apt/archives/lock',
];

const dpkgFormat = (fields: readonly string[]) => `${fields.map((field) => `\${${field}}`).join('\\t')}\\n`;
const dpkgStatusFormat = dpkgFormat(['Status', 'binary:Package', 'Version']);

/** Filesystems whose free space matters: /var holds the downloaded archives and dpkg's database. */
export const precheckMounts = ['/var', '/'];

/**
 * Read-only, no root needed, one round trip:
 * - `df -P -k` of /var and /;
 * - the lock files' device and inode, and the /proc/locks lines on them. apt and dpkg take fcntl locks,
 *   which flock(1) does not see and which /proc/locks lists as MAJ:MIN:INODE (any user may read it, and
 *   opening the root-only lock files to test them would need root). The device matters: overlay and
 *   container roots share the same inode numbers across hosts, each on its own device;
 * - the pid and command name of each holder, for the message;
 * - `dpkg --audit`: empty when no package is half-installed or half-configured. As a non-root user it
 *   fails ("unable to check lock file ... Permission denied") exactly when it has something to report, so
 *   the packages dpkg-query lists in any state but installed / not-installed / config-files come too.
 */
export const aptPrecheckCommand: ShellCommand = sh`export LC_ALL=C
echo ${section('df')}
df -P -k ${precheckMounts} 2>&1
echo ${exitMarker}$?
echo ${section('lock-files')}
stat -L -c '%d %i %n' ${aptLockFiles} 2>/dev/null
echo ${section('proc-locks')}
if [ -r /proc/locks ]; then
  locks=$(for ino in $(stat -L -c %i ${aptLockFiles} 2>/dev/null); do grep -e ":$ino " /proc/locks; done)
  [ -n "$locks" ] && printf '%s\\n' "$locks"
  echo ${exitMarker}0
else
  echo ${exitMarker}1
fi
echo ${section('lock-holders')}
for pid in $(printf '%s\\n' "$locks" | sed -e 's/^[0-9]*: *//' -e 's/^-> *//' | tr -s ' ' | cut -d ' ' -f 4 | sort -u); do
  [ "$pid" -gt 0 ] 2>/dev/null && printf '%s %s\\n' "$pid" "$(cat /proc/$pid/comm 2>/dev/null)"
done
echo ${section('dpkg-audit')}
dpkg --audit 2>&1
echo ${exitMarker}$?
echo ${section('dpkg-unsettled')}
dpkg-query -W -f=${dpkgStatusFormat} 2>/dev/null | grep -v -E '^[a-z]+ ok (installed|not-installed|config-files)	'
echo ${endMarker}`;

/** Fields of the package-state query: tab-separated, one line per package and architecture. */
export const dpkgStateFormat = dpkgFormat(['Package', 'Architecture', 'Version', 'Status']);

function dpkgStateQuery(names: readonly string[]): ShellCommand {
  return sh`dpkg-query -W -f=${dpkgStateFormat} ${names}`;
}

/** One dpkg-query for every name (`name` or `name:arch`); exit 1 only means some are unknown. */
export function aptPackageStatesCommand(names: readonly string[]): ShellCommand {
  for (const name of names) assertPackageQuery(name);
  return sh`env LC_ALL=C ${{ raw: dpkgStateQuery(names) }}`;
}

export const aptRebootRequiredCommand: ShellCommand = sh`if [ -e /var/run/reboot-required ]; then echo required; else echo not-required; fi`;

export interface AptInstallCommandOptions {
  allowDowngrades: boolean;
  lockWaitSeconds: number;
}

/** Where install logs go on the host; one file per install, older than 30 days pruned. */
export const applyLogDir = '/var/log/patchops';

/**
 * What the detached process runs: apt-get with the given arguments, then the exit marker, so that the log
 * says how apt ended even when nobody was waiting any more.
 */
const detachedApt = `apt-get "$@"; code=$?; echo "${exitMarker}$code"; exit $code`;

function aptInstallArguments(
  packages: readonly PinnedVersion[],
  options: AptInstallCommandOptions,
): string[] {
  return [
    'install',
    '-y',
    '-q',
    '--no-remove',
    '--no-install-recommends',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    '-o',
    `DPkg::Lock::Timeout=${options.lockWaitSeconds}`,
    ...(options.allowDowngrades ? ['--allow-downgrades'] : []),
    ...packages.map(aptInstallArgument),
  ];
}

/**
 * Install exact versions, run as root. apt runs in its own session (`setsid`), stdin from /dev/null and
 * its output into a log file on the host: if our connection drops, or the host-side deadline
 * (`timeout -k 5`, remote-command.ts) kills this script, apt and dpkg are in another session and process
 * group, out of reach of both, and finish their work. The script waits for apt, prints the log's last
 * 4 kB, apt's summary line and the packages' dpkg state afterwards, and exits with apt's exit code.
 */
export function aptInstallCommand(
  packages: readonly PinnedVersion[],
  options: AptInstallCommandOptions,
): ShellCommand {
  const pinned = assertPinnedVersions(packages);
  if (
    !Number.isInteger(options.lockWaitSeconds) ||
    options.lockWaitSeconds < 0 ||
    options.lockWaitSeconds > 86_400
  )
    throw new RangeError(
      `lockWaitSeconds must be a whole number of seconds (0..86400), got ${options.lockWaitSeconds}`,
    );
  const names = pinned.map((pkg) => (pkg.arch === 'all' ? pkg.name : `${pkg.name}:${pkg.arch}`));
  return sh`export LC_ALL=C DEBIAN_FRONTEND=noninteractive
umask 027
mkdir -p ${applyLogDir} || exit 1
find ${applyLogDir} -name 'apply-*.log' -mtime +30 -delete 2>/dev/null
log=${applyLogDir}/apply-$(date -u +%Y%m%dT%H%M%SZ)-$$.log
echo ${section('log')}
echo "$log"
setsid -w sh -c ${detachedApt} patchops-apply ${aptInstallArguments(pinned, options)} </dev/null >"$log" 2>&1
code=$?
echo ${section('apt-get')}
tail -c 4096 "$log"
echo
echo ${section('summary')}
grep -E '^[0-9]+ upgraded, ' "$log"
echo ${section('dpkg-query')}
${{ raw: dpkgStateQuery(names) }} 2>/dev/null
echo ${endMarker}
exit $code`;
}

/** The names of an `aptPackageStatesCommand`, or undefined when the command is not one. */
export function readPackageStatesCommand(command: string): string[] | undefined {
  const prefix = aptPackageStatesCommand(['x0']).replace(/x0$/, '');
  if (!command.startsWith(prefix)) return undefined;
  const names = shellWords(command.slice(prefix.length));
  if (!names || names.length === 0) return undefined;
  try {
    return aptPackageStatesCommand(names) === command ? names : undefined;
  } catch {
    return undefined;
  }
}

/** The packages and options of an `aptInstallCommand`, or undefined when the command is not one. */
export function readInstallCommand(
  command: string,
): ({ packages: PinnedVersion[] } & AptInstallCommandOptions) | undefined {
  const line = /^setsid -w sh -c .* patchops-apply install (.*) <\/dev\/null >"\$log" 2>&1$/m.exec(command);
  const parts = line ? shellWords(line[1]!) : undefined;
  if (!parts) return undefined;
  const lockWait = parts.map((word) => /^DPkg::Lock::Timeout=(\d+)$/.exec(word)?.[1]).find(Boolean);
  const allowDowngrades = parts.includes('--allow-downgrades');
  const packages: PinnedVersion[] = [];
  for (const word of parts.filter((w) => !w.startsWith('-') && !w.includes('::'))) {
    const match = /^([^:=]+)(?::([^=]+))?=(.+)$/.exec(word);
    if (!match) return undefined;
    packages.push({ name: match[1]!, arch: match[2] ?? 'all', version: match[3]! });
  }
  if (lockWait === undefined || packages.length === 0) return undefined;
  const options = { allowDowngrades, lockWaitSeconds: Number(lockWait) };
  try {
    return aptInstallCommand(packages, options) === command ? { packages, ...options } : undefined;
  } catch {
    return undefined;
  }
}
