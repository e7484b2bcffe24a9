import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NormalizedAdvisory } from '../../types.js';
import { writeZip } from '../io/zip-writer.js';
import { defaultFeedLimits } from '../types.js';
import { normalizeOsvRecord, readOsv } from './index.js';

/**
 * Optional conformance suite: public OSV records kept beside the project in ../shared/reference (never
 * copied into it). Skipped, with a notice, where that folder is absent.
 */
const samples = new URL('../../../../../../shared/reference/osv/', import.meta.url).pathname;
const present = existsSync(samples);
if (!present) console.log(`notice: ${samples} is absent; OSV conformance samples skipped`);

const recordFiles = [
  'DSA-3029-1.json',
  'UBUNTU-CVE-2025-38094.json',
  'USN-6859-1.json',
  'ALSA-2024_4312.almalinux9.json',
  'ALSA-2022_5099.almalinux9.json',
];

async function sample(name: string): Promise<NormalizedAdvisory> {
  const result = normalizeOsvRecord(JSON.parse(await readFile(join(samples, name), 'utf8')), {
    source: name,
  });
  if (result.kind !== 'advisory') throw new Error(`${name} skipped: ${result.reason}`);
  return result.advisory;
}

describe.skipIf(!present)('public OSV samples', () => {
  let work: string | undefined;
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reads the Debian DSA (Debian:7)', async () => {
    const dsa = await sample('DSA-3029-1.json');
    expect(dsa).toMatchObject({
      id: 'DSA-3029-1',
      cves: ['CVE-2014-3616'],
      summary: 'nginx - security update',
    });
    expect(dsa.affected).toEqual([
      {
        ecosystem: 'Debian:7',
        package: 'nginx',
        ranges: [{ introduced: '0', fixed: '1.2.1-2.2+wheezy3' }],
        versions: [],
      },
    ]);
  });

  it('reads the Ubuntu CVE record: Pro ecosystem, no fix, listed versions, Ubuntu priority', async () => {
    const record = await sample('UBUNTU-CVE-2025-38094.json');
    expect(record.cves).toEqual(['CVE-2025-38094']);
    expect(record.severity).toEqual({ distribution: 'medium' });
    expect(record.summary).toMatch(/^In the Linux kernel, the following vulnerability has been resolved/);
    expect(record.affected.map((a) => a.ecosystem)).toContain('Ubuntu:Pro:14.04:LTS');
    const trusty = record.affected.find((a) => a.ecosystem === 'Ubuntu:Pro:14.04:LTS');
    expect(trusty?.ranges).toEqual([{ introduced: '0' }]);
    expect(trusty?.versions).toHaveLength(180);
  });

  it('reads the USN and finds its CVE behind UBUNTU-CVE-2024-6387', async () => {
    const usn = await sample('USN-6859-1.json');
    expect(usn.cves).toEqual(['CVE-2024-6387']);
    expect(usn.affected.map((a) => [a.ecosystem, a.package, a.ranges[0]?.fixed])).toEqual([
      ['Ubuntu:22.04:LTS', 'openssh', '1:8.9p1-3ubuntu0.10'],
      ['Ubuntu:24.04:LTS', 'openssh', '1:9.6p1-3ubuntu13.3'],
    ]);
  });

  it('reads both ALSA records: binary packages, related CVEs, summary rating, epoch', async () => {
    const openssh = await sample('ALSA-2024_4312.almalinux9.json');
    expect(openssh.cves).toEqual(['CVE-2024-6387']);
    expect(openssh.severity).toEqual({ distribution: 'Important' });
    expect(openssh.affected.map((a) => a.package)).toEqual([
      'openssh',
      'openssh-askpass',
      'openssh-clients',
      'openssh-keycat',
      'openssh-server',
      'pam_ssh_agent_auth',
    ]);
    const grub = await sample('ALSA-2022_5099.almalinux9.json');
    expect(grub.cves).toHaveLength(8);
    expect(grub.affected[0]?.ranges).toEqual([{ introduced: '0', fixed: '1:2.06-27.el9_0.7.alma' }]);
  });

  it('reads all samples from a zip built in the test', async () => {
    work = await mkdtemp(join(tmpdir(), 'patchops-osv-conformance-'));
    const zip = join(work, 'all.zip');
    await writeZip(
      zip,
      await Promise.all(
        recordFiles.map(async (name) => ({ name, data: await readFile(join(samples, name)) })),
      ),
    );
    const ids: string[] = [];
    const summary = await readOsv(zip, (batch) => void ids.push(...batch.map((a) => a.id)), {
      limits: defaultFeedLimits,
      batchSize: 2,
    });
    expect(ids).toEqual([
      'DSA-3029-1',
      'UBUNTU-CVE-2025-38094',
      'USN-6859-1',
      'ALSA-2024:4312',
      'ALSA-2022:5099',
    ]);
    expect(summary).toMatchObject({
      records: 5,
      advisories: 5,
      skipped: { unsupportedEcosystem: 0 },
      warnings: [],
    });
  });
});
