import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lookupKnownHosts, parseKnownHosts } from '../engine/ssh/known-hosts.js';
import { renderAnsibleInventory, renderKnownHosts, renderYamlInventory } from './inventory-files.js';

const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJxhvpKh81CknTudn93crJiRxPrXCD1fx0VxW1SIYYrS';
const input = {
  hosts: [
    { name: 'lab-01', address: '127.0.10.1', port: 22, hostKey: key },
    { name: 'lab-02', address: '127.0.10.2', port: 22, hostKey: key },
  ],
  port: 22,
  keyFile: '/srv/patchops-lab/keys/id_ed25519',
  knownHostsFile: '/srv/patchops-lab/known_hosts',
  rebootCommand: '/usr/local/sbin/patchops-lab-reboot',
  user: 'root',
  become: false,
};

describe('lab inventory files', () => {
  it("write patchops' YAML inventory in the documented shape", () => {
    expect(parse(renderYamlInventory(input))).toEqual({
      defaults: { user: 'root', port: 22, key_file: '/srv/patchops-lab/keys/id_ed25519' },
      hosts: {
        'lab-01': {
          address: '127.0.10.1',
          groups: ['lab'],
          tags: { env: 'test' },
          vars: { reboot_command: '/usr/local/sbin/patchops-lab-reboot' },
        },
        'lab-02': {
          address: '127.0.10.2',
          groups: ['lab'],
          tags: { env: 'test' },
          vars: { reboot_command: '/usr/local/sbin/patchops-lab-reboot' },
        },
      },
    });
    const nonRoot = parse(renderYamlInventory({ ...input, user: 'patchops', become: true }));
    expect(nonRoot.defaults).toEqual({ user: 'patchops', port: 22, key_file: input.keyFile, become: true });
    expect(parse(renderYamlInventory({ ...input, hosts: [] }))).toMatchObject({ hosts: {} });
  });

  it('write an Ansible INI inventory with the same hosts', () => {
    const ini = renderAnsibleInventory(input);
    expect(ini).toContain(
      '[lab]\nlab-01 ansible_host=127.0.10.1 ansible_port=22\nlab-02 ansible_host=127.0.10.2',
    );
    expect(ini).toContain('ansible_ssh_private_key_file=/srv/patchops-lab/keys/id_ed25519');
  });

  it('write a known_hosts file OpenSSH and our parser read by name or address', () => {
    const { entries, problems } = parseKnownHosts(renderKnownHosts(input.hosts));
    expect(problems).toEqual([]);
    expect(lookupKnownHosts(entries, ['127.0.10.2'], 22).keys).toHaveLength(1);
    expect(lookupKnownHosts(entries, ['lab-01'], 22).keys).toHaveLength(1);
    const onOtherPort = renderKnownHosts([{ ...input.hosts[0]!, port: 2222 }]);
    expect(onOtherPort).toBe(`[lab-01]:2222,[127.0.10.1]:2222 ${key}\n`);
  });
});
