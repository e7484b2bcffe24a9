/** INTERACTION_CREATE payloads shaped like the ones Discord sends for a guild text channel. */
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIModalSubmitInteraction,
  type APIUser,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  ApplicationCommandOptionType as OptionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { CommandOption } from './commands.js';
import { toApiMessage } from './messages.js';
import { submission } from './modal.js';
import { type FakeState, interactionToken, type StoredMessage } from './state.js';

export interface InteractionUser {
  id: string;
  username: string;
  globalName?: string;
}

export interface InteractionWho {
  user: InteractionUser;
  /** Role ids of the member in the guild. */
  roles?: string[];
  channelId?: string;
  guildId?: string;
  /** The member's permission bits; by default what @everyone has in a plain server. */
  permissions?: bigint;
}

export type OptionValue = string | boolean | number;

const memberPermissions =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;
const appPermissions = memberPermissions | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.AttachFiles;

function apiUser(user: InteractionUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName ?? null,
    avatar: null,
  };
}

function base(state: FakeState, who: InteractionWho) {
  const guildId = who.guildId ?? state.guildId;
  const channelId = who.channelId ?? state.channelId;
  return {
    id: state.snowflake(),
    application_id: state.applicationId,
    token: interactionToken(),
    version: 1 as const,
    guild_id: guildId,
    guild: { id: guildId, features: [], locale: Locale.EnglishUS },
    guild_locale: Locale.EnglishUS,
    channel_id: channelId,
    channel: {
      id: channelId,
      type: ChannelType.GuildText as const,
      guild_id: guildId,
      name: 'patchops',
      permissions: (who.permissions ?? memberPermissions).toString(),
    },
    member: {
      user: apiUser(who.user),
      roles: who.roles ?? [],
      permissions: (who.permissions ?? memberPermissions).toString(),
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: appPermissions.toString(),
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

type DataOption = APIApplicationCommandInteractionDataBasicOption<InteractionType.ApplicationCommand>;

function typedOption(name: string, value: OptionValue, declared: CommandOption | undefined): DataOption {
  let option: DataOption;
  if (typeof value === 'string') option = { type: OptionType.String, name, value };
  else if (typeof value === 'boolean') option = { type: OptionType.Boolean, name, value };
  else if (declared?.type === OptionType.Number || !Number.isInteger(value)) {
    option = { type: OptionType.Number, name, value };
  } else option = { type: OptionType.Integer, name, value };
  if (declared && declared.type !== option.type) {
    throw new Error(`option '${name}' is declared as type ${declared.type}, not ${option.type}`);
  }
  if (declared?.choices?.length && !declared.choices.some((choice) => choice.value === value)) {
    throw new Error(`option '${name}': ${JSON.stringify(value)} is not one of its choices`);
  }
  return option;
}

/** The registered options at the level the user filled in, if the command was registered. */
function declaredLevel(state: FakeState, command: string, subcommand?: string): CommandOption[] | undefined {
  const registered = state.commands.find(
    (c) => c.type === ApplicationCommandType.ChatInput && c.name === command,
  );
  if (!registered) return undefined;
  if (subcommand === undefined) return registered.options ?? [];
  const sub = registered.options?.find((o) => o.type === OptionType.Subcommand && o.name === subcommand);
  if (!sub) throw new Error(`/${command} has no subcommand '${subcommand}'`);
  return sub.options ?? [];
}

export interface ChatInputSpec extends InteractionWho {
  commandName?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
}

/**
 * A slash command as the user typed it. When the command was registered through the fake, option types
 * come from its definition and anything Discord's client would not let through (unknown or missing
 * required options, values outside the choices) throws.
 */
export function chatInputInteraction(
  state: FakeState,
  spec: ChatInputSpec,
): APIChatInputApplicationCommandGuildInteraction {
  const name = spec.commandName ?? 'patch';
  const declared = declaredLevel(state, name, spec.subcommand);
  const given = Object.entries(spec.options ?? {});
  for (const option of declared ?? []) {
    if (option.required && !(option.name in (spec.options ?? {}))) {
      throw new Error(`/${name} ${spec.subcommand ?? ''}: required option '${option.name}' missing`);
    }
  }
  const options = given.map(([key, value]) => {
    const declaration = declared?.find((o) => o.name === key);
    if (declared && !declaration) throw new Error(`/${name} ${spec.subcommand ?? ''} has no option '${key}'`);
    return typedOption(key, value, declaration);
  });
  const data: APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[] =
    spec.subcommand === undefined
      ? options
      : [{ type: OptionType.Subcommand, name: spec.subcommand, options }];
  const registered = state.commands.find((c) => c.name === name);
  return {
    ...base(state, spec),
    type: InteractionType.ApplicationCommand,
    data: {
      id: registered?.id ?? state.snowflake(),
      type: ApplicationCommandType.ChatInput,
      name,
      options: data,
      ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    },
  };
}

function storedMessage(state: FakeState, message: StoredMessage | string): StoredMessage {
  const id = typeof message === 'string' ? message : message.id;
  const stored = state.messages.get(id);
  if (!stored) throw new Error(`no message ${id} in the fake`);
  return stored;
}

export interface ButtonSpec extends Omit<InteractionWho, 'channelId'> {
  customId: string;
  message: StoredMessage | string;
}

/** A click on a button of a message the fake holds; a button the message does not have throws. */
export function buttonInteraction(state: FakeState, spec: ButtonSpec): APIMessageComponentButtonInteraction {
  const message = storedMessage(state, spec.message);
  const ids = message.components.flatMap((row) =>
    row.components.map((button) => ('custom_id' in button ? button.custom_id : undefined)),
  );
  if (!ids.includes(spec.customId)) {
    throw new Error(`message ${message.id} has no button '${spec.customId}' (has ${ids.join(', ')})`);
  }
  return {
    ...base(state, { ...spec, channelId: message.channel_id }),
    type: InteractionType.MessageComponent,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
    message: toApiMessage(state, message),
  };
}

export interface ModalSubmitSpec extends Omit<InteractionWho, 'channelId'> {
  customId: string;
  fields: Record<string, string>;
  /** Defaults to the message of the component interaction that showed the modal, if any. */
  message?: StoredMessage | string;
}

/** The submit of a modal shown through the fake (by `showModal`), in the layout it was sent in. */
export function modalSubmitInteraction(state: FakeState, spec: ModalSubmitSpec): APIModalSubmitInteraction {
  const modal = state.modals.get(spec.customId);
  if (!modal) throw new Error(`no modal '${spec.customId}' was shown, so Discord could not send its submit`);
  const from = modal.from.payload;
  let message: APIMessage | undefined;
  if (spec.message !== undefined) message = toApiMessage(state, storedMessage(state, spec.message));
  else if (from.type === InteractionType.MessageComponent) {
    const current = state.messages.get(from.message.id);
    message = current ? toApiMessage(state, current) : from.message;
  }
  return {
    ...base(state, { ...spec, channelId: from.channel?.id }),
    type: InteractionType.ModalSubmit,
    data: { custom_id: spec.customId, components: submission(modal, spec.fields) },
    ...(message ? { message } : {}),
  };
}
