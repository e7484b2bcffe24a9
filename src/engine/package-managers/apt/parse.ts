import { OutputParseError } from '../errors.js';
import type { AvailableUpdate, InstalledPackage } from '../types.js';

/** Debian policy names (lowercase, digits, + - .), optionally `:arch` as apt prints foreign-arch packages. */
const packageName = /^[a-z0-9][a-z0-9+.-]*$/;
const archName = /^[a-z0-9-]+$/;
/**
 * [epoch:]upstream[-revision], the characters Debian policy allows; a colon in the upstream part only
 * with an epoch. Ordering is the advisory matcher's business, not the parser's.
 */
const debianVersionShape = /^(?:\d+:)?([A-Za-z0-9][A-Za-z0-9.+~:-]*)$/;
function isDebianVersion(version: string): boolean {
  const upstream = debianVersionShape.exec(version)?.[1];
  return upstream !== undefined && (!upstream.includes(':') || /^\d+:/.test(version));
}

export interface DpkgPackages {
  installed: InstalledPackage[];
  /** Packages dpkg left half-way (unpacked, half-installed, reinstreq...): listed, and worth a warning. */
  unsettled: { name: string; status: string }[];
}

/** dpkg's third status word: which ones mean "this version's files are on disk". */
const settledStates = new Set(['installed', 'triggers-awaited', 'triggers-pending']);
const unsettledStates = new Set(['unpacked', 'half-configured', 'half-installed']);
const absentStates = new Set(['not-installed', 'config-files']);

/**
 * Lines of `dpkg-query -W -f=<dpkgQueryFormat>`. Removed packages whose config files remain ("rc") are
 * not installed. Half-way states are kept: their new files are (at least partly) on disk, so advisories
 * must still see them, and the warning tells the operator dpkg needs `dpkg --configure -a`.
 */
export function parseDpkgQuery(text: string): DpkgPackages {
  const result: DpkgPackages = { installed: [], unsettled: [] };
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    const fail = (reason: string) => new OutputParseError('dpkg-query', index + 1, line, reason);
    const fields = line.split('\t');
    if (fields.length !== 7) throw fail(`expected 7 tab-separated fields, got ${fields.length}`);
    const [
      status = '',
      name = '',
      arch = '',
      version = '',
      sourceName = '',
      sourceVersion = '',
      sourceField = '',
    ] = fields;
    const [want, flag, state] = status.split(' ');
    if (!want || !flag || !state) throw fail('status is not "want flag state"');
    if (absentStates.has(state)) return;
    if (!settledStates.has(state) && !unsettledStates.has(state)) throw fail(`unknown dpkg state "${state}"`);
    if (!packageName.test(name)) throw fail('invalid package name');
    if (!isDebianVersion(version)) throw fail('invalid version');
    if (arch !== '' && !archName.test(arch)) throw fail('invalid architecture');
    const source = sourceOf(name, version, sourceName, sourceVersion, sourceField);
    if (!packageName.test(source.name) || !isDebianVersion(source.version)) throw fail('invalid source');
    result.installed.push({ name, version, arch, sourceName: source.name, sourceVersion: source.version });
    if (unsettledStates.has(state) || flag === 'reinstreq') result.unsettled.push({ name, status });
  });
  return result;
}

/** source:Package/Version when dpkg knows them (1.19+), else the raw "name (version)" Source field. */
function sourceOf(
  name: string,
  version: string,
  sourceName: string,
  sourceVersion: string,
  sourceField: string,
) {
  if (sourceName !== '') return { name: sourceName, version: sourceVersion || version };
  const match = /^(\S+)(?: \((\S+)\))?$/.exec(sourceField.trim());
  if (!match) return { name, version };
  return { name: match[1]!, version: match[2] ?? version };
}

export interface AptSimulation {
  /** Installed packages that a full upgrade moves to a new version. */
  updates: AvailableUpdate[];
  /** Packages a full upgrade would newly install (a new kernel ABI, a new dependency): not updates. */
  newPackages: { name: string; arch: string; version: string; origin: string }[];
  removals: string[];
  /** Listed as "kept back": an update exists but apt will not take it (held, or dependency problems). */
  keptBack: string[];
  /** Ubuntu's phased updates that this host is not yet selected for. */
  deferred: string[];
  /** apt's own W:/E:/N: lines, worth passing on. */
  messages: string[];
}

