import { describe, expect, it } from 'vitest';
import { hostPatchSettings } from './host-settings.js';

describe('hostPatchSettings', () => {
  it('defaults when the inventory says nothing', () => {
    expect(hostPatchSettings({ unrelated: 1 })).toEqual({
      ok: true,
      settings: { reboot_command: 'systemctl reboot', health_checks: [], services: [] },
    });
  });

  it('reads commands, HTTP checks and services', () => {
    const parsed = hostPatchSettings({
      reboot_command: 'sudo -n /usr/local/sbin/patchops-lab-reboot 2',
      health_checks: [
        '/usr/bin/web-health',
        { command: 'pg_isready -q' },
        { http: 'http://127.0.0.1:8080/healthz' },
      ],
      services: ['nginx.service'],
      pre_hook: 'drain',
    });
    expect(parsed.ok && parsed.settings.health_checks).toEqual([
      { kind: 'command', command: '/usr/bin/web-health' },
      { kind: 'command', command: 'pg_isready -q' },
      { kind: 'http', url: 'http://127.0.0.1:8080/healthz', expectStatus: 200 },
    ]);
  });

  it('names the variable that is wrong', () => {
    expect(hostPatchSettings({ services: ['nginx; reboot'] })).toEqual({
      ok: false,
      message: 'host variable services.0: a systemd unit name',
    });
    expect(hostPatchSettings({ health_checks: [{ http: 'file:///etc/passwd' }] }).ok).toBe(false);
  });
});
