import type { PinnedVersion } from '../engine/package-managers/types.js';
import { compareVersions } from '../engine/versioning/index.js';
import type { FleetPlan, SimHostPackages } from './host-model.js';
import { kernel, type SimPackage } from './packages.js';

/**
 * Patching a simulated host. A host keeps only what was installed on it since the fleet started (a few
 * "name:arch → version" entries); its package model is regenerated from the seed and these entries are
 * laid over it, so 1,000 hosts cost a few bytes each beyond their cached outputs.
 */
export type SimInstalled = Map<string, string>;

const keyOf = (pkg: { name: string; arch: string }) => `${pkg.name}:${pkg.arch}`;

/** The packages a host has after the installs recorded in `installed`: updates taken vanish, rollbacks return. */
export function applyInstalled(
  plan: FleetPlan,
  host: SimHostPackages,
  installed: SimInstalled,
): SimHostPackages {
  for (const [key, version] of installed) {
    const index = host.installed.findIndex((pkg) => keyOf(pkg) === key);
    if (index < 0) {
      addNewPackage(host, key, version);
      continue;
    }
    const pkg = host.installed[index]!;
    if (pkg.version === version) continue;
    const updateIndex = host.updates.findIndex((update) => keyOf(update.installed) === key);
    const update = host.updates[updateIndex];
    const published = plan.publishedFor(pkg);
    // The fleet's candidate: the pending update's version, or the version the host already has.
    const candidate = update?.version ?? (pkg.previous ? pkg.version : undefined);
    const previous = pkg.previous ?? { version: pkg.version, sourceVersion: pkg.sourceVersion };
    const moved: SimPackage = {
      ...pkg,
      version,
      sourceVersion: version === candidate ? published.sourceVersion : previous.sourceVersion,
      previous,
    };
    host.installed[index] = moved;
    if (version === candidate) {
      if (update) host.updates.splice(updateIndex, 1);
      host.keptBack = host.keptBack.filter((name) => name !== pkg.name);
    } else if (update) {
      host.updates[updateIndex] = { ...update, installed: moved };
    } else if (candidate !== undefined) {
      const { origin, security } = published;
      host.updates.push({ installed: moved, version: candidate, origin, security });
    }
  }
  return host;
}

function addNewPackage(host: SimHostPackages, key: string, version: string): void {
  const index = host.newPackages.findIndex((pkg) => keyOf(pkg) === key && pkg.version === version);
  if (index < 0) return;
  const [pkg] = host.newPackages.splice(index, 1);
  const isKernel = pkg!.name === kernel.newImage;
  const added: SimPackage = {
    name: pkg!.name,
    arch: pkg!.arch,
    version,
    sourceName: isKernel ? kernel.source : pkg!.name,
    sourceVersion: isKernel ? kernel.sourceVersion : version,
  };
  const at = host.installed.findIndex((other) => other.name > added.name);
  host.installed.splice(at < 0 ? host.installed.length : at, 0, added);
}

export interface SimChange {
  name: string;
  arch: string;
  from: string | undefined;
  to: string;
  kind: 'upgrade' | 'downgrade' | 'new';
}

export type SimInstallOutcome =
  | { ok: true; changes: SimChange[]; log: string; rebootPackages: string[] }
  | { ok: false; log: string };

const header = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';

/**
 * What `apt-get install -y name:arch=version ...` does to the host's model, and what it prints (apt 2.6's
 * words, as captured from the lab). Known versions: the installed one, the pending update's, and the one
 * before the fleet's update (a rollback). Anything else is "not found", as apt says it.
 */
