import { catalogText } from './catalog.js';
import { SeededRandom } from './random.js';

export interface SimPackage {
  name: string;
  arch: string;
  version: string;
  sourceName: string;
  sourceVersion: string;
  /** The version before the fleet's stable update, when the host has taken it: where a rollback goes. */
  previous?: { version: string; sourceVersion: string };
}

/** What the simulated fleet's repository offers for one source package. */
export interface Published {
  version: (installed: SimPackage) => string;
  sourceVersion: string;
  origin: string;
  security: boolean;
}

export const catalog: readonly SimPackage[] = catalogText
  .trim()
  .split('\n')
  .map((line) => {
    const [name = '', arch = '', version = '', source = '=', sourceVersion = '='] = line.split(' ');
    return {
      name,
      arch,
      version,
      sourceName: source === '=' ? name : source,
      sourceVersion: sourceVersion === '=' ? version : sourceVersion,
    };
  });

/** Packages every simulated host has, so that fleets look like servers rather than random bags. */
export const corePackages: ReadonlySet<string> = new Set(
  (
    'apt base-files bash coreutils dpkg libc6 libc-bin libssl3 openssl openssh-server openssh-client ' +
    'openssh-sftp-server systemd systemd-sysv libsystemd0 libudev1 sudo tzdata ca-certificates curl libcurl4 ' +
    'linux-image-amd64 linux-image-6.1.0-28-amd64 cron rsyslog login passwd libpam0g libpam-modules perl-base ' +
    'zlib1g liblzma5 xz-utils libgnutls30 libkrb5-3 libexpat1 libxml2 dbus procps util-linux mount tar gzip sed'
  ).split(' '),
);

/** The next Debian stable-update revision: +deb12uN → +deb12uN+1, ~deb12uN likewise, else +deb12u1. */
export function nextStableRevision(version: string): string {
  const stable = /([+~]deb\d+u)(\d+)$/.exec(version);
  if (stable) return `${version.slice(0, stable.index)}${stable[1]}${Number(stable[2]) + 1}`;
  const binNmu = /\+b\d+$/.exec(version);
  return `${binNmu ? version.slice(0, binNmu.index) : version}+deb12u1`;
}

/** The kernel moves to a new ABI: a new linux-image-<abi> package, pulled in by linux-image-amd64. */
export const kernel = {
  source: 'linux-signed-amd64',
  oldImage: 'linux-image-6.1.0-28-amd64',
  newImage: 'linux-image-6.1.0-29-amd64',
  version: '6.1.123-1',
  sourceVersion: '6.1.123+1',
};

const pointRelease = 'Debian:12.9/stable';
const securitySuite = 'Debian-Security:12/stable-security';
const updatesSuite = 'Debian:12-updates/stable-updates';

/**
 * The fleet repository is one stable update ahead for every source package; the seed decides which of
 * those are security updates and where apt says they come from. The same for every host of a fleet.
 */
export function publishedFor(seed: number | string, sourceName: string, sourceVersion: string): Published {
  if (sourceName === kernel.source) {
    return {
      version: () => kernel.version,
      sourceVersion: kernel.sourceVersion,
      origin: securitySuite,
      security: true,
    };
  }
  const random = new SeededRandom(seed, `source:${sourceName}`);
  const security = random.chance(0.4);
  const origin = security
    ? random.pick([securitySuite, `${pointRelease}, ${securitySuite}`])
    : random.pick([pointRelease, pointRelease, updatesSuite]);
  return {
    version: (installed) => nextStableRevision(installed.version),
    sourceVersion: nextStableRevision(sourceVersion),
    origin,
    security,
  };
}
