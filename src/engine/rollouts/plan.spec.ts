import { describe, expect, it } from 'vitest';
import { compareHostNames, computePlan, describeScope } from './plan.js';
import type { PlanFilters, PlanHostInput, PlanInput, PlanUpdate } from './types.js';
import { parseWaves } from './waves.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const HOUR_AGO = new Date('2026-05-01T11:00:00Z');

function update(name: string, security = false, arch = 'amd64'): PlanUpdate {
  return { name, arch, installedVersion: `${name}-1`, version: `${name}-2`, security };
}

function host(id: number, name: string, fields: Partial<PlanHostInput> = {}): PlanHostInput {
  return {
    id,
    name,
    tags: {},
    lastScanAt: HOUR_AGO,
    updates: [update('openssl', true), update('libssl3', true), update('curl'), update('vim')],
    sourceOf: new Map([
      ['openssl', 'openssl'],
      ['libssl3', 'openssl'],
      ['curl', 'curl'],
      ['vim', 'vim'],
    ]),
    findings: [
      { binaryPackages: ['libssl3'], cves: ['CVE-2026-0001'], vulnerability: 'DSA-6000-1', priority: 'P1' },
      {
        binaryPackages: ['curl'],
        cves: ['CVE-2026-0002', 'CVE-2026-0003'],
        vulnerability: 'USN-7000-1',
        priority: 'P3',
      },
    ],
    ...fields,
  };
}

function plan(
  hosts: PlanHostInput[],
  filters: PlanFilters = {},
  waves = '100%',
  extra: Partial<PlanInput> = {},
) {
  const parsed = parseWaves(waves);
  if (!parsed.ok) throw new Error(parsed.message);
  return computePlan({ hosts, filters, waves: parsed.waves, now: NOW, maxScanAgeSeconds: 86_400, ...extra });
}

function packagesFor(filters: PlanFilters, subject = host(1, 'web-1')): string[] {
  const result = plan([subject], filters);
  if (!result.ok) return [];
  return result.hosts[0]?.packages.map((p) => p.name) ?? [];
}

describe('computePlan: stale scans', () => {
  it('refuses when any host was never scanned or scanned too long ago, naming them all', () => {
    const old = new Date('2026-04-29T12:00:00Z');
    const result = plan([
      host(1, 'web-10', { lastScanAt: null }),
      host(2, 'web-1'),
      host(3, 'web-2', { lastScanAt: old }),
    ]);
    expect(result).toEqual({
      ok: false,
      code: 'stale_scan',
      stale: [
        { name: 'web-2', lastScanAt: old },
        { name: 'web-10', lastScanAt: null },
      ],
    });
  });

  it('accepts a scan exactly at the age limit', () => {
    const result = plan([host(1, 'web-1', { lastScanAt: new Date('2026-04-30T12:00:00Z') })]);
    expect(result.ok).toBe(true);
  });

  it('checks staleness before anything else, even with nothing to patch', () => {
    const result = plan([host(1, 'web-1', { lastScanAt: null, updates: [] })]);
    expect(result.ok === false && result.code).toBe('stale_scan');
  });
});

describe('computePlan: selection', () => {
  it('takes every update without filters, pinned and sorted by name', () => {
    const result = plan([host(1, 'web-1')]);
    expect(result.ok && result.hosts[0]?.packages).toEqual([
      { name: 'curl', arch: 'amd64', from: 'curl-1', to: 'curl-2' },
      { name: 'libssl3', arch: 'amd64', from: 'libssl3-1', to: 'libssl3-2' },
      { name: 'openssl', arch: 'amd64', from: 'openssl-1', to: 'openssl-2' },
      { name: 'vim', arch: 'amd64', from: 'vim-1', to: 'vim-2' },
    ]);
  });

  it('keeps security updates', () => {
    expect(packagesFor({ security: true })).toEqual(['libssl3', 'openssl']);
  });

  it('ignores security: false', () => {
    expect(packagesFor({ security: false })).toHaveLength(4);
  });

  it('keeps updates for findings of a priority or more urgent', () => {
    expect(packagesFor({ priority: 'P1' })).toEqual(['libssl3', 'openssl']);
    expect(packagesFor({ priority: 'P2' })).toEqual(['libssl3', 'openssl']);
    expect(packagesFor({ priority: 'P3' })).toEqual(['curl', 'libssl3', 'openssl']);
  });

  it('keeps updates for findings naming a CVE or a vulnerability id, whatever the case', () => {
    expect(packagesFor({ cves: ['CVE-2026-0003'] })).toEqual(['curl']);
    expect(packagesFor({ cves: ['dsa-6000-1'] })).toEqual(['libssl3', 'openssl']);
    expect(packagesFor({ cves: ['cve-2026-0001', 'CVE-2026-0002'] })).toEqual(['curl', 'libssl3', 'openssl']);
    expect(packagesFor({ cves: ['CVE-1999-0001'] })).toEqual([]);
  });

  it('keeps named packages, and their source siblings', () => {
    expect(packagesFor({ packages: ['vim'] })).toEqual(['vim']);
    expect(packagesFor({ packages: ['openssl'] })).toEqual(['libssl3', 'openssl']);
  });

  it('combines filters with AND', () => {
    expect(packagesFor({ security: true, packages: ['curl'] })).toEqual([]);
    expect(packagesFor({ priority: 'P3', packages: ['curl', 'vim'] })).toEqual(['curl']);
  });

  it('treats an empty list as matching nothing, never as "everything"', () => {
    expect(packagesFor({ packages: [] })).toEqual([]);
    expect(packagesFor({ cves: [] })).toEqual([]);
  });

  it('moves every binary of a source package, even ones the filter did not match', () => {
    const subject = host(1, 'db-1', {
      updates: [update('libc6', true), update('libc-bin'), update('libc6', true, 'i386'), update('tzdata')],
      sourceOf: new Map([
        ['libc6', 'glibc'],
        ['libc-bin', 'glibc'],
      ]),
      findings: [],
    });
    const result = plan([subject], { security: true });
    expect(result.ok && result.hosts[0]?.packages.map((p) => `${p.name}:${p.arch}`)).toEqual([
      'libc-bin:amd64',
      'libc6:amd64',
      'libc6:i386',
    ]);
  });

  it('treats a binary with no known source as its own source', () => {
    const subject = host(1, 'db-1', {
      updates: [update('tool', true), update('tool-doc')],
      sourceOf: new Map([['tool-doc', 'tool']]),
    });
    expect(packagesFor({ security: true }, subject)).toEqual(['tool', 'tool-doc']);
  });
});

