import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnsibleIni, splitHostLine } from './ansible-ini.js';
import { formatIssue, type InventoryResult } from './issues.js';

const fixture = readFileSync(new URL('./fixtures/ansible.ini', import.meta.url), 'utf8');

function loaded(result: InventoryResult) {
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return { hosts: new Map(result.hosts.map((host) => [host.name, host])), warnings: result.warnings };
}

function problems(text: string): string[] {
  const result = parseAnsibleIni(text, 'hosts.ini');
  if (result.ok) throw new Error('expected issues');
  return result.issues.map(formatIssue);
}

describe('parseAnsibleIni', () => {
  const { hosts, warnings } = loaded(parseAnsibleIni(fixture, 'ansible.ini'));

  it('expands ranges and reads host:port', () => {
    expect([...hosts.keys()]).toEqual([
      'jump-01',
      'web01.shop.internal',
      'web02.shop.internal',
      'web03.shop.internal',
      'web-canary.shop.internal',
      'db-primary',
      'db-replica',
    ]);
    expect(hosts.get('web-canary.shop.internal')).toMatchObject({
      address: 'web-canary.shop.internal',
      port: 2202,
    });
  });

  it('puts hosts outside any section in ungrouped, and children in their parents', () => {
    expect(hosts.get('jump-01')?.groups).toEqual(['ungrouped']);
    expect(hosts.get('web01.shop.internal')?.groups).toEqual(['prod', 'web']);
    expect(hosts.get('db-primary')?.groups).toEqual(['db', 'prod']);
  });

  it('applies precedence: host vars > child group vars > parent group vars > all vars', () => {
    // ansible_user: all=patchops, db=postgres, web host line=deploy
    expect(hosts.get('jump-01')?.user).toBe('jump');
    expect(hosts.get('web-canary.shop.internal')?.user).toBe('patchops');
    expect(hosts.get('web02.shop.internal')?.user).toBe('deploy');
    expect(hosts.get('db-primary')).toMatchObject({
      user: 'postgres',
      address: '10.1.2.10',
      port: 22,
      keyFile: '/srv/keys/db_ed25519',
      become: true,
      zone: 'dc-west',
      bastion: 'ops@jump-01:22',
    });
    expect(hosts.get('db-replica')?.become).toBe(false);
  });

  it('merges patchops_tags key by key in precedence order', () => {
    expect(hosts.get('db-primary')?.tags).toEqual({ env: 'prod', role: 'db', criticality: 'high' });
    expect(hosts.get('web01.shop.internal')?.tags).toEqual({ env: 'prod', role: 'app' });
    expect(hosts.get('web-canary.shop.internal')?.tags).toEqual({ env: 'prod', role: 'app', canary: 'yes' });
    expect(hosts.get('jump-01')?.tags).toEqual({});
  });

  it('keeps other vars and never keeps passwords', () => {
    expect(hosts.get('db-replica')?.vars).toEqual({
      ntp_server: 'time.shop.internal',
      backup_window: '02:00-04:00',
    });
    expect(JSON.stringify([...hosts.values()])).not.toContain('hunter2');
  });

  it('skips hosts that are not reached over SSH and says why, once per cause', () => {
    expect(hosts.has('win-build')).toBe(false);
    expect(warnings).toEqual([
      'ansible.ini: web01.shop.internal, web02.shop.internal, web03.shop.internal, … (6 hosts): ansible_password is ignored and not stored (patchops uses keys or the SSH agent)',
      'ansible.ini: win-build: skipped: ansible_connection=winrm (patchops reaches hosts over SSH)',
    ]);
  });

  it('names file, line, host and variable for a bad value', () => {
    expect(problems('[web]\nweb-01 ansible_port=http\n')).toEqual([
      "hosts.ini:2: host 'web-01': ansible_port: must be a number from 1 to 65535",
    ]);
    expect(problems('[web]\nweb-01\n[web:vars]\nansible_become=maybe\n')).toEqual([
      "hosts.ini:2: host 'web-01': ansible_become: must be true or false, not 'maybe'",
    ]);
  });

  it('rejects malformed lines with their line number', () => {
    expect(problems('[web:things]\n')).toEqual([
      'hosts.ini:1: unknown section [web:things]; use [group], [group:vars] or [group:children]',
    ]);
    expect(problems('[web]\nweb-01 ansible_port\n')[0]).toBe(
      "hosts.ini:2: expected key=value after the host, got 'ansible_port'",
    );
    expect(problems('[web]\nweb[3:1]\n')[0]).toBe('hosts.ini:2: range [3:1] ends before it starts');
    expect(problems("[web]\nweb-01 x='open\n")[0]).toBe('hosts.ini:2: unterminated single quote');
    expect(problems('[web]\nweb$01\n')[0]).toContain("hosts.ini:2: host 'web$01': invalid name");
    expect(problems('[a:children]\nb\n[b:children]\na\n')[0]).toContain('a cycle in children');
  });

  it('reads nested children: a host in a grandchild group is in every ancestor', () => {
    const text =
      '[edge]\ncdn-01\n[web:children]\nedge\n[prod:children]\nweb\n[prod:vars]\nx=prod\n[web:vars]\nx=web\n';
    const { hosts: nested } = loaded(parseAnsibleIni(text, 'nested.ini'));
    expect(nested.get('cdn-01')).toMatchObject({ groups: ['edge', 'prod', 'web'], vars: { x: 'web' } });
  });
});

describe('splitHostLine', () => {
  it('groups quoted words and stops at a comment', () => {
    expect(splitHostLine(`web-01 a="two words" b='x y'z # note`)).toEqual([
      'web-01',
      'a=two words',
      'b=x yz',
    ]);
    expect(splitHostLine('web#1 a=b#c')).toEqual(['web#1', 'a=b#c']);
  });
});
