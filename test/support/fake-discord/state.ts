/** What the fake Discord's REST routes, gateway and payload builders share. */
import { randomBytes } from 'node:crypto';
import type {
  APIAttachment,
  APIEmbed,
  APIInteraction,
  APIUser,
  InteractionResponseType,
} from 'discord-api-types/v10';
import type { DiscordMessage } from '../../../src/bot/adapters/discord/validate.js';
import type { RegisteredCommand } from './commands.js';

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Defaults to the application id, as for every bot created since 2016 or so. */
  botUserId?: string;
  /** The initial callback must arrive within this of dispatch (Discord: 3 s). */
  interactionDeadlineMs?: number;
  /** How long the interaction token works for webhook routes (Discord: 15 min). */
  tokenLifetimeMs?: number;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: APIEmbed[];
  components: DiscordMessage['components'];
  attachments: APIAttachment[];
  flags: number;
  /** Successful edits since creation (a deferred reply's first edit counts too). */
  edits: number;
  ephemeral: boolean;
  /** The interaction whose response or follow-up this is; unset for plain channel messages. */
  interactionId?: string;
  timestamp: string;
  editedTimestamp: string | null;
}

export interface ModalInput {
  customId: string;
  /** Discord answers in the shape the modal was sent in: text inputs in action rows or in labels. */
  layout: 'row' | 'label';
  required: boolean;
  minLength: number;
  maxLength: number;
}

export interface ShownModal {
  customId: string;
  inputs: ModalInput[];
  /** The interaction the modal answered: a submit inherits its channel and message. */
  from: InteractionRecord;
}

export interface InteractionRecord {
  payload: APIInteraction;
  dispatchedAt: number;
  response?: InteractionResponseType;
  /** The message `@original` addresses: the reply, or the component's message after a type 6/7. */
  originalId?: string;
  /** Set by a type-5 defer until the first edit or follow-up replaces the "thinking" message. */
  loading?: boolean;
}

export interface InvalidPayload {
  path: string;
  problems: string[];
}

export interface FakeState {
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly guildId: string;
  readonly channelId: string;
  readonly deadlineMs: number;
  readonly tokenLifetimeMs: number;
  readonly messages: Map<string, StoredMessage>;
  readonly interactions: Map<string, InteractionRecord>;
  readonly modals: Map<string, ShownModal>;
  readonly invalid: InvalidPayload[];
  commands: RegisteredCommand[];
  gatewayUrl: string;
  snowflake(): string;
}

const discordEpoch = 1_420_070_400_000n;

/** Real-looking snowflakes (discord.js derives createdAt from them), strictly increasing within a process. */
export function snowflakes(): () => string {
  let last = 0n;
  return () => {
    const fromClock = (BigInt(Date.now()) - discordEpoch) << 22n;
    last = fromClock > last ? fromClock : last + 1n;
    return last.toString();
  };
}

export function createState(options: FakeDiscordOptions = {}): FakeState {
  const snowflake = snowflakes();
  const applicationId = options.applicationId ?? '100000000000000001';
  const botUserId = options.botUserId ?? applicationId;
  return {
    applicationId,
    botUser: {
      id: botUserId,
      username: 'patchops',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    },
    guildId: snowflake(),
    channelId: snowflake(),
    deadlineMs: options.interactionDeadlineMs ?? 3000,
    tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
    messages: new Map(),
    interactions: new Map(),
    modals: new Map(),
    invalid: [],
    commands: [],
    gatewayUrl: '',
    snowflake,
  };
}

export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(60).toString('base64url')}`;
}

export function findByToken(state: FakeState, token: string): InteractionRecord | undefined {
  for (const record of state.interactions.values()) {
    if (record.payload.token === token) return record;
  }
  return undefined;
}
