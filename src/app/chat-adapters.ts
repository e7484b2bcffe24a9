import type { DiscordSettings } from '../bot/adapters/discord/client.js';
import type { SlackSettings } from '../bot/adapters/slack/app.js';
import { type Config, ConfigError } from '../config/index.js';
import { liveMessageStore } from '../db/live-messages.js';
import type { Bot } from './bot.js';
import type { Runtime } from './runtime.js';

export interface ChatAdapter {
  name: 'slack' | 'discord';
  close(): Promise<void>;
}

function slackMention(mention: string | undefined): string | undefined {
  if (mention === undefined) return undefined;
  if (mention === 'here' || mention === 'channel') return `<!${mention}>`;
  return mention.startsWith('S') ? `<!subteam^${mention}>` : `<@${mention}>`;
}

/** Slack's settings when it is configured; a half-configured Slack is an error, not silence. */
export function slackSettings(config: Config): SlackSettings | undefined {
  const { env, file } = config;
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken } = env;
  if (!botToken) {
    if (signingSecret || appToken) throw new ConfigError(['SLACK_BOT_TOKEN: needed to use Slack']);
    return undefined;
  }
  if (!signingSecret && !appToken) {
    throw new ConfigError([
      'Slack: set SLACK_SIGNING_SECRET (HTTP, /slack/events) or SLACK_APP_TOKEN (Socket Mode)',
    ]);
  }
  const mention = slackMention(file.slack.alerts_mention);
  return {
    botToken,
    ...(signingSecret ? { signingSecret } : {}),
    ...(appToken ? { appToken } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    port: env.PORT,
    ...(file.slack.alerts_channel ? { alertsChannel: file.slack.alerts_channel } : {}),
    ...(mention ? { alertsMention: mention } : {}),
    groups: file.slack.groups,
  };
}

/** Discord's settings when it is configured (a token and the application id). */
export function discordSettings(config: Config): DiscordSettings | undefined {
  const { env, file } = config;
  const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId } = env;
  if (!token && !applicationId) return undefined;
  if (!token || !applicationId) {
    throw new ConfigError(['Discord: set both DISCORD_TOKEN and DISCORD_APPLICATION_ID']);
  }
  return {
    token,
    applicationId,
    ...(env.DISCORD_GUILD_ID ? { guildId: env.DISCORD_GUILD_ID } : {}),
    ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
    ...(file.discord.alerts_channel ? { alertsChannel: file.discord.alerts_channel } : {}),
    ...(file.discord.alerts_role ? { alertsRole: file.discord.alerts_role } : {}),
    roles: file.discord.roles,
  };
}

/** The chat platforms configured, each validated once; a half-configured one throws a ConfigError. */
export interface ChatSettings {
  slack?: SlackSettings;
  discord?: DiscordSettings;
}

export function chatSettings(config: Config): ChatSettings {
  const slack = slackSettings(config);
  const discord = discordSettings(config);
  return { ...(slack ? { slack } : {}), ...(discord ? { discord } : {}) };
}

/** Starts the configured chat adapters; none configured → an empty list (the caller runs the console). */
export async function startChatAdapters(
  runtime: Runtime,
  bot: Bot,
  settings: ChatSettings,
): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (settings.slack) {
    const { startSlack } = await import('../bot/adapters/slack/app.js');
    const store = liveMessageStore(runtime.database.db, 'slack');
    const adapter = await startSlack(bot, settings.slack, store, runtime.logger);
    adapters.push({ name: 'slack', close: () => adapter.close() });
  }
  if (settings.discord) {
    const { startDiscord } = await import('../bot/adapters/discord/client.js');
    const store = liveMessageStore(runtime.database.db, 'discord');
    const adapter = await startDiscord(bot, settings.discord, store, runtime.logger);
    adapters.push({ name: 'discord', close: () => adapter.close() });
  }
  return adapters;
}
