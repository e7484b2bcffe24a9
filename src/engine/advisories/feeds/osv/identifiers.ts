/**
 * A CVE id, bare or wrapped by a distribution's per-CVE record id: UBUNTU-CVE-2024-6387,
 * DEBIAN-CVE-2024-3094, ALPINE-CVE-2023-5678. Those wrappers are the CVE itself in that distribution's
 * words; Ubuntu's USNs list only them in `upstream`, so without unwrapping a USN would never meet its CVE
 * in KEV or EPSS.
 */
const cvePattern = /^(?:[A-Z][A-Z0-9]*-)?(CVE-\d{4}-\d{4,})$/i;

export function cveOf(identifier: string): string | undefined {
  const match = cvePattern.exec(identifier.trim());
  return match?.[1]?.toUpperCase();
}

/** CVE ids of a record, from its id, aliases, upstream and related ids, in that order, each once. */
export function collectCves(id: string, ...lists: readonly (readonly string[])[]): string[] {
  const cves = new Set<string>();
  for (const identifier of [id, ...lists.flat()]) {
    const cve = cveOf(identifier);
    if (cve) cves.add(cve);
  }
  return [...cves];
}

/** OSV aliases without duplicates or the record's own id, CVEs first (the contract's order). */
export function orderAliases(id: string, aliases: readonly string[]): string[] {
  const unique = [...new Set(aliases.map((alias) => alias.trim()))].filter((a) => a !== '' && a !== id);
  const isCve = (alias: string) => /^CVE-/i.test(alias);
  return [...unique.filter(isCve), ...unique.filter((alias) => !isCve(alias))];
}
