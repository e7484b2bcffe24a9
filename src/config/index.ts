import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type Policy, parsePolicy } from '../engine/prioritize/index.js';
import { type Env, envSchema, type FileConfig, fileConfigSchema } from './schema.js';

export type { Env, FileConfig, Role } from './schema.js';

export interface Config {
  env: Env;
  file: FileConfig;
  /** The prioritization policy: patchops.yml's `prioritization` over the documented default. */
  policy: Policy;
  /** Where the file config came from, for messages; undefined when there is none. */
  filePath?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** One line per bad value: where it came from, what was wrong, what was expected. */
function describeIssues(issues: z.core.$ZodIssue[], where: (path: PropertyKey[]) => string): string[] {
  return issues.map((issue) => `${where(issue.path)}: ${issue.message}`);
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const envResult = envSchema.safeParse(environment);
  if (!envResult.success) {
    problems.push(
      ...describeIssues(envResult.error.issues, (path) => `environment variable ${String(path[0])}`),
    );
  }

  const explicitPath = environment.PATCHOPS_CONFIG;
  const filePath = explicitPath ?? (existsSync('patchops.yml') ? 'patchops.yml' : undefined);
  let file: FileConfig = fileConfigSchema.parse({});
  if (filePath) {
    try {
      const fileResult = fileConfigSchema.safeParse(parseYaml(readFileSync(filePath, 'utf8')) ?? {});
      if (fileResult.success) file = fileResult.data;
      else
        problems.push(...describeIssues(fileResult.error.issues, (path) => `${filePath}: ${path.join('.')}`));
    } catch (error) {
      problems.push(`${filePath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const policy = parsePolicy(file.prioritization);
  if (!policy.ok) problems.push(...policy.problems.map((p) => `${filePath}: ${p}`));
  if (problems.length > 0 || !envResult.success || !policy.ok) throw new ConfigError(problems);
  return { env: envResult.data, file, policy: policy.policy, ...(filePath ? { filePath } : {}) };
}
