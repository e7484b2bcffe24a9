import type { AptSimulation, DpkgPackages } from './parse.js';

/** At most this many names in one warning line; the count says how many there are. */
const namesShown = 8;

function names(list: readonly string[]): string {
  const shown = list.slice(0, namesShown).join(', ');
  return list.length > namesShown ? `${shown} and ${list.length - namesShown} more` : shown;
}

export function describeUnsettled(unsettled: DpkgPackages['unsettled']): string[] {
  if (unsettled.length === 0) return [];
  const list = unsettled.map((p) => `${p.name} (${p.status})`);
  return [`dpkg left ${unsettled.length} package(s) half-way, run dpkg --configure -a: ${names(list)}`];
}

/** What a full upgrade does besides updating installed packages: the plan needs to know. */
export function describeSimulation(simulation: AptSimulation): string[] {
  const warnings: string[] = [];
  const { newPackages, removals, keptBack, deferred, messages } = simulation;
  if (newPackages.length > 0) {
    const list = newPackages.map((p) => `${p.name} ${p.version}`);
    warnings.push(`a full upgrade would also install ${newPackages.length} new package(s): ${names(list)}`);
  }
  if (removals.length > 0)
    warnings.push(`a full upgrade would remove ${removals.length} package(s): ${names(removals)}`);
  if (keptBack.length > 0) {
    warnings.push(
      `${keptBack.length} package(s) kept back (held, or dependency problems): ${names(keptBack)}`,
    );
  }
  if (deferred.length > 0) {
    warnings.push(`${deferred.length} update(s) deferred by phased rollout: ${names(deferred)}`);
  }
  warnings.push(...messages.map((message) => `apt: ${message}`));
  return warnings;
}