describe('computePlan: skipped hosts and waves', () => {
  it('skips hosts with nothing selected, saying why', () => {
    const result = plan(
      [host(1, 'web-1'), host(2, 'web-2', { updates: [] }), host(3, 'web-3', { updates: [update('vim')] })],
      { security: true },
    );
    expect(result.ok && result.skipped).toEqual([
      { name: 'web-2', reason: 'nothing to update' },
      { name: 'web-3', reason: 'no update matches the filters' },
    ]);
    expect(result.ok && result.hosts.map((h) => h.name)).toEqual(['web-1']);
  });

  it('says nothing_to_patch when no host has anything', () => {
    expect(plan([host(1, 'web-1', { updates: [] }), host(2, 'web-2')], { packages: ['nano'] })).toEqual({
      ok: false,
      code: 'nothing_to_patch',
      skipped: [
        { name: 'web-1', reason: 'nothing to update' },
        { name: 'web-2', reason: 'no update matches the filters' },
      ],
    });
  });

  it('orders hosts by name, numbers numerically, and fills waves in that order', () => {
    const names = ['web-10', 'web-2', 'db-1', 'web-1', 'web-3', 'web-20'];
    const hosts = names.map((name, index) => host(index + 1, name));
    const result = plan(hosts, {}, '1,2,100%');
    if (!result.ok) throw new Error('expected a plan');
    expect(result.waveSizes).toEqual([1, 2, 3]);
    expect(result.hosts.map((h) => [h.name, h.wave, h.hostId])).toEqual([
      ['db-1', 1, 3],
      ['web-1', 2, 4],
      ['web-2', 2, 2],
      ['web-3', 3, 5],
      ['web-10', 3, 1],
      ['web-20', 3, 6],
    ]);
  });

  it('sizes waves by the planned hosts only, not the skipped ones', () => {
    const hosts = [...Array(10).keys()].map((i) => host(i + 1, `web-${i + 1}`, i < 5 ? { updates: [] } : {}));
    const result = plan(hosts, {}, '1,30%,100%');
    expect(result.ok && result.waveSizes).toEqual([1, 1, 3]);
  });

  it('dates the plan by its oldest scan among planned hosts', () => {
    const oldest = new Date('2026-05-01T02:00:00Z');
    const older = new Date('2026-05-01T01:00:00Z');
    const result = plan([
      host(1, 'web-1', { lastScanAt: oldest }),
      host(2, 'web-2'),
      host(3, 'web-3', { lastScanAt: older, updates: [] }),
    ]);
    expect(result.ok && result.scannedAt).toEqual(oldest);
  });
});

describe('compareHostNames', () => {
  it('sorts numbers inside names numerically', () => {
    expect(['web-10', 'web-2', 'web-1'].sort(compareHostNames)).toEqual(['web-1', 'web-2', 'web-10']);
  });
});

describe('describeScope', () => {
  it.each<[PlanFilters, string]>([
    [{}, 'every available update'],
    [{ security: false }, 'every available update'],
    [{ security: true }, 'security updates'],
    [{ priority: 'P2' }, 'updates for P2 or more urgent findings'],
    [{ cves: ['CVE-2026-0001', 'CVE-2026-0002'] }, 'updates for CVE-2026-0001, CVE-2026-0002'],
    [{ packages: ['openssl', 'curl'] }, 'packages openssl, curl'],
    [
      { security: true, priority: 'P1', packages: ['curl'] },
      'security updates; updates for P1 or more urgent findings; packages curl',
    ],
    [{ cves: [] }, 'updates for no CVE'],
  ])('%j → %s', (filters, text) => {
    expect(describeScope(filters)).toBe(text);
  });
});
