import { describe, expect, it } from 'vitest';
import { collectCves, cveOf, orderAliases } from './identifiers.js';

describe('cveOf', () => {
  it.each([
    ['CVE-2024-6387', 'CVE-2024-6387'],
    ['cve-2024-6387', 'CVE-2024-6387'],
    ['UBUNTU-CVE-2024-6387', 'CVE-2024-6387'],
    ['DEBIAN-CVE-2024-3094', 'CVE-2024-3094'],
    ['ALPINE-CVE-2021-1234567', 'CVE-2021-1234567'],
  ])('%s → %s', (identifier, cve) => {
    expect(cveOf(identifier)).toBe(cve);
  });

  it.each(['GHSA-cx63-2mw6-8hw5', 'DSA-5900-1', 'CVE-2024-12', 'USN-6859-1', 'X-Y-CVE-2024-1234'])(
    '%s is no CVE',
    (identifier) => {
      expect(cveOf(identifier)).toBeUndefined();
    },
  );
});

describe('collectCves', () => {
  it('takes CVEs from id, aliases, upstream and related, in that order, once each', () => {
    expect(
      collectCves(
        'DEBIAN-CVE-2024-0002',
        ['CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc'],
        ['UBUNTU-CVE-2024-0001', 'CVE-2024-0003'],
        ['DLA-1-1', 'CVE-2024-0004'],
      ),
    ).toEqual(['CVE-2024-0002', 'CVE-2024-0001', 'CVE-2024-0003', 'CVE-2024-0004']);
  });
});

describe('orderAliases', () => {
  it('puts CVEs first, drops duplicates and the record id', () => {
    expect(orderAliases('PYSEC-1', ['GHSA-x', 'CVE-2024-2', 'PYSEC-1', 'CVE-2024-2', 'CVE-2024-1'])).toEqual([
      'CVE-2024-2',
      'CVE-2024-1',
      'GHSA-x',
    ]);
  });
});
