import { z } from 'zod';
import { defineCommand } from './define.js';
import { reasonFlag } from './risk-values.js';
import {
  bakeFlag,
  budgetFlag,
  concurrencyFlag,
  cveListFlag,
  packageListFlag,
  planPriorityFlag,
  rebootFlag,
  rolloutIdArgument,
  wavesFlag,
  windowFlag,
} from './rollout-values.js';
import { selectorArgument } from './values.js';

/*
 * Patching: a plan (dry run) is approved with `approve plan-3`, which starts a rollout; the rollout is
 * steered with pause, resume, abort, rollback and, in an emergency, override. Flags left out take the
 * defaults of patchops.yml's `rollouts:` section.
 */

export const planCommand = defineCommand({
  name: 'plan',
  usage:
    'plan <selector> [--security] [--priority P2] [--cve ID,...] [--packages a,b] [--waves 1,10%,50%,100%] [--concurrency N] [--bake 10m] [--max-failures 1|5%] [--max-total-failures N|P%] [--reboot never|if-required|always] [--window NAME] [--auto-rollback]',
  summary: 'Plan a patch (a dry run): exact versions per host and wave; nothing changes before approval.',
  args: {
    selector: selectorArgument,
    security: z.boolean().default(false),
    priority: planPriorityFlag.optional(),
    cve: cveListFlag.optional(),
    packages: packageListFlag.optional(),
    waves: wavesFlag.optional(),
    concurrency: concurrencyFlag.optional(),
    bake: bakeFlag.optional(),
    maxFailures: budgetFlag('--max-failures').optional(),
    maxTotalFailures: budgetFlag('--max-total-failures').optional(),
    reboot: rebootFlag.optional(),
    window: windowFlag.optional(),
    autoRollback: z.boolean().default(false),
  },
  positionals: ['selector'],
  switches: ['security', 'autoRollback'],
});

const steer = (name: 'pause' | 'resume' | 'abort', summary: string) =>
  defineCommand({
    name,
    usage: `${name} <rollout-id>`,
    summary,
    args: { rolloutId: rolloutIdArgument },
    positionals: ['rolloutId'],
  });

export const pauseCommand = steer(
  'pause',
  'Pause a rollout: hosts being patched finish, no new host starts.',
);
export const resumeCommand = steer(
  'resume',
  'Resume a paused or halted rollout (the failures so far no longer count against its budgets).',
);
export const abortCommand = steer(
  'abort',
  'Abort a rollout: hosts being patched finish, the rest are never started.',
);

export const rollbackCommand = defineCommand({
  name: 'rollback',
  usage: 'rollback <rollout-id> [selector]',
  summary: 'Put hosts of a rollout back to their exact pre-patch versions (default: every host it changed).',
  args: { rolloutId: rolloutIdArgument, selector: selectorArgument.optional() },
  positionals: ['rolloutId', 'selector'],
});

export const overrideCommand = defineCommand({
  name: 'override',
  usage: 'override <rollout-id> --reason "text"',
  summary: 'Emergency: run a rollout outside its maintenance window (audited with the reason).',
  args: { rolloutId: rolloutIdArgument, reason: reasonFlag },
  positionals: ['rolloutId'],
});
