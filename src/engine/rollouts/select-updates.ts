import type {
  PinnedPackage,
  PlanFilters,
  PlanFinding,
  PlanHostInput,
  PlanUpdate,
  Priority,
} from './types.js';

const URGENCY: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

function packagesOfFindings(findings: PlanFinding[], keep: (finding: PlanFinding) => boolean): Set<string> {
  return new Set(findings.filter(keep).flatMap((finding) => finding.binaryPackages));
}

/** Each given filter narrows the set; an empty list given as a filter matches nothing rather than everything. */
function filterUpdates(host: PlanHostInput, filters: PlanFilters): PlanUpdate[] {
  let updates = host.updates;
  if (filters.security) updates = updates.filter((update) => update.security);
  const { priority, cves, packages } = filters;
  if (priority) {
    const urgent = packagesOfFindings(host.findings, (f) => URGENCY[f.priority] <= URGENCY[priority]);
    updates = updates.filter((update) => urgent.has(update.name));
  }
  if (cves) {
    // Ids are compared case-blind: people type cve-2024-1234 in chat.
    const wanted = new Set(cves.map((id) => id.toUpperCase()));
    const matching = packagesOfFindings(
      host.findings,
      (f) => wanted.has(f.vulnerability.toUpperCase()) || f.cves.some((id) => wanted.has(id.toUpperCase())),
    );
    updates = updates.filter((update) => matching.has(update.name));
  }
  if (packages) {
    const named = new Set(packages);
    updates = updates.filter((update) => named.has(update.name));
  }
  return updates;
}

/**
 * The updates a plan installs on one host, pinned and sorted. Binaries built from one source package move
 * together (libssl3 with openssl): upgrading only some of them leaves mismatched versions, which apt
 * usually refuses and which breaks at run time when it does not.
 */
export function selectUpdates(host: PlanHostInput, filters: PlanFilters): PinnedPackage[] {
  const sourceOf = (name: string) => host.sourceOf.get(name) ?? name;
  const sources = new Set(filterUpdates(host, filters).map((update) => sourceOf(update.name)));
  return host.updates
    .filter((update) => sources.has(sourceOf(update.name)))
    .map((update) => ({
      name: update.name,
      arch: update.arch,
      from: update.installedVersion,
      to: update.version,
    }))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.arch, b.arch));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
