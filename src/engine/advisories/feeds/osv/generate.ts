/**
 * Synthetic OSV records for Debian 12, for benchmarks and load tests: shaped like osv.dev's Debian data
 * (DEBIAN-CVE-* per-CVE records with an urgency, DSA/DLA advisories listing their CVEs), deterministic
 * from a seed. Run directly to write a zip or a directory:
 *   npx tsx src/engine/advisories/feeds/osv/generate.ts --count 50000 --seed 1 --zip /tmp/debian.zip
 *   npx tsx src/engine/advisories/feeds/osv/generate.ts --count 1000 --dir /tmp/osv
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../../../../seeded-random.js';
import { ZipWriter } from '../io/zip-writer.js';
import type { OsvRecordInput } from './schema.js';

/** Debian 12 source packages with their bookworm upstream version and Debian revision. */
const packages =
  `openssl 3.0.15 1~deb12u1|curl 7.88.1 10+deb12u8|glibc 2.36 9+deb12u9|linux 6.1.119 1|nginx 1.22.1 9
apache2 2.4.62 1~deb12u2|openssh 9.2p1 2+deb12u3|sudo 1.9.13p3 1+deb12u1|systemd 252.33 1~deb12u1|bind9 9.18.28 1~deb12u2
postgresql-15 15.10 0+deb12u1|mariadb 10.11.6 0+deb12u1|python3.11 3.11.2 6+deb12u4|perl 5.36.0 7+deb12u1|git 2.39.5 0+deb12u1
libxml2 2.9.14+dfsg 1.3~deb12u1|expat 2.5.0 1+deb12u1|zlib 1.2.13.dfsg 1|xz-utils 5.4.1 1|bash 5.2.15 2
gnutls28 3.7.9 2+deb12u3|nss 3.87.1 1+deb12u1|firefox-esr 128.5.0esr 1~deb12u1|thunderbird 128.5.0esr 1~deb12u1|exim4 4.96 15+deb12u6
samba 4.17.12+dfsg 0+deb12u1|cups 2.4.2 3+deb12u8|qemu 7.2+dfsg 7+deb12u7|php8.2 8.2.26 1~deb12u1|ruby3.1 3.1.2 7+deb12u1
nodejs 18.19.0+dfsg 6~deb12u2|redis 7.0.15 1~deb12u1|libssh 0.10.6 0+deb12u1|krb5 1.20.1 2+deb12u2|tiff 4.5.0 6+deb12u1
imagemagick 6.9.11.60+dfsg 1.6+deb12u2|ghostscript 10.0.0~dfsg 11+deb12u6|libvpx 1.12.0 1+deb12u3|ffmpeg 5.1.6 0+deb12u1|wget 1.21.3 1+deb12u1
vim 9.0.1378 2|less 590 2.1~deb12u2|tar 1.34+dfsg 1.2+deb12u1|util-linux 2.38.1 5+deb12u2|shadow 4.13+dfsg1 1
pam 1.5.2 6+deb12u1|dbus 1.14.10 1~deb12u1|polkit-policykit-1 122 3|sqlite3 3.40.1 2+deb12u1|libgcrypt20 1.10.1 3
unbound 1.17.1 2+deb12u2|dnsmasq 2.90 4~deb12u1|haproxy 2.6.12 1+deb12u1|squid 5.7 2+deb12u2|tomcat10 10.1.31 1~deb12u1`
    .split(/[|\n]/)
    .map((line) => {
      const [name = '', upstream = '', revision = ''] = line.trim().split(' ');
      return { name, upstream, revision };
    });

const urgencies = ['unimportant', 'low', 'medium', 'high', 'not yet assigned'];

/**
 * The source packages records are spread over: the ~65 real names above, topped up with synthetic ones.
 * Real Debian data spreads its records over thousands of packages (about 10 each); a universe of 65 puts
 * hundreds of records on each, which suits parsing benchmarks but not matching ones.
 */
function packageUniverse(size: number): typeof packages {
  const synthetic = Array.from({ length: Math.max(0, size - packages.length) }, (_, i) => ({
    name: `libpatchops-${i}`,
    upstream: `1.${i % 40}.${i % 9}`,
    revision: '1',
  }));
  return [...packages, ...synthetic];
}

