import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, uniquePrefix } from '../support/cli.js';

describe('patchops command line', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patchops-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports every bad configuration value by name and exits 2', async () => {
    const result = await runCli(['exec', '--', '/patch hosts'], {
      DATABASE_URL: 'mysql://db',
      PATCHOPS_SCAN_CONCURRENCY: '0',
      PATCHOPS_HOST_KEY_POLICY: 'trust-me',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid configuration');
    expect(result.stderr).toContain('environment variable DATABASE_URL: a postgres:// or postgresql:// URL');
    expect(result.stderr).toMatch(/PATCHOPS_SCAN_CONCURRENCY: .*1/);
    expect(result.stderr).toMatch(/PATCHOPS_HOST_KEY_POLICY: .*strict.*accept-new/);
  });

  it('says in one line that Redis is missing and how to start it', async () => {
    const result = await runCli(['exec', '--', '/patch hosts'], {
      REDIS_URL: 'redis://127.0.0.1:6399',
      PATCHOPS_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot reach it at redis:\/\/127\.0\.0\.1:6399 \(ECONNREFUSED\)/);
    expect(lines[0]).toContain('redis-server --daemonize yes');
  });

  it('refuses to run bot or worker as separate processes on the embedded database', async () => {
    const result = await runCli(['worker'], { PATCHOPS_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs DATABASE_URL .*patchops start/);
  });

  it('scans on a second fresh database that shares the queue prefix (run ids restart, job ids must not clash)', async () => {
    const prefix = uniquePrefix();
    for (const database of ['first', 'second']) {
      const dir = join(dataDir, `shared-prefix-${database}`);
      const result = await runCli(
        ['exec', '--json', '--', '/patch scan all'],
        {
          PATCHOPS_DATA_DIR: dir,
          PATCHOPS_DEMO: '1',
          PATCHOPS_QUEUE_PREFIX: prefix,
        },
        { timeoutMs: 60_000 },
      );
      expect(result.code, `${database}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout).run, database).toMatchObject({
        id: 'scan-1',
        status: 'done',
        succeeded: 5,
      });
    }
  });

  it('runs the console with nothing configured: embedded database, demo fleet, live scan, clear errors', async () => {
    const result = await runCli(
      ['console', '--user', 'newcomer'],
      { PATCHOPS_DATA_DIR: dataDir, PATCHOPS_DEMO: 'auto', PATCHOPS_QUEUE_PREFIX: uniquePrefix() },
      {
        input: 'help\nhosts\nscan $(id)\nscan all\n',
        timeoutMs: 120_000,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('database: pglite');
    expect(out).toContain('5 simulated demo hosts');
    expect(out).toContain('/patch scan <selector>');
    expect(out).toMatch(/invalid selector '\$\(id\)'/);
    // The final view of the scan, printed after its live updates, with the totals line.
    expect(out).toMatch(/5 hosts: 5 ok, 0 failed; \d+ updates \(\d+ security\)/);
    const hostsAfter = await runCli(['exec', '--json', '--', '/patch hosts'], {
      PATCHOPS_DATA_DIR: dataDir,
      PATCHOPS_QUEUE_PREFIX: uniquePrefix(),
    });
    // exec has no demo fleet, but the database remembers the hosts and their last scan.
    const view = JSON.parse(hostsAfter.stdout);
    expect(view.hosts).toHaveLength(5);
    for (const host of view.hosts) {
      expect(host).toMatchObject({ os: 'Debian GNU/Linux 12 (bookworm)', lastScanError: null });
      expect(host.updates).toBeGreaterThanOrEqual(host.securityUpdates);
      expect(typeof host.rebootRequired).toBe('boolean');
      expect(Date.parse(host.lastScanAt)).toBeGreaterThan(Date.now() - 120_000);
    }
  });
});
