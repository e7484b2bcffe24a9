import { z } from 'zod';
import { approvalsConfigSchema } from '../bot/core/approvals/index.js';
import { chatConfigSchemas, chatEnvShape } from './chat.js';
import { rolloutsConfigSchema, windowsConfigSchema } from './rollouts.js';

const role = z.enum(['viewer', 'operator', 'approver', 'admin']);

const durationMs = z.coerce.number().int().positive();

/** patchops.yml: everything that is more than a scalar (see docs/operations.md and docs/rollouts.md). */
export const fileConfigSchema = z
  .object({
    permissions: z
      .object({
        users: z.record(z.string(), z.array(role)).default({}),
        groups: z.record(z.string(), z.array(role)).default({}),
        default_roles: z.array(role).default(['viewer']),
        /** Which groups a user belongs to, for adapters (the console) that have no directory of their own. */
        members: z.record(z.string(), z.array(z.string())).default({}),
      })
      .strict()
      .optional(),
    /** Validated by the prioritizer's own schema (src/engine/prioritize/policy.ts), see docs/policies.md. */
    prioritization: z.unknown().optional(),
    /** Plan defaults and engine limits for rollouts. */
    rollouts: rolloutsConfigSchema.prefault({}),
    /** Named maintenance windows (`plan --window NAME`). */
    windows: windowsConfigSchema.default({}),
    /** Who may approve plans, per environment. */
    approvals: approvalsConfigSchema,
    /** Slack: alerts channel and mention, user groups → patchops groups (docs/slack.md). */
    slack: chatConfigSchemas.slack,
    /** Discord: alerts channel and role, roles → patchops groups (docs/discord.md). */
    discord: chatConfigSchemas.discord,
  })
  .strict();

/** Environment variables, as named in the README. */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  PATCHOPS_DATA_DIR: z.string().min(1).default('.patchops'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  PATCHOPS_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or - (at most 40)')
    .default('patchops'),
  PATCHOPS_CONFIG: z.string().min(1).optional(),
  PATCHOPS_INVENTORY: z.string().min(1).optional(),
  PATCHOPS_ZONE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or - (at most 40)')
    .optional(),
  PATCHOPS_SSH_USER: z.string().min(1).default('root'),
  PATCHOPS_SSH_KEY: z.string().min(1).optional(),
  PATCHOPS_KNOWN_HOSTS: z.string().min(1).optional(),
  PATCHOPS_HOST_KEY_POLICY: z.enum(['strict', 'accept-new']).default('accept-new'),
  PATCHOPS_SSH_CONNECT_TIMEOUT_MS: durationMs.default(10_000),
  PATCHOPS_SSH_COMMAND_TIMEOUT_MS: durationMs.default(120_000),
  PATCHOPS_SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(50),
  PATCHOPS_SCAN_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  PATCHOPS_SCAN_REFRESH: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Hosts one worker patches at once (all rollouts together). */
  PATCHOPS_PATCH_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  /** A worker's claim on a host it patches; it renews it every third of this. A lapsed claim = a dead worker. */
  PATCHOPS_ROLLOUT_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  PATCHOPS_DEMO: z.enum(['0', '1', 'auto']).default('auto'),
  /** Comma-separated files, directories or URLs of OSV, KEV and EPSS feeds, imported on a schedule. */
  PATCHOPS_ADVISORY_SOURCES: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  PATCHOPS_ADVISORY_SCHEDULE: z
    .string()
    .regex(/^(\S+\s+){4,5}\S+$/, 'a cron pattern such as "0 */6 * * *"')
    .default('0 */6 * * *'),
  SSH_AUTH_SOCK: z.string().min(1).optional(),
  ...chatEnvShape,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
export type FileConfig = z.infer<typeof fileConfigSchema>;
export type Role = z.infer<typeof role>;