export function simulateInstall(
  host: SimHostPackages,
  packages: readonly PinnedVersion[],
  options: { allowDowngrades: boolean },
): SimInstallOutcome {
  const errors: string[] = [];
  const notes: string[] = [];
  const changes: SimChange[] = [];
  for (const wanted of packages) {
    const matches = (pkg: { name: string; arch: string }) =>
      pkg.name === wanted.name && (wanted.arch === 'all' || pkg.arch === wanted.arch);
    const label = wanted.arch === 'all' ? wanted.name : `${wanted.name}:${wanted.arch}`;
    const pkg = host.installed.find(matches);
    if (!pkg) {
      const fresh = host.newPackages.find(matches);
      if (!fresh) errors.push(`E: Unable to locate package ${label}`);
      else if (fresh.version !== wanted.version)
        errors.push(`E: Version '${wanted.version}' for '${label}' was not found`);
      else
        changes.push({ name: fresh.name, arch: fresh.arch, from: undefined, to: fresh.version, kind: 'new' });
      continue;
    }
    const update = host.updates.find((u) => u.installed === pkg);
    const known = [pkg.version, update?.version, pkg.previous?.version];
    if (!known.includes(wanted.version)) {
      errors.push(`E: Version '${wanted.version}' for '${label}' was not found`);
      continue;
    }
    const order = compareVersions('dpkg', wanted.version, pkg.version);
    if (order === 0) {
      notes.push(`${pkg.name} is already the newest version (${pkg.version}).`);
      continue;
    }
    const kind = order > 0 ? 'upgrade' : 'downgrade';
    changes.push({ name: pkg.name, arch: pkg.arch, from: pkg.version, to: wanted.version, kind });
    // The kernel metapackage depends on the new ABI package: apt installs it too.
    const newKernel = host.newPackages.find((p) => p.name === kernel.newImage);
    if (
      pkg.name === 'linux-image-amd64' &&
      kind === 'upgrade' &&
      newKernel &&
      !changes.some((c) => c.name === newKernel.name)
    )
      changes.push({
        name: newKernel.name,
        arch: newKernel.arch,
        from: undefined,
        to: newKernel.version,
        kind: 'new',
      });
  }
  if (errors.length > 0) {
    const unknown = errors.find((e) => e.startsWith('E: Version'));
    const preamble = unknown
      ? `Package ${packages[0]!.name} is not available, but is referred to by another package.\nThis may mean that the package is missing, has been obsoleted, or\nis only available from another source\n\n`
      : '';
    return { ok: false, log: `${header}${preamble}${errors.join('\n')}\n@@patchops:exit 100\n` };
  }
  const names = (kind: SimChange['kind']) => changes.filter((c) => c.kind === kind).map((c) => c.name);
  const wordList = (title: string, list: string[]) =>
    list.length > 0 ? `${title}\n  ${list.join(' ')}\n` : '';
  const upgraded = names('upgrade');
  const downgraded = names('downgrade');
  const fresh = names('new');
  const notUpgraded =
    host.updates.filter((u) => !upgraded.includes(u.installed.name)).length + host.keptBack.length;
  const summary = `${upgraded.length} upgraded, ${fresh.length} newly installed, ${
    downgraded.length > 0 ? `${downgraded.length} downgraded, ` : ''
  }0 to remove and ${notUpgraded} not upgraded.`;
  let log =
    header +
    notes.map((note) => `${note}\n`).join('') +
    wordList('The following NEW packages will be installed:', fresh) +
    wordList('The following packages will be upgraded:', upgraded) +
    wordList('The following packages will be DOWNGRADED:', downgraded) +
    `${summary}\n`;
  if (downgraded.length > 0 && !options.allowDowngrades) {
    return {
      ok: false,
      log: `${log}E: Packages were downgraded and -y was used without --allow-downgrades.\n@@patchops:exit 100\n`,
    };
  }
  if (changes.length > 0) {
    log += `Need to get 0 B/${changes.length * 750} B of archives.\n(Reading database ... 7118 files and directories currently installed.)\n`;
    for (const c of changes) {
      if (c.kind === 'downgrade') log += `dpkg: warning: downgrading ${c.name} from ${c.from} to ${c.to}\n`;
      log += `Preparing to unpack .../${c.name}_${c.to.replace(/^\d+:/, '')}_${c.arch}.deb ...\n`;
      log += c.from
        ? `Unpacking ${c.name} (${c.to}) over (${c.from}) ...\n`
        : `Selecting previously unselected package ${c.name}.\nUnpacking ${c.name} (${c.to}) ...\n`;
    }
    for (const c of changes) log += `Setting up ${c.name} (${c.to}) ...\n`;
  }
  const rebootPackages = changes.filter((c) => c.name.startsWith('linux-image-')).map((c) => c.name);
  return { ok: true, changes, log: `${log}@@patchops:exit 0\n`, rebootPackages };
}
