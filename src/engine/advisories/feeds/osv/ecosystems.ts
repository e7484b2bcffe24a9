import type { HostEcosystem } from '../../types.js';

export type Distribution = 'debian' | 'ubuntu' | 'almalinux' | 'rocky' | 'alpine' | 'suse' | 'opensuse';

/** An OSV ecosystem string taken apart, with how its packages are named and versioned. */
export interface DistributionEcosystem extends HostEcosystem {
  distribution: Distribution;
  /** Comparable with os-release VERSION_ID: "12", "22.04", "9", "3.20", "15.5" (SLES 15 SP5), "15.6". */
  release: string;
  /** Ubuntu "Pro", "Pro:FIPS-updates"; SUSE "Linux Enterprise Server"; openSUSE "Leap"; Ubuntu LTS is not a variant. */
  variant?: string;
}

const debianLike = { scheme: 'dpkg', matchOn: 'source' } as const;
const rpmLike = { scheme: 'rpm', matchOn: 'binary' } as const;
// Alpine's secdb (and so OSV's Alpine records) names aports origins, i.e. source packages.
const alpineLike = { scheme: 'apk', matchOn: 'source' } as const;

type Parser = (rest: string, ecosystem: string) => DistributionEcosystem | undefined;

const parsers: Record<string, Parser> = {
  Debian: (rest, ecosystem) =>
    /^\d+$/.test(rest) ? { ecosystem, distribution: 'debian', release: rest, ...debianLike } : undefined,
  Ubuntu: parseUbuntu,
  AlmaLinux: (rest, ecosystem) =>
    /^\d+$/.test(rest) ? { ecosystem, distribution: 'almalinux', release: rest, ...rpmLike } : undefined,
  'Rocky Linux': (rest, ecosystem) =>
    /^\d+$/.test(rest) ? { ecosystem, distribution: 'rocky', release: rest, ...rpmLike } : undefined,
  Alpine: (rest, ecosystem) => {
    const match = /^v(\d+\.\d+)$/.exec(rest);
    return match?.[1] ? { ecosystem, distribution: 'alpine', release: match[1], ...alpineLike } : undefined;
  },
  SUSE: (rest, ecosystem) => parseSuseProduct(rest, ecosystem, 'suse'),
  openSUSE: (rest, ecosystem) => parseSuseProduct(rest, ecosystem, 'opensuse'),
};

/**
 * The distribution behind an OSV ecosystem, or undefined for ecosystems patchops does not scan (PyPI,
 * Red Hat, Mageia...) and for a bare "Debian" or "Ubuntu", which names no release a host could be on.
 */
export function parseOsvEcosystem(ecosystem: string): DistributionEcosystem | undefined {
  const colon = ecosystem.indexOf(':');
  if (colon < 0) return undefined;
  const parser = parsers[ecosystem.slice(0, colon)];
  return parser?.(ecosystem.slice(colon + 1), ecosystem);
}

/** "22.04:LTS", "24.10", "Pro:16.04:LTS", "Pro:FIPS-updates:22.04:LTS". */
function parseUbuntu(rest: string, ecosystem: string): DistributionEcosystem | undefined {
  const parts = rest.split(':');
  const releaseAt = parts.findIndex((part) => /^\d{2}\.\d{2}$/.test(part));
  const release = parts[releaseAt];
  if (release === undefined) return undefined;
  const suffix = parts.slice(releaseAt + 1);
  if (suffix.length > 1 || (suffix.length === 1 && suffix[0] !== 'LTS')) return undefined;
  const variant = parts.slice(0, releaseAt).join(':');
  return { ecosystem, distribution: 'ubuntu', release, ...(variant ? { variant } : {}), ...debianLike };
}

/** "Linux Enterprise Server 15 SP5" → 15.5, "Leap 15.6" → 15.6, "Linux Micro 6.0" → 6.0. */
function parseSuseProduct(
  rest: string,
  ecosystem: string,
  distribution: 'suse' | 'opensuse',
): DistributionEcosystem | undefined {
  if (distribution === 'opensuse' && rest === 'Tumbleweed')
    return { ecosystem, distribution, release: 'tumbleweed', variant: rest, ...rpmLike };
  const match = /^(.+?) (\d+(?:\.\d+)?)(?: SP(\d+))?$/.exec(rest);
  if (!match?.[1] || !match[2]) return undefined;
  const release = match[3] ? `${match[2]}.${match[3]}` : match[2];
  return { ecosystem, distribution, release, variant: match[1], ...rpmLike };
}
