/** Bot-token REST routes: gateway discovery, identity, channel messages and application commands. */
import { ApplicationFlags, ChannelType, MessageFlags } from 'discord-api-types/v10';
import { putCommands } from './commands.js';
import { DiscordHttpError, invalidForm, type Route, type RouteRequest, unknownMessage } from './http.js';
import { createMessage, editMessage, parseMessagePatch, toApiMessage } from './messages.js';
import type { FakeState } from './state.js';
import { webhookRoutes } from './webhooks.js';

function gateway(state: FakeState) {
  return {
    url: state.gatewayUrl,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
  };
}

/** A channel message the bot can see: ephemeral ones belong to their interaction's webhook only. */
function channelMessage(state: FakeState, request: RouteRequest) {
  const [channelId, messageId] = request.params;
  const message = messageId === undefined ? undefined : state.messages.get(messageId);
  if (!message || message.channel_id !== channelId || message.ephemeral) throw unknownMessage();
  return message;
}

function ownApplication(state: FakeState, request: RouteRequest): void {
  if (request.params[0] !== state.applicationId) {
    throw new DiscordHttpError(
      403,
      20012,
      'You are not authorized to perform this action on this application',
    );
  }
}

const botRoutes: Route[] = [
  {
    method: 'GET',
    template: '/gateway',
    auth: false,
    handle: (_, state) => ({ status: 200, body: { url: state.gatewayUrl } }),
  },
  {
    method: 'GET',
    template: '/gateway/bot',
    auth: true,
    handle: (_, state) => ({ status: 200, body: gateway(state) }),
  },
  {
    method: 'GET',
    template: '/users/@me',
    auth: true,
    handle: (_, state) => ({ status: 200, body: state.botUser }),
  },
  {
    method: 'GET',
    template: '/applications/@me',
    auth: true,
    handle: (_, state) => ({
      status: 200,
      body: {
        id: state.applicationId,
        name: state.botUser.username,
        icon: null,
        description: '',
        bot_public: false,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: ApplicationFlags.GatewayMessageContentLimited,
        bot: state.botUser,
      },
    }),
  },
  {
    method: 'GET',
    template: '/channels/:channel',
    auth: true,
    handle: (request, state) => ({
      status: 200,
      body: {
        id: request.params[0],
        type: ChannelType.GuildText,
        guild_id: state.guildId,
        name: 'patchops',
        position: 0,
        permission_overwrites: [],
        nsfw: false,
        topic: null,
        parent_id: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      },
    }),
  },
  {
    method: 'POST',
    template: '/channels/:channel/messages',
    auth: true,
    handle: (request, state) => {
      const patch = parseMessagePatch(state, request.path, request.body);
      if ((patch.flags ?? 0) & MessageFlags.Ephemeral) {
        throw invalidForm(state, request.path, ['flags: only interaction responses can be ephemeral']);
      }
      const channelId = request.params[0] ?? '';
      const message = createMessage(state, request.path, { channelId, patch, files: request.files });
      return { status: 200, body: toApiMessage(state, message) };
    },
  },
  {
    method: 'GET',
    template: '/channels/:channel/messages/:message',
    auth: true,
    handle: (request, state) => ({ status: 200, body: toApiMessage(state, channelMessage(state, request)) }),
  },
  {
    method: 'PATCH',
    template: '/channels/:channel/messages/:message',
    auth: true,
    handle: (request, state) => {
      const message = channelMessage(state, request);
      const patch = parseMessagePatch(state, request.path, request.body);
      editMessage(state, request.path, message, patch, request.files);
      return { status: 200, body: toApiMessage(state, message) };
    },
  },
  {
    method: 'GET',
    template: '/applications/:app/commands',
    auth: true,
    handle: (request, state) => {
      ownApplication(state, request);
      return { status: 200, body: state.commands };
    },
  },
  {
    method: 'PUT',
    template: '/applications/:app/commands',
    auth: true,
    handle: (request, state) => {
      ownApplication(state, request);
      return putCommands(request, state);
    },
  },
  {
    method: 'PUT',
    template: '/applications/:app/guilds/:guild/commands',
    auth: true,
    handle: (request, state) => {
      ownApplication(state, request);
      return putCommands(request, state);
    },
  },
];

export const routes: Route[] = [...botRoutes, ...webhookRoutes];
