import { z } from 'zod';
import type { RolloutDefaults } from '../bot/core/handle-rollouts.js';
import { parseBudget } from '../engine/rollouts/budget.js';
import { parseDuration } from '../engine/rollouts/duration.js';
import { REBOOT_POLICIES } from '../engine/rollouts/types.js';
import { parseWaves } from '../engine/rollouts/waves.js';
import { type MaintenanceWindow, maintenanceWindowSchema } from '../engine/rollouts/windows.js';

function parsedText<T>(parse: (text: string) => ({ ok: true } & T) | { ok: false; message: string }) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = String(value);
    const parsed = parse(text);
    if (parsed.ok) return { text, ...parsed };
    ctx.addIssue({ code: 'custom', message: parsed.message, input: value });
    return z.NEVER;
  });
}

/** patchops.yml `rollouts:`, the defaults of every plan (documented in docs/rollouts.md). */
export const rolloutsConfigSchema = z
  .object({
    waves: parsedText(parseWaves).prefault('1,10%,50%,100%'),
    bake: parsedText(parseDuration).prefault('0'),
    max_failures: parsedText(parseBudget).prefault('0'),
    /** Absent: the same as max_failures. */
    max_total_failures: parsedText(parseBudget).optional(),
    reboot: z.enum(REBOOT_POLICIES).default('if-required'),
    auto_rollback: z.boolean().default(false),
    /** A plan refuses hosts whose last successful scan is older than this. */
    max_scan_age: parsedText(parseDuration).prefault('24h'),
    /** Pre-check: free space needed on / and /var. */
    min_free_mb: z.number().int().min(0).max(1_000_000).default(200),
    /** How long to wait for a package lock someone else holds before failing the host. */
    lock_wait: parsedText(parseDuration).prefault('2m'),
    /** How long a host may take to come back from a reboot. */
    reboot_timeout: parsedText(parseDuration).prefault('10m'),
  })
  .strict();

export const windowsConfigSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'window names are letters, digits, _ and - (at most 40)'),
  maintenanceWindowSchema,
);

export type RolloutsConfig = z.output<typeof rolloutsConfigSchema>;

export function rolloutDefaults(
  config: RolloutsConfig,
  windows: Readonly<Record<string, MaintenanceWindow>>,
  environmentTag: string,
): RolloutDefaults {
  return {
    waves: { text: config.waves.text, waves: config.waves.waves },
    bakeSeconds: config.bake.seconds,
    maxFailures: config.max_failures.text,
    ...(config.max_total_failures ? { maxTotalFailures: config.max_total_failures.text } : {}),
    reboot: config.reboot,
    autoRollback: config.auto_rollback,
    maxScanAgeSeconds: config.max_scan_age.seconds,
    windows: Object.keys(windows),
    environmentTag,
  };
}
