import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NormalizedAdvisory } from '../../types.js';
import { FeedError } from '../errors.js';
import { normalizeOsvRecord, type OsvRecordResult } from './normalize.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

function normalize(name: string): OsvRecordResult {
  return normalizeOsvRecord(fixture(name), { source: name });
}

function advisory(name: string): NormalizedAdvisory {
  const result = normalize(name);
  if (result.kind !== 'advisory') throw new Error(`${name} was skipped: ${result.reason}`);
  return result.advisory;
}

describe('normalizeOsvRecord', () => {
  it('reads a Debian DSA: CVE aliases, both releases, dates', () => {
    const dsa = advisory('debian-dsa-openssl.json');
    expect(dsa).toMatchObject({
      id: 'DSA-5900-1',
      aliases: ['CVE-2024-13176', 'CVE-2024-9143'],
      cves: ['CVE-2024-13176', 'CVE-2024-9143'],
      summary: 'openssl - security update',
      severity: {},
      source: 'osv',
      withdrawn: null,
    });
    expect(dsa.published?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(dsa.modified.toISOString()).toBe('2025-03-02T08:15:00.123Z');
    expect(dsa.affected).toEqual([
      {
        ecosystem: 'Debian:12',
        package: 'openssl',
        ranges: [{ introduced: '0', fixed: '3.0.16-1~deb12u1' }],
        versions: [],
      },
      {
        ecosystem: 'Debian:11',
        package: 'openssl',
        ranges: [{ introduced: '0', fixed: '1.1.1w-0+deb11u3' }],
        versions: [],
      },
    ]);
  });

  it('keeps Debian urgency per release, and the first one as the advisory rating', () => {
    const record = advisory('debian-cve-urgency.json');
    expect(record.cves).toEqual(['CVE-2024-56171']);
    expect(record.summary).toBe(
      'libxml2 before 2.12.10 and 2.13.x before 2.13.6 has a use-after-free in xmlSchemaIDCFillNodeTables.',
    );
    expect(record.severity).toEqual({ distribution: 'low' });
    expect(record.affected.map((a) => [a.ecosystem, a.distributionSeverity, a.ranges])).toEqual([
      ['Debian:11', 'low', [{ introduced: '0' }]],
      ['Debian:12', 'medium**', [{ introduced: '0', fixed: '2.9.14+dfsg-1.3~deb12u2' }]],
    ]);
    expect(record.affected[0]?.versions).toEqual(['2.9.10+dfsg-6.7+deb11u4', '2.9.10+dfsg-6.7+deb11u5']);
  });

  it('finds the CVEs of a USN behind its UBUNTU-CVE upstream ids', () => {
    const usn = advisory('ubuntu-usn.json');
    expect(usn.cves).toEqual(['CVE-2024-11053', 'CVE-2025-0167']);
    expect(usn.aliases).toEqual([]);
    expect(usn.affected.map((a) => a.ecosystem)).toEqual([
      'Ubuntu:22.04:LTS',
      'Ubuntu:24.04:LTS',
      'Ubuntu:Pro:FIPS-updates:20.04:LTS',
    ]);
  });

  it('reads the Ubuntu priority and the CVSS vector of an Ubuntu CVE record', () => {
    const record = advisory('ubuntu-cve.json');
    expect(record.severity).toEqual({
      cvssV3: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:H/A:N',
      distribution: 'medium',
    });
    expect(record.summary).toBe('A vulnerability was found in OpenSSH when VerifyHostKeyDNS is enabled.');
    expect(record.affected[1]).toMatchObject({
      ecosystem: 'Ubuntu:Pro:16.04:LTS',
      ranges: [{ introduced: '0' }],
    });
  });

  it('reads an AlmaLinux ALSA: CVEs from related, rating from the summary, epoch kept', () => {
    const alsa = advisory('almalinux-alsa.json');
    expect(alsa.cves).toEqual(['CVE-2024-53104', 'CVE-2024-50302']);
    expect(alsa.severity).toEqual({ distribution: 'Important' });
    expect(alsa.affected[1]?.ranges).toEqual([{ introduced: '0', fixed: '1:2.06-92.el9_5.alma.1' }]);
  });

  it('reads a Rocky RLSA rating from database_specific', () => {
    expect(advisory('rocky-rlsa.json').severity).toEqual({
      cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:N/I:N/A:H',
      distribution: 'Moderate',
    });
  });

  it('reads Alpine records with a non-zero introduced and a nanosecond timestamp', () => {
    const record = advisory('alpine-cve.json');
    expect(record.cves).toEqual(['CVE-2024-12797']);
    expect(record.modified.toISOString()).toBe('2025-02-12T09:30:03.756Z');
    expect(record.published).toBeNull();
    expect(record.affected[0]?.ranges).toEqual([{ introduced: '3.2.0-r0', fixed: '3.3.3-r0' }]);
  });

  it('reads SUSE and openSUSE with CVSS v3 and v4', () => {
    const record = advisory('suse-su.json');
    expect(record.severity.cvssV4).toBe('CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H');
    expect(record.severity.cvssV3).toMatch(/^CVSS:3\.1\//);
    expect(record.affected.map((a) => a.ecosystem)).toEqual([
      'SUSE:Linux Enterprise Server 15 SP5',
      'openSUSE:Leap 15.6',
    ]);
  });

  it('splits event pairs, keeps only ECOSYSTEM ranges, and warns about a limit', () => {
    const result = normalize('ranges-mixed.json');
    if (result.kind !== 'advisory') throw new Error('skipped');
    expect(result.advisory.affected[0]?.ranges).toEqual([
      { introduced: '0', fixed: '1.2-1+deb12u1' },
      { introduced: '1.2-1+deb12u3', fixed: '1.2-1+deb12u4' },
      { introduced: '2.0-1' },
      { introduced: '0.9-1', lastAffected: '0.9-7' },
      { introduced: '3.0-1' },
    ]);
    expect(result.warnings).toEqual(['DEBIAN-CVE-2023-99901: examplepkg: ignored event limit 3.5-1']);
  });

  it('drops unsupported packages of a record and names their ecosystems', () => {
    const result = normalize('mixed-ecosystems.json');
    if (result.kind !== 'advisory') throw new Error('skipped');
    expect(result.advisory.affected.map((a) => a.ecosystem)).toEqual(['Debian:12']);
    expect(result.advisory.aliases).toEqual(['GHSA-cx63-2mw6-8hw5', 'PYSEC-2024-9999']);
    expect(result.advisory.cves).toEqual(['CVE-2024-6345']);
    expect(result.skippedEcosystems).toEqual(['PyPI']);
  });

  it('skips a record with only unsupported ecosystems', () => {
    expect(normalize('unsupported-pypi.json')).toEqual({
      kind: 'skipped',
      id: 'PYSEC-2024-9998',
      reason: 'unsupported-ecosystem',
      skippedEcosystems: ['PyPI', 'Red Hat:enterprise_linux:9::appstream'],
      warnings: [],
    });
  });

  it('keeps a withdrawn record, dated, so the caller can retire it', () => {
    expect(advisory('withdrawn.json').withdrawn?.toISOString()).toBe('2024-12-03T00:00:00.000Z');
  });

  it('refuses an off-schema record, naming the record and the field', () => {
    let error: unknown;
    try {
      normalize('bad-package-name.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).location).toEqual({
      source: 'bad-package-name.json',
      record: 'DSA-5901-1',
      field: 'affected[1].package.name',
    });
    expect((error as FeedError).message).toMatch(
      /^bad-package-name\.json, record DSA-5901-1, field affected\[1\]\.package\.name: not an OSV record: .*expected string/,
    );
  });

  it.each([
    [{ modified: '2024-01-01T00:00:00Z' }, 'id'],
    [{ id: 'DSA-1-1' }, 'modified'],
    [{ id: 'DSA-1-1', modified: 'yesterday' }, 'modified'],
    [
      {
        id: 'DSA-1-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'Debian:12' } }],
      },
      'affected[0].package.name',
    ],
    [
      {
        id: 'DSA-1-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'x' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '1' }] }],
          },
        ],
      },
      'affected[0].ranges[0].events',
    ],
    [
      {
        id: 'DSA-1-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'x' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] }],
          },
        ],
      },
      'affected[0].ranges[0].events[0]',
    ],
    [{ id: 'DSA-1-1', modified: '2024-01-01T00:00:00Z', aliases: 'CVE-2024-1' }, 'aliases'],
  ])('refuses %j at %s', (record, field) => {
    expect(() => normalizeOsvRecord(record, { source: 'inline' })).toThrow(
      expect.objectContaining({ location: expect.objectContaining({ field }) }),
    );
  });

  it('accepts null where the OSV schema allows it, and unknown fields', () => {
    const result = normalizeOsvRecord(
      {
        id: 'DSA-1-1',
        modified: '2024-01-01T00:00:00Z',
        aliases: null,
        severity: null,
        credits: [{ name: 'someone' }],
        affected: [{ package: { ecosystem: 'Debian:12', name: 'x' }, ranges: null, x_new_field: 1 }],
      },
      { source: 'inline' },
    );
    expect(result.kind).toBe('advisory');
  });

  it('warns about, and ignores, a CVSS score that is not a vector', () => {
    const result = normalizeOsvRecord(
      {
        id: 'DSA-1-1',
        modified: '2024-01-01T00:00:00Z',
        severity: [{ type: 'CVSS_V3', score: '9.8' }],
        affected: [{ package: { ecosystem: 'Debian:12', name: 'x' } }],
      },
      { source: 'inline' },
    );
    expect(result.kind === 'advisory' && result.advisory.severity).toEqual({});
    expect(result.warnings).toEqual(['DSA-1-1: CVSS_V3 score is not a vector: "9.8"']);
  });

  it('skips a record without affected packages', () => {
    expect(
      normalizeOsvRecord({ id: 'DSA-1-1', modified: '2024-01-01T00:00:00Z' }, { source: 'x' }),
    ).toMatchObject({
      kind: 'skipped',
      reason: 'no-affected-packages',
    });
  });
});
