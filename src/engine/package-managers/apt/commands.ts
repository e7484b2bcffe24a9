import { type ShellCommand, sh } from '../../shell/command.js';

/**
 * dpkg-query fields, tab-separated. `source:Package`/`source:Version` exist since dpkg 1.19; older dpkg
 * prints them empty, so the raw `Source` field ("name" or "name (version)") is the fallback.
 */
const dpkgFields = [
  'Status',
  'Package',
  'Architecture',
  'Version',
  'source:Package',
  'source:Version',
  'Source',
];
export const dpkgQueryFormat = `${dpkgFields.map((field) => `\${${field}}`).join('\\t')}\\n`;

/** Markers that frame each part of the scan script's output; no dpkg or apt line starts with "@@". */
export const sectionMarker = '@@patchops:section ';
export const exitMarker = '@@patchops:exit ';
export const endMarker = '@@patchops:end';
export type ScanSection = 'dpkg-query' | 'apt-get' | 'reboot-required' | 'lists-age';
const section = (name: ScanSection): string => sectionMarker + name;

/**
 * The whole read-only scan in one round trip (round trips, not bytes, dominate a 500-host scan):
 * installed packages, a simulated full upgrade, the reboot flag and the age of the package lists.
 * LC_ALL=C keeps apt's words stable for the parser. apt-get's stderr joins its section so that its
 * W:/E: lines are reported with it; dpkg-query's stays apart so that it never mixes into package lines.
 * The simulation needs no root: apt disables locking when simulating.
 */
export const aptScanCommand: ShellCommand = sh`export LC_ALL=C
echo ${section('dpkg-query')}
dpkg-query -W -f=${dpkgQueryFormat}
echo ${exitMarker}$?
echo ${section('apt-get')}
apt-get -s -o APT::Get::Show-User-Simulation-Note=false dist-upgrade 2>&1
echo ${exitMarker}$?
echo ${section('reboot-required')}
if [ -e /var/run/reboot-required ]; then echo required; cat /var/run/reboot-required.pkgs 2>/dev/null; else echo not-required; fi
echo ${section('lists-age')}
date +%s
stat -c '%Y %n' /var/lib/apt/lists/partial /var/lib/apt/lists/*Release /var/lib/apt/periodic/update-success-stamp 2>/dev/null
echo ${endMarker}`;

/** Refresh the package lists; a single simple command so that any `sudo -n` wrapping of it works. */
export const aptRefreshCommand: ShellCommand = sh`env LC_ALL=C apt-get -q update`;
