import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs with nothing configured: embedded database, local Redis', () => {
    const config = loadConfig({});
    expect(config.env.DATABASE_URL).toBeUndefined();
    expect(config.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.env.PATCHOPS_HOST_KEY_POLICY).toBe('accept-new');
    expect(config.file.permissions).toBeUndefined();
    expect(config.file.rollouts).toMatchObject({ waves: { text: '1,10%,50%,100%' }, reboot: 'if-required' });
    expect(config.file.windows).toEqual({});
    expect(config.file.approvals.default).toMatchObject({ required: 1, expiresAfterSeconds: 86_400 });
  });

  it('names every bad value and what was expected', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'localhost:6379',
      PATCHOPS_SCAN_CONCURRENCY: 'lots',
      PATCHOPS_HOST_KEY_POLICY: 'yes',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toContain(
      'environment variable DATABASE_URL: a postgres:// or postgresql:// URL',
    );
    expect(problems.join('\n')).toContain('environment variable REDIS_URL: a redis:// or rediss:// URL');
    expect(problems.find((p) => p.includes('PATCHOPS_SCAN_CONCURRENCY'))).toMatch(/number/);
    expect(problems.find((p) => p.includes('PATCHOPS_HOST_KEY_POLICY'))).toMatch(/strict.*accept-new/);
  });

  it('reads permissions from patchops.yml and reports bad keys by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchops-config-'));
    const good = join(dir, 'good.yml');
    writeFileSync(good, 'permissions:\n  users: { alice: [operator] }\n  groups: { sre: [approver] }\n');
    const config = loadConfig({ PATCHOPS_CONFIG: good });
    expect(config.file.permissions?.users.alice).toEqual(['operator']);
    expect(config.file.permissions?.default_roles).toEqual(['viewer']);

    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'permissions:\n  users: { alice: [god] }\n  colour: blue\n');
    const problems = problemsOf({ PATCHOPS_CONFIG: bad });
    expect(problems.some((p) => p.startsWith(`${bad}: permissions.users.alice.0:`))).toBe(true);
    expect(problems.some((p) => p.includes('colour'))).toBe(true);
  });

  it('reports a missing config file by name', () => {
    const problems = problemsOf({ PATCHOPS_CONFIG: '/nonexistent/patchops.yml' });
    expect(problems[0]).toMatch(/^\/nonexistent\/patchops.yml: ENOENT/);
  });
});
