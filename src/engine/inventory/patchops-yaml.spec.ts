import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue, type InventoryResult } from './issues.js';
import { parsePatchopsYaml } from './patchops-yaml.js';

const fixture = readFileSync(new URL('./fixtures/patchops.yaml', import.meta.url), 'utf8');

function hostsOf(result: InventoryResult) {
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return new Map(result.hosts.map((host) => [host.name, host]));
}

function problems(text: string): string[] {
  const result = parsePatchopsYaml(text, 'hosts.yaml');
  if (result.ok) throw new Error('expected issues');
  return result.issues.map(formatIssue);
}

describe('parsePatchopsYaml', () => {
  it('reads every host with defaults, groups and tags applied', () => {
    const hosts = hostsOf(parsePatchopsYaml(fixture, 'patchops.yaml'));
    expect([...hosts.keys()]).toEqual(['bastion-01', 'web-01', 'web-02', 'db-01', 'stage-web-01']);
    expect(hosts.get('db-01')).toEqual({
      name: 'db-01',
      address: 'pg-primary.dc-east.internal',
      port: 2222,
      user: 'ops',
      keyFile: '/srv/patchops/keys/id_ed25519',
      become: true,
      bastion: 'ops@bastion-01:22',
      zone: 'dc-east',
      groups: ['db', 'prod'],
      tags: { env: 'prod', role: 'db', criticality: 'high' },
      vars: { reboot_command: 'systemctl reboot', health_checks: ['pg_isready -q'] },
    });
  });

  it('lets host tags win over group tags and turns scalar tag values into strings', () => {
    const hosts = hostsOf(parsePatchopsYaml(fixture, 'patchops.yaml'));
    expect(hosts.get('web-01')?.tags).toEqual({ env: 'prod', exposure: 'internet', role: 'web', tier: '1' });
    expect(hosts.get('stage-web-01')).toMatchObject({
      become: false,
      port: 22,
      tags: { exposure: 'internet' },
    });
  });

  it('defaults the address to the host name', () => {
    const hosts = hostsOf(parsePatchopsYaml('hosts:\n  web-01.example.com:\n', 'hosts.yaml'));
    expect(hosts.get('web-01.example.com')).toEqual({
      name: 'web-01.example.com',
      address: 'web-01.example.com',
      port: 22,
      groups: [],
      tags: {},
      vars: {},
    });
  });

  it('names the file, line, host and field of a bad value', () => {
    expect(problems('hosts:\n  web-01:\n    address: 10.0.0.5\n    port: 70000\n')).toEqual([
      "hosts.yaml:4: host 'web-01': port: must be a number from 1 to 65535",
    ]);
    expect(problems('hosts:\n  web-01: { address: "-oProxyCommand=x" }\n')).toEqual([
      "hosts.yaml:2: host 'web-01': address: must be a host name or an IP address",
    ]);
  });

  it('rejects misspelt keys, camelCase included', () => {
    expect(problems('hosts:\n  web-01: { adress: 10.0.0.5, keyFile: /k }\n')).toEqual([
      "hosts.yaml:2: host 'web-01': unknown keys 'adress', 'keyFile'",
    ]);
  });

  it('rejects bad host names, tags and group members', () => {
    expect(problems('hosts:\n  "web 01": {}\n')[0]).toContain('invalid name: must be letters, digits');
    expect(problems('hosts:\n  all: {}\n')[0]).toContain("'all' is reserved");
    expect(problems('hosts:\n  web-01: { tags: { env: "prod db" } }\n')[0]).toContain('tag values must be');
    expect(problems('hosts:\n  web-01: {}\ngroups:\n  prod: { hosts: [web-9] }\n')).toEqual([
      "hosts.yaml: group 'prod': hosts: lists 'web-9', which is not in hosts",
    ]);
  });

  it('reports YAML syntax errors and duplicate hosts with their line', () => {
    expect(problems('hosts:\n  web-01: {}\n  web-01: {}\n')[0]).toMatch(
      /^hosts\.yaml:3: Map keys must be unique/,
    );
    expect(problems('hosts: [\n')[0]).toMatch(/^hosts\.yaml:\d+: /);
  });

  it('requires the hosts section', () => {
    expect(problems('defaults: { user: root }\n')).toEqual(['hosts.yaml:1: hosts: is required']);
  });
});
