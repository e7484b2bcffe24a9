/** Message bodies in (checked like Discord checks them) and full API message objects out. */
import {
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageInteractionMetadata,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import { z } from 'zod';
import { type DiscordMessage, validateDiscordMessage } from '../../../src/bot/adapters/discord/validate.js';
import { invalidForm, type UploadedFile } from './http.js';
import type { FakeState, InteractionRecord, StoredMessage } from './state.js';

// The fields validateDiscordMessage reads must have the types it assumes; anything else passes through.
const embedSchema = z.looseObject({
  title: z.string().optional(),
  description: z.string().optional(),
  color: z.number().optional(),
  fields: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
  footer: z.looseObject({ text: z.string() }).optional(),
  author: z.looseObject({ name: z.string() }).optional(),
});
const componentSchema = z.looseObject({
  type: z.number(),
  style: z.number().optional(),
  label: z.string().optional(),
  custom_id: z.string().optional(),
});
const rowSchema = z.looseObject({ type: z.number(), components: z.array(componentSchema) });
const bodySchema = z.looseObject({
  content: z.string().nullish(),
  embeds: z.array(embedSchema).nullish(),
  components: z.array(rowSchema).nullish(),
  flags: z.number().int().nullish(),
});

/** A create or edit body: absent fields stay as they are on edit, null clears them. */
export interface MessagePatch {
  content?: string;
  embeds?: APIEmbed[];
  components?: DiscordMessage['components'];
  flags?: number;
}

export function parseMessagePatch(state: FakeState, path: string, body: unknown): MessagePatch {
  const parsed = bodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw invalidForm(
      state,
      path,
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const { content, embeds, components, flags } = parsed.data;
  const patch: MessagePatch = {};
  if (content !== undefined) patch.content = content ?? '';
  // zod has checked every field the validator reads; the rest of each object is Discord's to define.
  if (embeds !== undefined) patch.embeds = (embeds ?? []) as APIEmbed[];
  if (components !== undefined) patch.components = (components ?? []) as DiscordMessage['components'];
  if (flags !== undefined && flags !== null) patch.flags = flags;
  return patch;
}

/** The message as it would be after `patch`; throws Discord's 50035 if that breaks a documented limit. */
export function applyPatch(
  state: FakeState,
  path: string,
  base: DiscordMessage,
  patch: MessagePatch,
): DiscordMessage {
  const next: DiscordMessage = {
    content: patch.content ?? base.content ?? '',
    embeds: patch.embeds ?? base.embeds,
    components: patch.components ?? base.components,
  };
  const problems = validateDiscordMessage(next);
  if (problems.length > 0) throw invalidForm(state, path, problems);
  return next;
}

function attachments(state: FakeState, channelId: string, files: UploadedFile[]): APIAttachment[] {
  return files.map((file) => {
    const id = state.snowflake();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    return { id, filename: file.name, size: file.size, url, proxy_url: url, content_type: file.contentType };
  });
}

export interface NewMessage {
  channelId: string;
  patch: MessagePatch;
  files?: UploadedFile[];
  interactionId?: string;
  /** The deferred "thinking" reply: no content yet, which Discord allows only for it. */
  loading?: boolean;
}

export function createMessage(state: FakeState, path: string, input: NewMessage): StoredMessage {
  const empty: DiscordMessage = { content: '', embeds: [], components: [] };
  const body = input.loading ? { ...empty, ...input.patch } : applyPatch(state, path, empty, input.patch);
  const flags = (input.patch.flags ?? 0) | (input.loading ? MessageFlags.Loading : 0);
  const message: StoredMessage = {
    id: state.snowflake(),
    channel_id: input.channelId,
    content: body.content ?? '',
    embeds: body.embeds,
    components: body.components,
    attachments: attachments(state, input.channelId, input.files ?? []),
    flags,
    edits: 0,
    ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    interactionId: input.interactionId,
    timestamp: new Date().toISOString(),
    editedTimestamp: null,
  };
  state.messages.set(message.id, message);
  return message;
}

/** Edits in place. Ephemerality never changes on edit; the Loading flag goes with the first edit. */
export function editMessage(
  state: FakeState,
  path: string,
  message: StoredMessage,
  patch: MessagePatch,
  files: UploadedFile[] = [],
): StoredMessage {
  const next = applyPatch(state, path, message, patch);
  message.content = next.content ?? '';
  message.embeds = next.embeds;
  message.components = next.components;
  message.attachments.push(...attachments(state, message.channel_id, files));
  const keep = MessageFlags.Ephemeral & message.flags;
  message.flags = ((patch.flags ?? message.flags) & ~MessageFlags.Loading & ~MessageFlags.Ephemeral) | keep;
  message.edits += 1;
  message.editedTimestamp = new Date().toISOString();
  return message;
}

function interactionMetadata(record: InteractionRecord): APIMessageInteractionMetadata | undefined {
  const { payload } = record;
  const user = payload.member?.user ?? payload.user;
  if (!user) return undefined;
  const common = {
    id: payload.id,
    user,
    authorizing_integration_owners: payload.authorizing_integration_owners,
  };
  if (payload.type === InteractionType.ApplicationCommand) {
    return { ...common, type: InteractionType.ApplicationCommand };
  }
  if (payload.type === InteractionType.MessageComponent) {
    return { ...common, type: InteractionType.MessageComponent, interacted_message_id: payload.message.id };
  }
  return undefined;
}

/** A full message object, as Discord returns it and discord.js builds a `Message` from. */
export function toApiMessage(state: FakeState, message: StoredMessage): APIMessage {
  const record = message.interactionId ? state.interactions.get(message.interactionId) : undefined;
  const isCommandReply =
    record?.payload.type === InteractionType.ApplicationCommand && record.originalId === message.id;
  const metadata = record && interactionMetadata(record);
  return {
    id: message.id,
    channel_id: message.channel_id,
    author: state.botUser,
    content: message.content,
    timestamp: message.timestamp,
    edited_timestamp: message.editedTimestamp,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments,
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    type: isCommandReply ? MessageType.ChatInputCommand : MessageType.Default,
    flags: message.flags,
    ...(record ? { webhook_id: state.applicationId, application_id: state.applicationId } : {}),
    ...(metadata ? { interaction_metadata: metadata } : {}),
  };
}