/**
 * `Inst name[:arch] [old] (new Label:Version/Suite, Label2:... [arch]) [trailing broken-dependency notes]`.
 * apt prints each origin as Label:Version/Suite, dropping the parts a repository does not set, and a
 * repository without a Release file as its host name or "localhost"; labels may contain spaces.
 * The origins end at the first "[arch])" that only bracketed notes follow (those never hold a ")").
 */
const instLine =
  /^Inst (?<name>\S+)(?: \[(?<installed>[^\]]+)\])? \((?<version>\S+)(?: (?<origins>.*?))? \[(?<arch>[^\]\s]+)\]\)(?: \[.*\])?$/;

/** Headers of the word lists worth keeping, as apt 1.x-2.x and apt 3 (Debian 13) word them. */
const listHeaders: ReadonlyMap<string, 'keptBack' | 'deferred'> = new Map([
  ['The following packages have been kept back:', 'keptBack'],
  ['Not upgrading:', 'keptBack'],
  ['The following upgrades have been deferred due to phasing:', 'deferred'],
  ['Not upgrading yet due to phasing:', 'deferred'],
]);

/** Output of `LC_ALL=C apt-get -s dist-upgrade` (stderr merged in). */
export function parseAptSimulation(text: string): AptSimulation {
  const result: AptSimulation = {
    updates: [],
    newPackages: [],
    removals: [],
    keptBack: [],
    deferred: [],
    messages: [],
  };
  let openList: 'keptBack' | 'deferred' | 'other' = 'other';
  text.split('\n').forEach((line, index) => {
    if (line.startsWith('  ')) {
      // Indented word lists follow a "The following ..." header; only two of them carry news.
      if (openList !== 'other') result[openList].push(...line.trim().split(/\s+/));
      return;
    }
    openList = listHeaders.get(line) ?? 'other';
    if (/^[WEN]: /.test(line)) result.messages.push(line);
    else if (line.startsWith('Remv ') || line.startsWith('Purg '))
      result.removals.push(line.split(' ')[1] ?? '');
    else if (line.startsWith('Inst ')) addInstLine(result, line, index + 1);
  });
  return result;
}

function addInstLine(result: AptSimulation, line: string, lineNumber: number): void {
  const match = instLine.exec(line);
  if (!match)
    throw new OutputParseError(
      'apt-get -s',
      lineNumber,
      line,
      'not an "Inst name [old] (new origin [arch])" line',
    );
  const {
    name: fullName = '',
    installed: installedVersion,
    version = '',
    origins: originText,
    arch = '',
  } = match.groups ?? {};
  const name = fullName.split(':')[0]!;
  const fail = (reason: string) => new OutputParseError('apt-get -s', lineNumber, line, reason);
  if (!packageName.test(name) || !/^[^:]+(?::[a-z0-9-]+)?$/.test(fullName))
    throw fail('invalid package name');
  if (!isDebianVersion(version)) throw fail('invalid candidate version');
  if (installedVersion !== undefined && !isDebianVersion(installedVersion))
    throw fail('invalid installed version');
  const origins = originText ? originText.split(', ') : [];
  const origin = origins.join(', ');
  if (installedVersion === undefined) {
    result.newPackages.push({ name, arch, version, origin });
    return;
  }
  result.updates.push({
    name,
    arch,
    installedVersion,
    version,
    origin,
    security: origins.some(isSecurityOrigin),
  });
}

/**
 * One origin as apt prints it. Security archives: Debian labels theirs "Debian-Security"; Ubuntu (and ESM)
 * suites end in "-security"; Debian before 11 named the suite "<suite or codename>/updates".
 */
const oldDebianSecuritySuite =
  /(?:^|[:/])(?:stable|oldstable|oldoldstable|testing|squeeze|wheezy|jessie|stretch|buster)\/updates$/;

export function isSecurityOrigin(origin: string): boolean {
  const colon = origin.indexOf(':');
  const label = colon >= 0 ? origin.slice(0, colon) : '';
  return label === 'Debian-Security' || /-security$/.test(origin) || oldDebianSecuritySuite.test(origin);
}

/** `apt list --upgradable` (used to cross-check the simulation parser on real hosts). */
export function parseAptListUpgradable(text: string): AvailableUpdate[] {
  const line = /^([^/\s]+)\/(\S+) (\S+) (\S+) \[upgradable from: (\S+)\]$/;
  return text
    .split('\n')
    .map((l) => line.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, name, suites, version, arch, installedVersion]) => {
      const suiteList = suites!.split(',');
      return {
        name: name!,
        arch: arch!,
        installedVersion: installedVersion!,
        version: version!,
        origin: suiteList.join(', '),
        security: suiteList.some(isSecurityOrigin),
      };
    });
}
