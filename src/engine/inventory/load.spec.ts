import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InventoryError } from './issues.js';
import { detectFormat, loadInventory, readInventory } from './load.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('detectFormat', () => {
  it.each([
    ['hosts.ini', 'web-01\n', 'ansible-ini'],
    ['hosts', '# fleet\n[web]\nweb-01\n', 'ansible-ini'],
    ['hosts', 'web-01\nweb-02:2222\n', 'ansible-ini'],
    ['hosts', 'all:\n  hosts:\n    web-01:\n', 'ansible-yaml'],
    ['inventory.yml', 'web:\n  hosts:\n    web-01:\n', 'ansible-yaml'],
    ['fleet.yaml', 'defaults: {}\nhosts:\n  web-01: {}\n', 'patchops-yaml'],
    ['fleet', 'hosts:\n  web-01: {}\n', 'patchops-yaml'],
    ['fleet.json', '{"hosts": {"web-01": {}}}', 'patchops-yaml'],
    ['fleet.yaml', 'hosts: [\n', 'patchops-yaml'],
  ])('%s with %j is %s', (path, text, format) => {
    expect(detectFormat(text, path)).toBe(format);
  });
});

describe('readInventory and loadInventory', () => {
  it.each([
    ['patchops.yaml', 'patchops-yaml', 5],
    ['ansible.ini', 'ansible-ini', 7],
    ['ansible.yaml', 'ansible-yaml', 7],
  ])('reads %s as %s', (file, format, count) => {
    const inventory = readInventory(join(fixtures, file));
    expect(inventory.format).toBe(format);
    expect(inventory.hosts).toHaveLength(count);
  });

  it('reads an extensionless Ansible INI file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-'));
    writeFileSync(join(dir, 'hosts'), '[web]\nweb-[1:2] ansible_user=deploy\n');
    expect(loadInventory(join(dir, 'hosts')).map((host) => [host.name, host.user, host.groups])).toEqual([
      ['web-1', 'deploy', ['web']],
      ['web-2', 'deploy', ['web']],
    ]);
  });

  it('throws an InventoryError naming every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-'));
    writeFileSync(join(dir, 'fleet.yaml'), 'hosts:\n  web-01: { port: x }\n  db-01: { user: "a b" }\n');
    const error = (() => {
      try {
        loadInventory(join(dir, 'fleet.yaml'));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as InventoryError).message).toBe(
      [
        'invalid inventory:',
        "fleet.yaml:2: host 'web-01': port: must be a number from 1 to 65535",
        'fleet.yaml:3: host \'db-01\': user: must be a user name (letters, digits, ".", "_", "@", "-")',
      ].join('\n  '),
    );
  });

  it('says when the file is missing', () => {
    expect(() => loadInventory('/nonexistent/hosts.yaml')).toThrow(
      '/nonexistent/hosts.yaml: cannot be read: no such file',
    );
  });
});
