import { catalog, corePackages, kernel, type Published, publishedFor, type SimPackage } from './packages.js';
import { SeededRandom } from './random.js';

export interface SimUpdate {
  installed: SimPackage;
  version: string;
  origin: string;
  security: boolean;
}

/** Everything apt and dpkg would say about one simulated host. */
export interface SimHostPackages {
  installed: SimPackage[];
  updates: SimUpdate[];
  newPackages: { name: string; arch: string; version: string; origin: string }[];
  keptBack: string[];
  /** Packages named in /var/run/reboot-required.pkgs; undefined when no reboot is required. */
  rebootPackages: string[] | undefined;
}

export interface HostModelOptions {
  packagesPerHost: number;
  updatesPerHost?: number;
  /** Some hosts start with a reboot pending (about 20%, from earlier patches); default true. */
  pendingReboots?: boolean;
}

/** Fleet-wide choices shared by every host: which packages are common, which updates came out first. */
export class FleetPlan {
  readonly core: SimPackage[];
  readonly byPopularity: SimPackage[];
  readonly sourceOrder: string[];
  private readonly published = new Map<string, Published>();

  constructor(readonly seed: number | string) {
    const random = new SeededRandom(seed, 'fleet');
    this.core = catalog.filter((p) => corePackages.has(p.name));
    this.byPopularity = random.shuffled(catalog.filter((p) => !corePackages.has(p.name)));
    // Kernel updates come out often: put one among the first few, so a good share of hosts lack it.
    const sources = random.shuffled(
      [...new Set(catalog.map((p) => p.sourceName))].filter((s) => s !== kernel.source),
    );
    this.sourceOrder = [...sources.slice(0, 5), kernel.source, ...sources.slice(5)];
  }

  publishedFor(pkg: SimPackage): Published {
    let published = this.published.get(pkg.sourceName);
    if (!published) {
      published = publishedFor(this.seed, pkg.sourceName, pkg.sourceVersion);
      this.published.set(pkg.sourceName, published);
    }
    return published;
  }
}

/** Deterministic from (fleet seed, host index): the same host always has the same packages and updates. */
export function generateHostPackages(
  plan: FleetPlan,
  index: number,
  options: HostModelOptions,
): SimHostPackages {
  const random = new SeededRandom(plan.seed, `host:${index}`);
  const chosen = choosePackages(plan, random, options.packagesPerHost);
  const wanted = options.updatesPerHost ?? (random.chance(0.1) ? 0 : random.between(1, 50));
  const outdated = chooseOutdated(plan, random, chosen, wanted);
  const host: SimHostPackages = {
    installed: [],
    updates: [],
    newPackages: [],
    keptBack: [],
    rebootPackages: undefined,
  };
  for (const pkg of chosen) {
    const published = plan.publishedFor(pkg);
    if (outdated.has(pkg)) {
      host.installed.push(pkg);
      const { origin, security } = published;
      host.updates.push({ installed: pkg, version: published.version(pkg), origin, security });
    } else if (pkg.name === kernel.oldImage) {
      host.installed.push(pkg); // an old kernel ABI package stays as it is
    } else {
      host.installed.push({
        ...pkg,
        version: published.version(pkg),
        sourceVersion: published.sourceVersion,
        previous: { version: pkg.version, sourceVersion: pkg.sourceVersion },
      });
    }
  }
  const kernelOutdated = addNewKernel(plan, chosen, outdated, host);
  // A held package now and then, only when the caller did not ask for an exact update count.
  if (options.updatesPerHost === undefined && host.updates.length > 1 && random.chance(0.05)) {
    host.keptBack.push(host.updates.pop()!.installed.name);
  }
  if (random.chance(0.2)) {
    const patchedKernel = !kernelOutdated && chosen.some((pkg) => pkg.name === kernel.oldImage);
    host.rebootPackages = [random.pick(patchedKernel ? [kernel.newImage] : ['libc6', 'libssl3', 'dbus'])];
  }
  return host;
}

/**
 * A kernel update brings a new ABI package: a new install on hosts that lack the update, already
 * installed on the others. Returns whether this host lacks it.
 */
function addNewKernel(
  plan: FleetPlan,
  chosen: SimPackage[],
  outdated: Set<SimPackage>,
  host: SimHostPackages,
) {
  const oldImage = chosen.find((pkg) => pkg.name === kernel.oldImage);
  if (!oldImage) return false;
  const kernelOutdated = [...outdated].some((pkg) => pkg.sourceName === kernel.source);
  const newImage = {
    ...oldImage,
    name: kernel.newImage,
    version: kernel.version,
    sourceVersion: kernel.sourceVersion,
  };
  if (kernelOutdated) {
    const { origin } = plan.publishedFor(oldImage);
    host.newPackages.push({ name: newImage.name, arch: newImage.arch, version: newImage.version, origin });
  } else {
    host.installed.push(newImage);
  }
  return kernelOutdated;
}

function choosePackages(plan: FleetPlan, random: SeededRandom, count: number): SimPackage[] {
  const rest = Math.max(0, count - plan.core.length);
  const shared = Math.floor(rest * 0.8);
  const picked = random.shuffled(plan.byPopularity.slice(shared)).slice(0, rest - shared);
  const chosen = [...plan.core, ...plan.byPopularity.slice(0, shared), ...picked].slice(0, count);
  for (let i = chosen.length; i < count; i++) chosen.push(syntheticPackage(i));
  return chosen.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.arch.localeCompare(b.arch)));
}

/** Beyond the catalog: plausible library packages, so any packagesPerHost can be asked for. */
function syntheticPackage(i: number): SimPackage {
  const version = `1.${i % 9}.${i % 13}-1`;
  return {
    name: `libsim-extra${i}`,
    arch: 'amd64',
    version,
    sourceName: `sim-extra${i}`,
    sourceVersion: version,
  };
}

/**
 * The packages this host has not patched yet, exactly `wanted` of them when it has that many: sources
 * in the order the fleet published their updates, a first pass skipping some at random.
 */
function chooseOutdated(
  plan: FleetPlan,
  random: SeededRandom,
  chosen: SimPackage[],
  wanted: number,
): Set<SimPackage> {
  const bySource = new Map<string, SimPackage[]>();
  for (const pkg of chosen) {
    if (pkg.name !== kernel.oldImage)
      bySource.set(pkg.sourceName, [...(bySource.get(pkg.sourceName) ?? []), pkg]);
  }
  const order = [...new Set([...plan.sourceOrder, ...bySource.keys()])];
  const outdated = new Set<SimPackage>();
  for (const skipChance of [0.4, 0]) {
    for (const source of order) {
      if (outdated.size >= wanted) return outdated;
      if (random.chance(skipChance)) continue;
      for (const pkg of bySource.get(source) ?? []) if (outdated.size < wanted) outdated.add(pkg);
    }
  }
  return outdated;
}
