import { z } from 'zod';

const command = z.string().trim().min(1).max(2000);

const healthCheck = z.union([
  command.transform((text) => ({ kind: 'command' as const, command: text })),
  z.object({ command }).transform((c) => ({ kind: 'command' as const, command: c.command })),
  z
    .object({
      http: z.url({ protocol: /^https?$/ }),
      expect_status: z.number().int().min(100).max(599).default(200),
    })
    .transform((c) => ({ kind: 'http' as const, url: c.http, expectStatus: c.expect_status })),
]);

export type HealthCheck = z.output<typeof healthCheck>;

/**
 * What the inventory says about patching one host (host variables). Commands are the inventory owner's,
 * run as the login user (write `sudo -n …` for root); HTTP checks are made from the worker.
 */
export const hostPatchSettingsSchema = z.object({
  reboot_command: command.default('systemctl reboot'),
  health_checks: z.array(healthCheck).max(20).default([]),
  services: z
    .array(z.string().regex(/^[A-Za-z0-9@._:-]{1,200}$/, 'a systemd unit name'))
    .max(50)
    .default([]),
  pre_hook: command.optional(),
  post_hook: command.optional(),
});

export type HostPatchSettings = z.output<typeof hostPatchSettingsSchema>;

export function hostPatchSettings(
  vars: Record<string, unknown>,
): { ok: true; settings: HostPatchSettings } | { ok: false; message: string } {
  const parsed = hostPatchSettingsSchema.safeParse(vars);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    message: `host variable ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
  };
}
