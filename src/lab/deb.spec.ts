import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb, debFileName, packageSpecSchema } from './deb.js';
import { mustRun } from './run.js';

describe('package specs', () => {
  it('accept Debian versions with epochs and tildes, and refuse shell-hostile text', () => {
    expect(packageSpecSchema.safeParse({ name: 'patchops-demo-epoch', version: '1:1.0~rc1-1' }).success).toBe(
      true,
    );
    expect(packageSpecSchema.safeParse({ name: 'x-y', version: '1.0-1; rm -rf /' }).success).toBe(false);
    expect(packageSpecSchema.safeParse({ name: 'Bad_Name', version: '1.0-1' }).success).toBe(false);
    expect(packageSpecSchema.safeParse({ name: 'ok', version: '1', depends: ['a (>= 1) | b'] }).success).toBe(
      false,
    );
  });

  it('name files the archive way, without the epoch', () => {
    expect(debFileName({ name: 'p', version: '1:1.0~rc1-1' })).toBe('p_1.0~rc1-1_all.deb');
  });
});

describe.skipIf(!existsSync('/usr/bin/dpkg-deb'))('buildDeb', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'patchops-deb-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a package dpkg reads back, with source, depends, health check and reboot request', async () => {
    const deb = await buildDeb(
      {
        name: 'patchops-demo-x',
        version: '1:2.0-3',
        source: 'patchops-demo-src',
        depends: ['patchops-demo-y (>= 1.0-1)'],
        healthy: false,
        requiresReboot: true,
      },
      dir,
    );
    const fields = await mustRun('dpkg-deb', ['--field', deb, 'Package', 'Version', 'Source', 'Depends']);
    expect(fields.stdout).toBe(
      'Package: patchops-demo-x\nVersion: 1:2.0-3\nSource: patchops-demo-src\nDepends: patchops-demo-y (>= 1.0-1)\n',
    );
    const contents = await mustRun('dpkg-deb', ['--contents', deb]);
    expect(contents.stdout).toMatch(/-rwxr-xr-x root\/root .* \.\/usr\/bin\/patchops-demo-x-health\n/);
    const postinst = await mustRun('dpkg-deb', ['--info', deb, 'postinst']);
    expect(postinst.stdout).toContain('touch /var/run/reboot-required');
  });

  it('is reproducible: the same spec gives the same bytes', async () => {
    const first = await readFile(await buildDeb({ name: 'patchops-demo-r', version: '1.0-1' }, dir));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await readFile(await buildDeb({ name: 'patchops-demo-r', version: '1.0-1' }, dir));
    expect(second.equals(first)).toBe(true);
  });
});
