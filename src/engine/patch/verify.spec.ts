import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellCommand } from '../shell/command.js';
import type { CommandResult, RemoteShell } from '../ssh/types.js';
import { hostPatchSettings } from './host-settings.js';
import { checkServicesAndHealth } from './verify.js';

/** A shell that answers from a table: enough to check what the verification asks and how it reads answers. */
function scriptedShell(answers: Record<string, Partial<CommandResult>>): RemoteShell & { asked: string[] } {
  const asked: string[] = [];
  return {
    hostName: 'web-01',
    asked,
    async run(command: ShellCommand) {
      asked.push(command);
      return { code: 0, stdout: '', stderr: '', ...answers[command] };
    },
  };
}

function settings(vars: Record<string, unknown>) {
  const parsed = hostPatchSettings(vars);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.settings;
}

describe('checkServicesAndHealth', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/healthz' ? 200 : 503;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes when services are active, commands exit 0 and HTTP answers as expected', async () => {
    const shell = scriptedShell({});
    const result = await checkServicesAndHealth(
      shell,
      settings({
        services: ['nginx.service'],
        health_checks: ['/usr/bin/web-health', { http: `${base}/healthz` }],
      }),
    );
    expect(result).toEqual({ ok: true });
    expect(shell.asked).toEqual(['systemctl is-active nginx.service', '/usr/bin/web-health']);
  });

  it('names the first check that fails: a service, a command, an HTTP answer, an unreachable URL', async () => {
    const inactive = scriptedShell({ 'systemctl is-active nginx': { code: 3, stdout: 'failed\n' } });
    expect(await checkServicesAndHealth(inactive, settings({ services: ['nginx'] }))).toEqual({
      ok: false,
      check: 'service: nginx is failed',
    });
    const broken = scriptedShell({ '/usr/bin/web-health': { code: 1, stderr: 'port 8080 closed\n' } });
    expect(
      await checkServicesAndHealth(broken, settings({ health_checks: ['/usr/bin/web-health'] })),
    ).toEqual({
      ok: false,
      check: 'health: /usr/bin/web-health exited 1: port 8080 closed',
    });
    expect(
      await checkServicesAndHealth(
        scriptedShell({}),
        settings({ health_checks: [{ http: `${base}/down` }] }),
      ),
    ).toEqual({ ok: false, check: `health: GET ${base}/down answered 503, expected 200` });
    const refused = await checkServicesAndHealth(
      scriptedShell({}),
      settings({ health_checks: [{ http: 'http://127.0.0.1:1/healthz' }] }),
    );
    expect(refused.ok === false && refused.check).toMatch(
      /^health: GET http:\/\/127\.0\.0\.1:1\/healthz failed: /,
    );
  });
});
