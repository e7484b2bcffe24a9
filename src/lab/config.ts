import path from 'node:path';
import { z } from 'zod';

/** Where the lab lives and how its hosts listen. Read from the environment, validated once. */
export interface LabConfig {
  /** Root-owned directory holding the base, repositories, keys and hosts (sshd refuses chroots under /tmp). */
  dir: string;
  /** Port every lab sshd listens on (each host has its own loopback address). */
  port: number;
  /** Debian mirror used once, to build the base. */
  mirror: string;
  /** Seconds a simulated reboot keeps the host down unless the caller says otherwise. */
  rebootDelaySeconds: number;
}

const envSchema = z.object({
  PATCHOPS_LAB_DIR: z
    .string()
    .refine((value) => path.isAbsolute(value), 'must be an absolute path')
    // The path lands unquoted in sshd_config, inventories and apt sources.
    .regex(/^[A-Za-z0-9/_.-]+$/, 'may only contain letters, digits, / _ . -')
    .refine((value) => !value.startsWith('/tmp/') && value !== '/tmp', 'sshd refuses chroots under /tmp')
    .default('/srv/patchops-lab'),
  PATCHOPS_LAB_PORT: z.coerce.number().int().min(1).max(65535).default(22),
  PATCHOPS_LAB_MIRROR: z.url().default('http://deb.debian.org/debian'),
  PATCHOPS_LAB_REBOOT_DELAY: z.coerce.number().min(0).max(600).default(3),
});

export function labConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid lab environment: ${problems.join('; ')}`);
  }
  return {
    dir: path.resolve(parsed.data.PATCHOPS_LAB_DIR),
    port: parsed.data.PATCHOPS_LAB_PORT,
    mirror: parsed.data.PATCHOPS_LAB_MIRROR,
    rebootDelaySeconds: parsed.data.PATCHOPS_LAB_REBOOT_DELAY,
  };
}

/** Every path the lab uses, derived from its directory so nothing is spelled twice. */
export function labPaths(config: LabConfig) {
  const dir = config.dir;
  return {
    dir,
    lock: path.join(dir, '.lock'),
    base: path.join(dir, 'base'),
    baseStamp: path.join(dir, 'base', 'etc', 'patchops-lab-base.json'),
    repos: path.join(dir, 'repo'),
    repoStamp: path.join(dir, 'repo', 'baseline.json'),
    keys: path.join(dir, 'keys'),
    clientKey: path.join(dir, 'keys', 'id_ed25519'),
    authorizedKeysDir: path.join(dir, 'keys', 'authorized'),
    hosts: path.join(dir, 'hosts'),
    inventoryYaml: path.join(dir, 'inventory.yaml'),
    inventoryIni: path.join(dir, 'inventory.ini'),
    knownHosts: path.join(dir, 'known_hosts'),
    testRunMarker: path.join(dir, 'test-run.json'),
  };
}

export type LabPaths = ReturnType<typeof labPaths>;
