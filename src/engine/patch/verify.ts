import type { PackageManager } from '../package-managers/types.js';
import { inventoryCommand, sh } from '../shell/command.js';
import type { RemoteShell } from '../ssh/types.js';
import type { HealthCheck, HostPatchSettings } from './host-settings.js';

/** The versions a host must show: after a patch the planned ones, after a rollback the recorded ones. */
export interface ExpectedVersion {
  name: string;
  arch: string;
  version: string | null;
}

export type CheckResult = { ok: true } | { ok: false; check: string };

const HTTP_TIMEOUT_MS = 10_000;

function tail(text: string, max = 200): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

export async function checkVersions(
  shell: RemoteShell,
  manager: PackageManager,
  expected: readonly ExpectedVersion[],
): Promise<CheckResult> {
  const states = await manager.packageStates(
    shell,
    expected.map((p) => p.name),
  );
  for (const want of expected) {
    const have = states.find((s) => s.name === want.name && (s.arch === want.arch || want.version === null));
    const version = have?.version ?? null;
    if (want.version === null) continue; // was not installed before: a rollback leaves it (see readme)
    if (version !== want.version)
      return {
        ok: false,
        check: `version: ${want.name} is ${version ?? 'not installed'}, expected ${want.version}`,
      };
    if (have && !have.healthy)
      return { ok: false, check: `version: ${want.name} ${version} is not fully installed (dpkg status)` };
  }
  return { ok: true };
}

async function checkHealth(shell: RemoteShell, check: HealthCheck): Promise<CheckResult> {
  if (check.kind === 'command') {
    const result = await shell.run(inventoryCommand(check.command));
    if (result.code === 0) return { ok: true };
    const output = tail(result.stderr || result.stdout);
    return {
      ok: false,
      check: `health: ${check.command} exited ${result.code}${output ? `: ${output}` : ''}`,
    };
  }
  try {
    const response = await fetch(check.url, {
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.status === check.expectStatus) return { ok: true };
    return {
      ok: false,
      check: `health: GET ${check.url} answered ${response.status}, expected ${check.expectStatus}`,
    };
  } catch (error) {
    return {
      ok: false,
      check: `health: GET ${check.url} failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Services listed for the host are active, then every health check passes; the first failure is the answer. */
export async function checkServicesAndHealth(
  shell: RemoteShell,
  settings: HostPatchSettings,
): Promise<CheckResult> {
  for (const service of settings.services) {
    const result = await shell.run(sh`systemctl is-active ${service}`);
    if (result.code !== 0)
      return { ok: false, check: `service: ${service} is ${result.stdout.trim() || 'not active'}` };
  }
  for (const check of settings.health_checks) {
    const result = await checkHealth(shell, check);
    if (!result.ok) return result;
  }
  return { ok: true };
}
