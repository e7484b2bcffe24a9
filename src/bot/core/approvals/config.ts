import { z } from 'zod';
import { nameField } from '../../../engine/inventory/fields.js';
import { parseDuration } from '../../../engine/rollouts/duration.js';

/*
 * The `approvals:` section of patchops.yml: who may approve a plan, how many must, and how long a plan
 * waits for them. Keys are snake_case like the rest of the file; the parsed value is camelCase.
 *
 *   approvals:
 *     environment_tag: env        # the host tag naming the environment (default 'env')
 *     default: { users: [], groups: [], required: 1, expires_after: 24h }
 *     environments:
 *       prod: { users: [alice], groups: [sre-leads], required: 2, expires_after: 4h }
 *
 * An environment entry inherits what it leaves out from `default`; users and groups go together (an entry
 * naming either replaces both), so `prod: { required: 2 }` keeps default's approvers and
 * `edge: { users: [zed] }` means zed only. Empty users and groups mean anyone holding the approve
 * capability; the role check happens before these rules.
 */

export const DEFAULT_ENVIRONMENT_TAG = 'env';
export const DEFAULT_REQUIRED_APPROVALS = 1;
export const MAX_REQUIRED_APPROVALS = 10;
export const DEFAULT_EXPIRES_AFTER_SECONDS = 24 * 3600;
const MIN_EXPIRES_AFTER_SECONDS = 60;

/** A user (platform id or handle) or a group handle, as the chat platform spells it. */
const handleField = z.string().trim().min(1).max(100);

const expiresAfterField = z.string().transform((text, ctx) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) {
    ctx.issues.push({ code: 'custom', message: parsed.message, input: text });
    return z.NEVER;
  }
  // parseDuration caps durations at 7 days, which is plenty for a plan to wait for approvers.
  if (parsed.seconds < MIN_EXPIRES_AFTER_SECONDS) {
    ctx.issues.push({ code: 'custom', message: 'must be at least 1m', input: text });
    return z.NEVER;
  }
  return parsed.seconds;
});

const policySchema = z.strictObject({
  users: z.array(handleField).max(200).optional(),
  groups: z.array(handleField).max(200).optional(),
  required: z.number().int().min(1).max(MAX_REQUIRED_APPROVALS).optional(),
  expires_after: expiresAfterField.optional(),
});

type PolicyInput = z.output<typeof policySchema>;

export interface ApprovalPolicy {
  users: string[];
  groups: string[];
  required: number;
  expiresAfterSeconds: number;
}

export interface ApprovalsConfig {
  environmentTag: string;
  default: ApprovalPolicy;
  /** A Map, so an environment called `constructor` finds nothing it did not configure. */
  environments: ReadonlyMap<string, ApprovalPolicy>;
}

function policy(given: PolicyInput | null | undefined, base: ApprovalPolicy): ApprovalPolicy {
  // Users and groups together say who approves: an entry naming either replaces both.
  const own = given?.users !== undefined || given?.groups !== undefined;
  return {
    users: [...new Set(own ? (given?.users ?? []) : base.users)],
    groups: [...new Set(own ? (given?.groups ?? []) : base.groups)],
    required: given?.required ?? base.required,
    expiresAfterSeconds: given?.expires_after ?? base.expiresAfterSeconds,
  };
}

const BUILT_IN: ApprovalPolicy = {
  users: [],
  groups: [],
  required: DEFAULT_REQUIRED_APPROVALS,
  expiresAfterSeconds: DEFAULT_EXPIRES_AFTER_SECONDS,
};

/** The whole section is optional (absent or empty = the defaults above). */
export const approvalsConfigSchema = z
  .strictObject({
    environment_tag: nameField.optional(),
    default: policySchema.nullish(),
    environments: z.record(nameField, policySchema.nullable()).nullish(),
  })
  .nullish()
  .transform((section): ApprovalsConfig => {
    const base = policy(section?.default, BUILT_IN);
    const environments = new Map<string, ApprovalPolicy>();
    for (const [name, given] of Object.entries(section?.environments ?? {})) {
      environments.set(name, policy(given, base));
    }
    return {
      environmentTag: section?.environment_tag ?? DEFAULT_ENVIRONMENT_TAG,
      default: base,
      environments,
    };
  });

export type ApprovalsConfigInput = z.input<typeof approvalsConfigSchema>;
