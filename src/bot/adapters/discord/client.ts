import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  type GuildMember,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type ModalSubmitInteraction,
  Routes,
} from 'discord.js';
import { commandError } from '../../core/command-error.js';
import { promptedCommand } from '../../core/grammar/quote.js';
import type { Reply } from '../../core/handle.js';
import type { Actor } from '../../core/permissions.js';
import { errorView } from '../../core/views/index.js';
import { type LiveMessageStore, LiveMessages, type MessageRef } from '../../live/live-messages.js';
import { type ChatBot, type ChatLogger, commandRunner } from '../chat.js';
import { COMMAND_NAME, commandText } from './commands.js';
import { decodeCustomId } from './custom-id.js';
import { promptedValue, promptModal } from './modal.js';
import type { RegisterSettings } from './register.js';
import { type DiscordMessage, renderDiscordMessage } from './render.js';

export interface DiscordSettings extends RegisterSettings {
  alertsChannel?: string;
  alertsRole?: string;
  /** Discord role id → patchops group. */
  roles: Record<string, string>;
  /** Interaction tokens last 15 minutes; past this, live views are edited as the bot's own messages. */
  tokenLifetimeMs?: number;
  /** A command that has not answered by then is deferred (Discord's deadline is 3 s). */
  deferAfterMs?: number;
}

export interface DiscordAdapter {
  client: Client;
  live: LiveMessages;
  close(): Promise<void>;
}

/** A minute of margin: an edit sent just before the token lapses may arrive after it. */
const TOKEN_LIFETIME_MS = 14 * 60_000;

type Replyable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

function rolesOf(member: Interaction['member']): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...(member as GuildMember).roles.cache.keys()];
}

/** A rendered view as discord.js reply options; replies never ping anyone (only alerts do). */
function replyOptions(message: DiscordMessage, ephemeral = false): InteractionReplyOptions {
  return {
    embeds: message.embeds,
    components: message.components,
    ...(message.content ? { content: message.content } : {}),
    allowedMentions: { parse: [] },
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** The same, as a raw REST body (edits by token or by message id). */
const restBody = (message: DiscordMessage) => ({
  embeds: message.embeds,
  components: message.components,
  allowed_mentions: { parse: [] },
});

/**
 * The Discord adapter: `/patch <subcommand>` in, embeds and buttons out. Typed commands answer in the
 * channel (deferred when the core takes longer than `deferAfterMs`); a button runs its command and
 * replaces its card; errors and help are ephemeral. Live views are edited through the interaction token
 * while it lasts, then as the bot's own message.
 */
export async function startDiscord(
  bot: ChatBot,
  settings: DiscordSettings,
  store: LiveMessageStore,
  logger: ChatLogger,
): Promise<DiscordAdapter> {
  const client = new Client({ intents: [], ...(settings.apiUrl ? { rest: { api: settings.apiUrl } } : {}) });
  const lifetime = settings.tokenLifetimeMs ?? TOKEN_LIFETIME_MS;
  const runCommand = commandRunner(bot, logger, 'discord');

  const live = new LiveMessages(
    bot.live,
    store,
    async (ref, view) => {
      const body = restBody(renderDiscordMessage(view));
      if (ref.token && ref.tokenExpiresAt && ref.tokenExpiresAt.getTime() > Date.now()) {
        const route = Routes.webhookMessage(settings.applicationId, ref.token, '@original');
        await client.rest.patch(route, { body, auth: false });
      } else {
        await client.rest.patch(Routes.channelMessage(ref.channel, ref.message), { body });
      }
    },
    (error) => logger.warn({ err: String(error) }, 'discord: a live view edit failed'),
  );

  const actorOf = (interaction: Replyable): Actor => ({
    id: interaction.user.id,
    name: interaction.user.username,
    groups: rolesOf(interaction.member).flatMap((role) => settings.roles[role] ?? []),
  });

  const run = (interaction: Replyable, text: string) => runCommand(text, () => actorOf(interaction));

  const refOf = (interaction: Replyable, message: string): MessageRef => ({
    channel: interaction.channelId ?? '',
    message,
    token: interaction.token,
    tokenExpiresAt: new Date(interaction.createdTimestamp + lifetime),
  });

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const text = commandText(interaction.options.data);
    const working = text
      ? run(interaction, text)
      : Promise.resolve({ view: errorView(commandError('unknown_command', 'Unknown /patch command.')) });
    const early = await Promise.race([
      working,
      new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), settings.deferAfterMs ?? 1500),
      ),
    ]);
    let reply: Reply;
    if (early) {
      reply = early;
      await interaction.reply(replyOptions(renderDiscordMessage(reply.view), reply.view.ephemeral));
    } else {
      await interaction.deferReply();
      reply = await working;
      // A deferred reply is public and stays so (a follow-up would only replace it): a slow error shows
      // in the channel. Errors found without I/O (grammar, permissions) come before the deferral.
      await interaction.editReply(
        replyOptions(renderDiscordMessage(reply.view)) as InteractionEditReplyOptions,
      );
    }
    if (reply.watch && !reply.view.ephemeral) {
      const sent = await interaction.fetchReply();
      await live.track(reply.watch, refOf(interaction, sent.id));
    }
  }

  /** A button's (or its prompt's) answer replaces the card; errors go only to the clicker. */
  async function onCard(interaction: ButtonInteraction | ModalSubmitInteraction, command: string) {
    await interaction.deferUpdate();
    const reply = await run(interaction, command);
    const message = renderDiscordMessage(reply.view);
    if (reply.view.ephemeral) {
      await interaction.followUp(replyOptions(message, true));
      return;
    }
    const card = interaction.message?.id;
    if (!card) return;
    await live.show(refOf(interaction, card), reply.view, reply.watch);
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME) {
      return onCommand(interaction);
    }
    if (interaction.isButton()) {
      const clicked = decodeCustomId(interaction.customId);
      if (!clicked) return;
      if (clicked.prompt) {
        return interaction.showModal(
          promptModal(interaction.customId, { ...clicked, prompt: clicked.prompt }),
        );
      }
      return onCard(interaction, clicked.command);
    }
    if (interaction.isModalSubmit()) {
      const prompted = promptedValue(interaction);
      if (prompted) return onCard(interaction, promptedCommand(prompted.button, prompted.value));
    }
  }

  client.on(Events.InteractionCreate, (interaction) => {
    onInteraction(interaction).catch((error: unknown) =>
      logger.warn({ err: String(error) }, 'discord: an interaction failed'),
    );
  });

  const stopAlerts = bot.live.onAlert(async (view) => {
    if (!settings.alertsChannel) return;
    const message = renderDiscordMessage(view);
    const role = settings.alertsRole;
    const body = role
      ? { ...restBody(message), content: `<@&${role}>`, allowed_mentions: { roles: [role] } }
      : restBody(message);
    await client.rest
      .post(Routes.channelMessages(settings.alertsChannel), { body })
      .catch((error: unknown) => logger.error({ err: String(error) }, 'discord: an alert was not posted'));
  });

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(settings.token);
  await ready;
  const resumed = await live.resume();
  logger.info({ resumed }, 'discord adapter started');

  return {
    client,
    live,
    async close() {
      stopAlerts();
      live.close();
      await client.destroy();
    },
  };
}
