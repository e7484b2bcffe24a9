#!/usr/bin/env node
import { Command } from 'commander';
import { startBot } from './app/bot.js';
import { chatSettings, discordSettings, startChatAdapters } from './app/chat-adapters.js';
import { exec } from './app/exec.js';
import { resolveInventory } from './app/inventory.js';
import { createRuntime } from './app/runtime.js';
import { startWorker } from './app/worker.js';
import { runConsole } from './bot/adapters/console/index.js';
import { type Config, ConfigError, loadConfig } from './config/index.js';
import { databaseOptions, openDatabase } from './db/client.js';
import { forgetHostKeys } from './db/host-keys.js';
import { describeImport } from './engine/advisories/describe.js';
import { importAdvisories } from './engine/advisories/import.js';
import { RedisUnavailableError } from './engine/queues/connection.js';
import { createLogger } from './logger.js';

function fail(message: string, code = 1): never {
  process.stderr.write(`patchops: ${message}\n`);
  process.exit(code);
}

/** What a configuration step gives, or exit 2 with its problems (before anything starts). */
function configured<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

const config = (): Config => configured(() => loadConfig());

/** Bot and worker as separate processes share state through Postgres; PGlite is embedded in one process. */
function requirePostgres(cfg: Config, what: string): void {
  if (!cfg.env.DATABASE_URL) {
    fail(
      `${what} as its own process needs DATABASE_URL (PostgreSQL): the embedded database serves one process. Use \`patchops start\` to run bot and worker together.`,
      2,
    );
  }
}

async function runtimeFor(cfg: Config, interactive: boolean, logLevel?: string) {
  const logger = createLogger(logLevel ?? cfg.env.LOG_LEVEL);
  const inventory = await resolveInventory(cfg, interactive);
  for (const warning of inventory.warnings) logger.warn(`inventory: ${warning}`);
  try {
    const runtime = await createRuntime(cfg, logger, inventory.hosts);
    return { runtime, inventory };
  } catch (error) {
    await inventory.demo?.stop();
    if (error instanceof RedisUnavailableError) fail(error.message, 3);
    throw error;
  }
}

function onSignal(stop: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(0));
    });
  }
}

/**
 * The bot (and, for `start`, a worker) in this process: the configured chat adapters, or the console when
 * none is configured.
 */
async function runBot(options: { worker: boolean; user: string; console?: boolean }): Promise<void> {
  const cfg = config();
  const settings = options.console ? {} : configured(() => chatSettings(cfg));
  const chat = settings.slack !== undefined || settings.discord !== undefined;
  // A terminal user wants quiet logs; a chat bot is a service. Both get the demo fleet if nothing is set.
  const logLevel = process.env.LOG_LEVEL ?? (chat ? undefined : 'warn');
  const { runtime, inventory } = await runtimeFor(cfg, !chat || options.worker, logLevel);
  const worker = options.worker ? await startWorker(runtime) : undefined;
  const bot = await startBot(runtime);
  const adapters = await startChatAdapters(runtime, bot, settings);
  const stop = async () => {
    for (const adapter of adapters) await adapter.close();
    await bot.close();
    await worker?.close();
    await runtime.close();
    await inventory.demo?.stop();
  };
  onSignal(stop);
  if (adapters.length > 0) return;
  await runConsole(bot, {
    user: options.user,
    input: process.stdin,
    output: process.stdout,
    banner: `patchops console — database: ${runtime.database.kind} (${runtime.database.location}), ${inventory.description}\nType 'help', 'as <user> <command>' to act as someone else (a plan needs a second person to approve it), or 'exit' to leave.`,
  });
  await stop();
}

const program = new Command('patchops').description(
  'Chat-ops for server patching: scan, plan, approve, roll out.',
);

program
  .command('start')
  .description('Bot and worker in one process; with no chat adapter configured, the console adapter.')
  .option('--user <name>', 'console user', process.env.USER ?? 'operator')
  .action((options: { user: string }) => runBot({ worker: true, user: options.user }));

program
  .command('console')
  .description('Interactive console adapter (with an in-process worker unless --no-worker).')
  .option('--user <name>', 'console user', process.env.USER ?? 'operator')
  .option('--no-worker', 'only the bot: work goes to separate `patchops worker` processes')
  .action((options: { user: string; worker: boolean }) => {
    if (!options.worker) requirePostgres(config(), 'the console without a worker');
    return runBot({ worker: options.worker, user: options.user, console: true });
  });