export function* generateOsvRecords(
  count: number,
  seed = 1,
  universe = packages.length,
): Generator<OsvRecordInput> {
  const sources = packageUniverse(universe);
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const day = (offset: number) => new Date(Date.UTC(2023, 5, 10) + offset * 86_400_000).toISOString();
  for (let index = 0; index < count; index++) {
    const cves = Array.from(
      { length: random() < 0.6 ? 1 : 1 + Math.floor(random() * 4) },
      (_, n) => `CVE-${2014 + (index % 12)}-${String(10000 + index * 5 + n)}`,
    );
    const published = Math.floor(random() * 700);
    const packageCount = random() < 0.85 ? 1 : 2 + Math.floor(random() * 2);
    const perCve = random() < 0.6;
    // Per-CVE records carry the tracker's urgency per package; DSA/DLA advisories do not.
    const urgency = perCve ? pick(urgencies) : undefined;
    const affected = Array.from({ length: packageCount }, () =>
      affectedEntry(pick(sources), random, urgency),
    );
    const record: OsvRecordInput = {
      schema_version: '1.6.0',
      id: perCve ? `DEBIAN-${cves[0]}` : `${random() < 0.7 ? 'DSA' : 'DLA'}-${4000 + index}-1`,
      modified: day(published + Math.floor(random() * 60)),
      published: day(published),
      summary: perCve ? undefined : `${affected[0]?.package.name} - security update`,
      details: details(affected[0]?.package.name ?? 'package', cves, random),
      ...(perCve ? { upstream: cves } : { aliases: cves }),
      severity: severities(random, pick),
      affected,
    };
    yield record;
  }
}

type Affected = NonNullable<OsvRecordInput['affected']>[number];

function affectedEntry(source: (typeof packages)[number], random: () => number, urgency?: string): Affected {
  const fixed = `${source.upstream}-${source.revision.replace(/\+deb12u\d+$|~deb12u\d+$/, '')}+deb12u${1 + Math.floor(random() * 9)}`;
  const roll = random();
  const events =
    roll < 0.2
      ? [{ introduced: '0' }] // no fix yet
      : roll < 0.23
        ? [
            { introduced: '0' },
            { fixed: `${source.upstream}-0` },
            { introduced: `${source.upstream}-1` },
            { fixed },
          ]
        : [{ introduced: '0' }, { fixed }];
  return {
    package: { ecosystem: 'Debian:12', name: source.name, purl: `pkg:deb/debian/${source.name}?arch=source` },
    ranges: [{ type: 'ECOSYSTEM', events }],
    versions: roll < 0.2 ? [`${source.upstream}-${source.revision}`] : [],
    ...(urgency ? { ecosystem_specific: { urgency } } : {}),
  };
}

function severities(random: () => number, pick: <T>(list: readonly T[]) => T): OsvRecordInput['severity'] {
  const roll = random();
  if (roll < 0.4) return [];
  const metric = (name: string, values: string) => `${name}:${pick(values.split(''))}`;
  const v3 = [
    'CVSS:3.1',
    metric('AV', 'NNNALP'),
    metric('AC', 'LLH'),
    metric('PR', 'NNLH'),
    metric('UI', 'NR'),
    metric('S', 'UUC'),
    metric('C', 'HLN'),
    metric('I', 'HLN'),
    metric('A', 'HLN'),
  ].join('/');
  const v4 = `CVSS:4.0/${metric('AV', 'NAL')}/AC:L/AT:N/${metric('PR', 'NLH')}/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N`;
  return roll < 0.9
    ? [{ type: 'CVSS_V3', score: v3 }]
    : [
        { type: 'CVSS_V3', score: v3 },
        { type: 'CVSS_V4', score: v4 },
      ];
}

function details(name: string, cves: readonly string[], random: () => number): string {
  const flaws = [
    'a buffer overflow',
    'a use-after-free',
    'an integer overflow',
    'a NULL pointer dereference',
  ];
  const impacts = ['denial of service', 'the execution of arbitrary code', 'information disclosure'];
  const flaw = flaws[Math.floor(random() * flaws.length)];
  const impact = impacts[Math.floor(random() * impacts.length)];
  return `${cves.join(', ')}: ${flaw} was discovered in ${name}, which may result in ${impact}.\n\nFor the stable distribution (bookworm), this problem has been fixed.\n\nWe recommend that you upgrade your ${name} packages.`;
}

/** Writes `count` generated records as an all.zip-style archive, one `<id>.json` entry per record. */
export async function writeGeneratedOsvZip(
  path: string,
  count: number,
  seed = 1,
  universe?: number,
): Promise<void> {
  const zip = new ZipWriter(path);
  for (const record of generateOsvRecords(count, seed, universe))
    await zip.add(`${record.id}.json`, Buffer.from(JSON.stringify(record)));
  await zip.close();
}

/** Writes `count` generated records as `<dir>/<id>.json` files. */
export async function writeGeneratedOsvDirectory(directory: string, count: number, seed = 1): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const record of generateOsvRecords(count, seed))
    await writeFile(join(directory, `${record.id}.json`), JSON.stringify(record));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      zip: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  const count = Number(values.count ?? 50_000);
  const seed = Number(values.seed ?? 1);
  if (values.zip) await writeGeneratedOsvZip(values.zip, count, seed);
  else if (values.dir) await writeGeneratedOsvDirectory(values.dir, count, seed);
  else throw new Error('give --zip <file> or --dir <directory>');
  console.log(`wrote ${count} OSV records (seed ${seed}) to ${values.zip ?? values.dir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
