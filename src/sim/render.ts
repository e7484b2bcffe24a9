import {
  endMarker,
  exitMarker,
  type ScanSection,
  sectionMarker,
} from '../engine/package-managers/apt/commands.js';
import type { SimHostPackages } from './host-model.js';
import type { SimPackage } from './packages.js';

/** What a Debian 12 host prints for `cat /etc/os-release`. */
export const debian12OsRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

/** `dpkg-query -W -f=<dpkgQueryFormat>` lines, including the raw Source field older dpkg would need. */
export function renderDpkgQuery(installed: readonly SimPackage[]): string {
  return installed
    .map((pkg) => {
      const sameSource = pkg.sourceName === pkg.name && pkg.sourceVersion === pkg.version;
      const sourceField = sameSource
        ? ''
        : pkg.sourceVersion === pkg.version
          ? pkg.sourceName
          : `${pkg.sourceName} (${pkg.sourceVersion})`;
      const fields = [
        'install ok installed',
        pkg.name,
        pkg.arch,
        pkg.version,
        pkg.sourceName,
        pkg.sourceVersion,
      ];
      return `${[...fields, sourceField].join('\t')}\n`;
    })
    .join('');
}

/** apt's word lists: two-space indent, wrapped before 80 columns. */
function wordList(heading: string, words: readonly string[]): string {
  if (words.length === 0) return '';
  const lines: string[] = [];
  let line = ' ';
  for (const word of words) {
    if (line.length + word.length + 1 > 79 && line.trim() !== '') {
      lines.push(line);
      line = ' ';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return `${heading}\n${lines.join('\n')}\n`;
}

/** `LC_ALL=C apt-get -s dist-upgrade`, as apt 2.6 (Debian 12) prints it. */
export function renderAptSimulation(host: SimHostPackages): string {
  const { updates, newPackages, keptBack } = host;
  const upgradedNames = updates.map((u) => u.installed.name).sort();
  const lines = [
    'Reading package lists...\nBuilding dependency tree...\nReading state information...\nCalculating upgrade...\n',
    wordList(
      'The following NEW packages will be installed:',
      newPackages.map((p) => p.name),
    ),
    wordList('The following packages have been kept back:', keptBack),
    wordList('The following packages will be upgraded:', upgradedNames),
    `${updates.length} upgraded, ${newPackages.length} newly installed, 0 to remove and ${keptBack.length} not upgraded.\n`,
  ];
  for (const p of newPackages) lines.push(`Inst ${p.name} (${p.version} ${p.origin} [${p.arch}])\n`);
  for (const u of updates) {
    const { name, version, arch } = u.installed;
    lines.push(`Inst ${name} [${version}] (${u.version} ${u.origin} [${arch}])\n`);
  }
  for (const p of newPackages) lines.push(`Conf ${p.name} (${p.version} ${p.origin} [${p.arch}])\n`);
  for (const u of updates)
    lines.push(`Conf ${u.installed.name} (${u.version} ${u.origin} [${u.installed.arch}])\n`);
  return lines.join('');
}

export function renderRebootRequired(rebootPackages: readonly string[] | undefined): string {
  return rebootPackages ? `required\n${rebootPackages.map((p) => `${p}\n`).join('')}` : 'not-required\n';
}

const listFiles = [
  'deb.debian.org_debian_dists_bookworm_InRelease',
  'deb.debian.org_debian_dists_bookworm-updates_InRelease',
  'deb.debian.org_debian-security_dists_bookworm-security_InRelease',
];

/** `date +%s` then `stat -c '%Y %n'` of the lists, all dated by the host's last `apt-get update`. */
export function renderListsAge(nowSeconds: number, updatedAtSeconds: number): string {
  const files = listFiles.map((file) => `${updatedAtSeconds} /var/lib/apt/lists/${file}\n`).join('');
  return `${nowSeconds}\n${updatedAtSeconds} /var/lib/apt/lists/partial\n${files}`;
}

/** The apt scan script's stdout: each section framed exactly as the real script frames it. */
export function renderScanOutput(parts: Record<ScanSection, string>): string {
  const section = (name: ScanSection, exit: boolean) =>
    `${sectionMarker}${name}\n${parts[name]}${exit ? `${exitMarker}0\n` : ''}`;
  return [
    section('dpkg-query', true),
    section('apt-get', true),
    section('reboot-required', false),
    section('lists-age', false),
    `${endMarker}\n`,
  ].join('');
}

/** `dpkg-query -W -f=<dpkgStateFormat> NAMES`: dpkg-query sorts by name and reports unknown names on stderr. */
export function renderPackageStates(
  installed: readonly SimPackage[],
  queries: readonly string[],
): { code: number; stdout: string; stderr: string } {
  const found = new Set<SimPackage>();
  let stderr = '';
  for (const query of queries) {
    const [name, arch] = query.split(':');
    const matches = installed.filter((pkg) => pkg.name === name && (arch === undefined || pkg.arch === arch));
    if (matches.length === 0) stderr += `dpkg-query: no packages found matching ${query}\n`;
    for (const pkg of matches) found.add(pkg);
  }
  const stdout = [...found]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.arch.localeCompare(b.arch)))
    .map((pkg) => `${pkg.name}\t${pkg.arch}\t${pkg.version}\tinstall ok installed\n`)
    .join('');
  return { code: stderr ? 1 : 0, stdout, stderr };
}

/** The precheck script's answer on a healthy host: plenty of space, no lock held, nothing half-installed. */
export const healthyPrecheckOutput = [
  `${sectionMarker}df`,
  'Filesystem     1024-blocks     Used Available Capacity Mounted on',
  '/dev/vda1         30787492  6243420  22954124      22% /',
  '/dev/vda1         30787492  6243420  22954124      22% /',
  `${exitMarker}0`,
  `${sectionMarker}lock-files`,
  '64769 1835023 /var/lib/dpkg/lock-frontend',
  '64769 1835019 /var/lib/dpkg/lock',
  '64769 1835130 /var/cache/apt/archives/lock',
  `${sectionMarker}proc-locks`,
  `${exitMarker}0`,
  `${sectionMarker}lock-holders`,
  `${sectionMarker}dpkg-audit`,
  `${exitMarker}0`,
  `${sectionMarker}dpkg-unsettled`,
  endMarker,
  '',
].join('\n');

/** The install script's stdout: log path, apt's log (ending in its exit marker), summary, states. */
export function renderInstallOutput(parts: { logPath: string; log: string; states: string }): string {
  const summary = parts.log.split('\n').find((line) => /^\d+ upgraded, /.test(line));
  return [
    `${sectionMarker}log\n${parts.logPath}\n`,
    `${sectionMarker}apt-get\n${parts.log}\n`,
    `${sectionMarker}summary\n${summary ? `${summary}\n` : ''}`,
    `${sectionMarker}dpkg-query\n${parts.states}`,
    `${endMarker}\n`,
  ].join('');
}
