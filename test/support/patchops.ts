/**
 * patchops' bot in the test process (the test types commands and reads views and alerts), with workers
 * as separate processes the test can kill: the same split as production, with the test as the chat user.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Bot, startBot } from '../../src/app/bot.js';
import { resolveInventory } from '../../src/app/inventory.js';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { renderWatched, type Watch } from '../../src/bot/core/handle.js';
import type { View } from '../../src/bot/core/views.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { startCli } from './cli.js';
import { type LabFleet, labPatchopsEnv } from './lab.js';
import { createTestDatabase } from './postgres.js';

export interface TestBot {
  runtime: Runtime;
  bot: Bot;
  alerts: View[];
  /** Run a command as `user`; returns the reply. */
  run(user: string, text: string): Promise<{ view: View; watch?: Watch }>;
  /** Run a command and wait until what it shows settles; returns the last view. */
  runAndSettle(user: string, text: string, timeoutMs?: number): Promise<View>;
  settle(watch: Watch, timeoutMs?: number): Promise<View>;
  close(): Promise<void>;
}

export async function startTestBot(env: Record<string, string>): Promise<TestBot> {
  const config = loadConfig({ PATCHOPS_DEMO: '0', ...env });
  const inventory = await resolveInventory(config, false);
  const runtime = await createRuntime(config, createLogger('warn'), inventory.hosts);
  const bot = await startBot(runtime, { intervalMs: 200, pollMs: 500 });
  const alerts: View[] = [];
  bot.live.onAlert(async (view) => {
    alerts.push(view);
  });
  const run = (user: string, text: string) => bot.handle(`/patch ${text}`, bot.localActor(user));
  async function settle(watch: Watch, timeoutMs = 240_000): Promise<View> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await renderWatched(watch, bot.ports);
      if (state?.settled) return state.view;
      if (Date.now() > deadline)
        throw new Error(`${watch.kind}-${watch.id} did not settle: ${JSON.stringify(state?.view)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return {
    runtime,
    bot,
    alerts,
    run,
    settle,
    async runAndSettle(user, text, timeoutMs) {
      const reply = await run(user, text);
      if (!reply.watch) return reply.view;
      return settle(reply.watch, timeoutMs);
    },
    async close() {
      await bot.close();
      await runtime.close();
    },
  };
}

/** The view, narrowed to its kind, or a failure that shows what came instead. */
export function viewOf<K extends View['kind']>(view: View, kind: K): Extract<View, { kind: K }> {
  expect(view.kind === 'error' && kind !== 'error' ? view.error : view.kind).toBe(kind);
  return view as Extract<View, { kind: K }>;
}

/**
 * patchops against lab hosts for rollout tests: a database of its own, the hosts with these inventory
 * variables, a worker process (replaceable, to kill it) and the bot in the test process.
 */
export async function startLabPatchops(
  fleet: LabFleet,
  options: { vars: Record<string, unknown>; workerEnv?: Record<string, string> },
) {
  const target = await createTestDatabase();
  const workDir = await mkdtemp(join(tmpdir(), 'patchops-rollout-'));
  const env = await labPatchopsEnv(fleet, {
    workDir,
    databaseUrl: target.url,
    hosts: Object.fromEntries(fleet.hosts.map((h) => [h.name, { vars: options.vars }])),
  });
  const startWorker = () => startCli(['worker'], { ...env, ...options.workerEnv });
  const lab = {
    env,
    /** The running worker; a test that kills it assigns the one it starts instead, and close() stops that. */
    worker: startWorker(),
    patchops: await startTestBot(env),
    startWorker,
    async close() {
      await lab.worker.stop();
      await lab.patchops.close();
      await target.drop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
  return lab;
}

export type LabPatchops = Awaited<ReturnType<typeof startLabPatchops>>;
