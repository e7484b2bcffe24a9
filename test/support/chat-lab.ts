import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Bot, startBot } from '../../src/app/bot.js';
import { resolveInventory } from '../../src/app/inventory.js';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { startCli } from './cli.js';
import { type LabFleet, labPatchopsEnv } from './lab.js';
import { createTestDatabase } from './postgres.js';

export interface ChatLab {
  env: Record<string, string>;
  config: Config;
  runtime: Runtime;
  bot: Bot;
  close(): Promise<void>;
}

/**
 * patchops for a chat adapter test: lab hosts with these inventory variables, a database of its own, a
 * worker process, and the bot in the test process with the given patchops.yml and environment (the
 * adapter's credentials and API URL). The test starts the adapter on `bot`.
 */
export async function startChatLab(
  fleet: LabFleet,
  options: { hosts: number; vars: Record<string, unknown>; file: object; env: Record<string, string> },
): Promise<ChatLab> {
  const target = await createTestDatabase();
  const workDir = await mkdtemp(join(tmpdir(), 'patchops-chat-'));
  const hosts = fleet.hosts.slice(0, options.hosts);
  const configPath = join(workDir, 'patchops.yml');
  await writeFile(configPath, stringify(options.file));
  const env = {
    ...(await labPatchopsEnv(fleet, {
      workDir,
      databaseUrl: target.url,
      hosts: Object.fromEntries(hosts.map((h) => [h.name, { vars: options.vars }])),
    })),
    PATCHOPS_CONFIG: configPath,
    PATCHOPS_DEMO: '0',
    ...options.env,
  };
  const worker = startCli(['worker'], env);
  const config = loadConfig(env);
  const inventory = await resolveInventory(config, false);
  const runtime = await createRuntime(config, createLogger('warn'), inventory.hosts);
  const bot = await startBot(runtime, { intervalMs: 200, pollMs: 500 });
  return {
    env,
    config,
    runtime,
    bot,
    async close() {
      await worker.stop();
      await bot.close();
      await runtime.close();
      await target.drop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
