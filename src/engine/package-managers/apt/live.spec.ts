import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ShellCommand } from '../../shell/command.js';
import type { CommandResult, RemoteShell } from '../../ssh/types.js';
import { apt } from './index.js';
import { parseAptListUpgradable } from './parse.js';

const run = promisify(execFile);

/** This machine as a host: read-only commands only (no refresh, so never sudo). */
class LocalShell implements RemoteShell {
  readonly hostName = 'localhost';
  async run(command: ShellCommand): Promise<CommandResult> {
    try {
      const { stdout, stderr } = await run('sh', ['-c', command], { maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }
}

const isDebianFamily = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v dpkg-query && command -v apt-get && command -v apt']);
    return true;
  } catch {
    return false;
  }
})();
if (!isDebianFamily) console.log('notice: no dpkg/apt on this machine; live apt scan skipped');

describe.skipIf(!isDebianFamily)('apt scan of this machine', () => {
  it('agrees with dpkg -l and apt list --upgradable', async () => {
    // dpkg -l before and after: another process may install something meanwhile
    const countInstalled = () =>
      Number(execFileSync('sh', ['-c', "dpkg -l | grep -c '^[uihrp][iUFWtH]'"], { encoding: 'utf8' }).trim());
    const before = countInstalled();
    const scan = await apt.scan(new LocalShell(), { refresh: 'never', privileged: false });
    expect([before, countInstalled()]).toContain(scan.installed.length);

    const listed = execFileSync('sh', ['-c', 'LC_ALL=C apt list --upgradable 2>/dev/null'], {
      encoding: 'utf8',
    });
    const fromList = parseAptListUpgradable(listed).map((u) => `${u.name} ${u.version}`);
    const fromScan = scan.updates.map((u) => `${u.name} ${u.version}`);
    // apt list also shows what a full upgrade keeps back or defers: the scan names those in warnings
    const notTaken = fromList.filter((entry) => !fromScan.includes(entry));
    for (const entry of notTaken) expect(scan.warnings.join('\n')).toContain(entry.split(' ')[0]);
    expect(fromScan.filter((entry) => !fromList.includes(entry))).toEqual([]);
  });
});
