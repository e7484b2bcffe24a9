import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnsibleYaml } from './ansible-yaml.js';
import { formatIssue, type InventoryResult } from './issues.js';

const fixture = readFileSync(new URL('./fixtures/ansible.yaml', import.meta.url), 'utf8');

function hostsOf(result: InventoryResult) {
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return new Map(result.hosts.map((host) => [host.name, host]));
}

function problems(text: string): string[] {
  const result = parseAnsibleYaml(text, 'inventory.yml');
  if (result.ok) throw new Error('expected issues');
  return result.issues.map(formatIssue);
}

describe('parseAnsibleYaml', () => {
  const hosts = hostsOf(parseAnsibleYaml(fixture, 'ansible.yaml'));

  it('reads hosts from all levels and expands ranges', () => {
    expect([...hosts.keys()]).toEqual([
      'mgmt-01.pay.internal',
      'fe-1.pay.internal',
      'fe-2.pay.internal',
      'fe-3.pay.internal',
      'fe-eu-1.pay.internal',
      'pg-1.pay.internal',
      'pg-2.pay.internal',
    ]);
  });

  it('computes membership through nested children and top-level groups', () => {
    expect(hosts.get('mgmt-01.pay.internal')?.groups).toEqual(['ungrouped']);
    expect(hosts.get('fe-eu-1.pay.internal')?.groups).toEqual(['frontends', 'frontends_eu', 'prod']);
    expect(hosts.get('pg-1.pay.internal')?.groups).toEqual(['databases', 'prod']);
  });

  it('maps connection vars, the -J bastion and the zone', () => {
    expect(hosts.get('fe-eu-1.pay.internal')).toEqual({
      name: 'fe-eu-1.pay.internal',
      address: 'fe-eu-1.pay.internal',
      port: 2200,
      user: 'patchops',
      keyFile: '/srv/keys/fleet_ed25519',
      bastion: 'bastion@jump.eu.pay.internal:2222',
      zone: 'eu-central',
      groups: ['frontends', 'frontends_eu', 'prod'],
      tags: { owner: 'payments', role: 'web', exposure: 'internet', env: 'prod' },
      vars: {},
    });
    expect(hosts.get('mgmt-01.pay.internal')).toMatchObject({
      address: '172.16.0.4',
      tags: { owner: 'payments' },
    });
  });

  it('merges tags in precedence order, the host last', () => {
    expect(hosts.get('pg-1.pay.internal')).toMatchObject({
      become: true,
      tags: { owner: 'payments', env: 'prod', role: 'db', criticality: 'high' },
      vars: { maintenance_day: 'sunday' },
    });
  });

  it('names the host, the variable and its line', () => {
    const text = 'all:\n  children:\n    web:\n      hosts:\n        web-01:\n          ansible_port: 0\n';
    expect(problems(text)).toEqual([
      "inventory.yml:6: host 'web-01': ansible_port: must be a number from 1 to 65535",
    ]);
  });

  it('rejects unknown group keys with their path and line', () => {
    const text = 'all:\n  children:\n    web:\n      host:\n        web-01:\n';
    expect(problems(text)).toEqual(["inventory.yml:4: all.children.web: unknown key 'host'"]);
  });

  it('rejects a host given as a list instead of a mapping', () => {
    expect(problems('all:\n  hosts:\n    - web-01\n')[0]).toMatch(/^inventory\.yml:3: all\.hosts: /);
  });
});
