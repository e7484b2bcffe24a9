import { expect } from 'vitest';
import { discordSettings } from '../../src/app/chat-adapters.js';
import type { ChatBot } from '../../src/bot/adapters/chat.js';
import {
  type DiscordAdapter,
  type DiscordSettings,
  startDiscord,
} from '../../src/bot/adapters/discord/client.js';
import { registerCommands } from '../../src/bot/adapters/discord/register.js';
import { liveMessageStore } from '../../src/db/live-messages.js';
import { type ChatLab, startChatLab } from './chat-lab.js';
import {
  FakeDiscord,
  type FakeDiscordOptions,
  type InteractionUser,
  type StoredMessage,
} from './fake-discord.js';
import type { LabFleet } from './lab.js';

export interface DiscordPatchops {
  lab: ChatLab;
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  /** Every command takes this long in the core first (to drive the 3-second deferral). */
  delay: { ms: number };
  command(user: DiscordUser, subcommand: string, options?: Record<string, string | boolean>): string;
  click(user: DiscordUser, message: StoredMessage, label: string): string;
  /** The message in the channel whose embeds or content first match (waits for it). */
  message(text: string | RegExp, channel?: string, timeoutMs?: number): Promise<StoredMessage>;
  close(): Promise<void>;
}

export interface DiscordUser extends InteractionUser {
  roles?: string[];
}

export const textOf = (message: StoredMessage) => `${message.content} ${JSON.stringify(message.embeds)}`;

export function customIdOf(message: StoredMessage, label: string): string {
  for (const row of message.components) {
    for (const button of row.components) {
      if ('label' in button && button.label === label && 'custom_id' in button) return button.custom_id;
    }
  }
  throw new Error(`no button '${label}' on message ${message.id}: ${JSON.stringify(message.components)}`);
}

/** patchops with the real Discord adapter (discord.js) against the fake Discord, on lab hosts. */
export async function startDiscordPatchops(
  fleet: LabFleet,
  options: {
    hosts: number;
    vars: Record<string, unknown>;
    file: object;
    fake?: FakeDiscordOptions;
    adapter?: Partial<DiscordSettings>;
  },
): Promise<DiscordPatchops> {
  const fake = await FakeDiscord.start(options.fake);
  const lab = await startChatLab(fleet, {
    ...options,
    env: {
      DISCORD_TOKEN: 'test-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    },
  });
  const settings = discordSettings(lab.config);
  if (!settings) throw new Error('Discord is not configured');
  await registerCommands(settings);
  const delay = { ms: 0 };
  const bot: ChatBot = {
    live: lab.bot.live,
    async handle(text, actor) {
      if (delay.ms > 0) await new Promise((resolve) => setTimeout(resolve, delay.ms));
      return lab.bot.handle(text, actor);
    },
  };
  const store = liveMessageStore(lab.runtime.database.db, 'discord');
  const adapter = await startDiscord(bot, { ...settings, ...options.adapter }, store, lab.runtime.logger);
  const who = ({ roles, ...user }: DiscordUser) => ({ user, ...(roles ? { roles } : {}) });

  return {
    lab,
    fake,
    adapter,
    delay,
    command(user, subcommand, given = {}) {
      const interaction = fake.chatInputInteraction({ ...who(user), subcommand, options: given });
      fake.sendInteraction(interaction);
      return interaction.id;
    },
    click(user, message, label) {
      const interaction = fake.buttonInteraction({
        ...who(user),
        customId: customIdOf(message, label),
        message,
      });
      fake.sendInteraction(interaction);
      return interaction.id;
    },
    async message(text, channel = fake.channelId, timeoutMs = 30_000) {
      const matches = (m: StoredMessage) =>
        m.channel_id === channel &&
        (typeof text === 'string' ? textOf(m).includes(text) : text.test(textOf(m)));
      const seen = () => [...fake.messages.values()].map((m) => `${m.id} ${m.embeds[0]?.title ?? m.content}`);
      await expect
        .poll(() => [...fake.messages.values()].some(matches), { timeout: timeoutMs })
        .toBe(true)
        .catch((error: unknown) => {
          throw new Error(`${text} not in ${channel}: ${String(error)}; messages: ${seen().join('; ')}`);
        });
      return [...fake.messages.values()].find(matches) as StoredMessage;
    },
    async close() {
      await adapter.close();
      await lab.close();
      await fake.close();
    },
  };
}