program
  .command('bot')
  .description('The bot process: chat adapters in, jobs out (console until chat adapters are configured).')
  .option('--user <name>', 'console user', process.env.USER ?? 'operator')
  .action((options: { user: string }) => {
    requirePostgres(config(), 'patchops bot');
    return runBot({ worker: false, user: options.user });
  });

program
  .command('worker')
  .description('An engine worker: takes jobs from the queues (of PATCHOPS_ZONE when set) and reaches hosts.')
  .action(async () => {
    const cfg = config();
    requirePostgres(cfg, 'patchops worker');
    const { runtime } = await runtimeFor(cfg, false);
    const worker: { close(): Promise<void> } = await startWorker(runtime);
    onSignal(async () => {
      await worker.close();
      await runtime.close();
    });
  });

program
  .command('exec')
  .description(
    'Run one command through the bot core with an in-process worker, wait for it, print the final view.',
  )
  .option('--user <name>', 'who runs it (for permissions and the audit log)', process.env.USER ?? 'operator')
  .option('--json', 'print the view model as one JSON document')
  .option('--timeout <seconds>', 'give up waiting after this long', '900')
  .argument('<command...>', 'the command, e.g. -- /patch scan all')
  .action(async (words: string[], options: { user: string; json?: boolean; timeout: string }) => {
    const cfg = config();
    const { runtime, inventory } = await runtimeFor(cfg, false, process.env.LOG_LEVEL ?? 'warn');
    let code = 1;
    try {
      code = await exec(runtime, {
        text: words.join(' '),
        user: options.user,
        json: options.json === true,
        timeoutMs: Number(options.timeout) * 1000,
        output: process.stdout,
      });
    } finally {
      await runtime.close();
      await inventory.demo?.stop();
    }
    process.exit(code);
  });

program
  .command('advisories')
  .description('Advisory feeds (OSV, CISA KEV, FIRST EPSS).')
  .command('import <sources...>')
  .description(
    'Import feeds from files, directories (air-gapped sites) or URLs, all or nothing each; then re-match the fleet.',
  )
  .option('--user <name>', 'who imports, for the audit log', process.env.USER ?? 'operator')
  .action(async (sources: string[], options: { user: string }) => {
    const cfg = config();
    const { runtime } = await runtimeFor(cfg, false, process.env.LOG_LEVEL ?? 'warn');
    let failed = 0;
    try {
      for (const source of sources) {
        try {
          const result = await importAdvisories(runtime.database.db, source, options.user, cfg.policy);
          for (const alert of result.alerts) await runtime.queues.publish(alert);
          process.stdout.write(`${describeImport(source, result)}\n`);
        } catch (error) {
          failed++;
          process.stderr.write(
            `patchops: ${source}: ${error instanceof Error ? error.message : String(error)} (previous data kept)\n`,
          );
        }
      }
    } finally {
      await runtime.close();
    }
    process.exit(failed > 0 ? 1 : 0);
  });

program
  .command('hosts')
  .description('Host administration.')
  .command('forget-key <host>')
  .description('Forget the pinned SSH host keys of a host after an expected key change (audited).')
  .option('--user <name>', 'who does it, for the audit log', process.env.USER ?? 'operator')
  .action(async (host: string, options: { user: string }) => {
    const database = await openDatabase(databaseOptions(config()));
    try {
      const removed = await forgetHostKeys(database.db, host, options.user);
      process.stdout.write(
        `${host}: forgot ${removed} pinned key(s); the next connection pins the key it sees (accept-new) or needs known_hosts (strict)\n`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command('discord')
  .description('Discord administration.')
  .command('register')
  .description('Register /patch with Discord (in DISCORD_GUILD_ID when set: at once; otherwise globally).')
  .action(async () => {
    const settings = configured(() => discordSettings(config()));
    if (!settings) fail('set DISCORD_TOKEN and DISCORD_APPLICATION_ID first', 2);
    const { registerCommands } = await import('./bot/adapters/discord/register.js');
    const result = await registerCommands(settings);
    process.stdout.write(`registered /${result.names.join(', /')} (${result.scope})\n`);
  });

program
  .command('migrate')
  .description('Apply database migrations and exit (every process also does this at start).')
  .action(async () => {
    const { env } = config();
    const database = await openDatabase(
      env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: `${env.PATCHOPS_DATA_DIR}/pglite` },
    );
    process.stdout.write(`migrated ${database.kind} (${database.location})\n`);
    await database.close();
  });

program
  .parseAsync(process.argv)
  .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
