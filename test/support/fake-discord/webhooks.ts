/** The interaction callback and the interaction-token webhook routes, with Discord's timing rules. */
import { InteractionType, MessageFlags, InteractionResponseType as Response } from 'discord-api-types/v10';
import { z } from 'zod';
import {
  DiscordHttpError,
  invalidForm,
  invalidWebhookToken,
  type Route,
  type RouteReply,
  type RouteRequest,
  unknownInteraction,
  unknownMessage,
} from './http.js';
import { createMessage, editMessage, parseMessagePatch, toApiMessage } from './messages.js';
import { checkModal } from './modal.js';
import { type FakeState, findByToken, type InteractionRecord, type StoredMessage } from './state.js';

const callbackSchema = z.object({ type: z.number().int(), data: z.unknown().optional() });

function channelOf(record: InteractionRecord): string {
  return record.payload.channel?.id ?? record.payload.channel_id ?? '';
}

/** The message a component (or a modal opened from one) sits on: what type 6/7 responses act on. */
function componentMessage(state: FakeState, record: InteractionRecord, path: string, type: number) {
  const id = record.payload.message?.id;
  if (!id) {
    throw invalidForm(state, path, [`response type ${type} is only valid for component interactions`]);
  }
  const message = state.messages.get(id);
  if (!message) throw unknownMessage();
  return message;
}

function respond(
  state: FakeState,
  record: InteractionRecord,
  request: RouteRequest,
  type: number,
  data: unknown,
) {
  const { path } = request;
  const interactionId = record.payload.id;
  switch (type) {
    case Response.ChannelMessageWithSource: {
      const patch = parseMessagePatch(state, path, data);
      const message = createMessage(state, path, { channelId: channelOf(record), patch, interactionId });
      record.originalId = message.id;
      return message;
    }
    case Response.DeferredChannelMessageWithSource: {
      const { flags } = parseMessagePatch(state, path, data);
      const patch = { flags: (flags ?? 0) & MessageFlags.Ephemeral };
      const message = createMessage(state, path, {
        channelId: channelOf(record),
        patch,
        interactionId,
        loading: true,
      });
      record.originalId = message.id;
      record.loading = true;
      return message;
    }
    case Response.DeferredMessageUpdate:
      record.originalId = componentMessage(state, record, path, type).id;
      return undefined;
    case Response.UpdateMessage: {
      const message = componentMessage(state, record, path, type);
      editMessage(state, path, message, parseMessagePatch(state, path, data), request.files);
      record.originalId = message.id;
      return message;
    }
    case Response.Modal: {
      if (record.payload.type === InteractionType.ModalSubmit) {
        throw invalidForm(state, path, ['a modal submit cannot be answered with another modal']);
      }
      const modal = checkModal(state, path, data);
      state.modals.set(modal.customId, { ...modal, from: record });
      return undefined;
    }
    default:
      throw invalidForm(state, path, [`response type ${type} is not supported by the fake`]);
  }
}

export function interactionCallback(request: RouteRequest, state: FakeState): RouteReply {
  const [id, token] = request.params;
  const record = id === undefined ? undefined : state.interactions.get(id);
  if (!record || record.payload.token !== token) throw unknownInteraction();
  if (record.response !== undefined) {
    throw new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.');
  }
  // Past the deadline Discord has already shown "The application did not respond" and forgets the id.
  if (Date.now() - record.dispatchedAt > state.deadlineMs) throw unknownInteraction();
  const parsed = callbackSchema.safeParse(request.body);
  if (!parsed.success)
    throw invalidForm(
      state,
      request.path,
      parsed.error.issues.map((i) => i.message),
    );
  const { type, data } = parsed.data;
  const message = respond(state, record, request, type, data);
  record.response = type;
  if (request.query.with_response !== 'true') return { status: 204 };
  const interaction = {
    id: record.payload.id,
    type: record.payload.type,
    ...(message
      ? {
          response_message_id: message.id,
          response_message_loading:
            record.loading === true && type === Response.DeferredChannelMessageWithSource,
          response_message_ephemeral: message.ephemeral,
        }
      : {}),
  };
  const resource = message ? { type, message: toApiMessage(state, message) } : undefined;
  return { status: 200, body: resource ? { interaction, resource } : { interaction } };
}

function tokenRecord(state: FakeState, request: RouteRequest): InteractionRecord {
  const [applicationId, token] = request.params;
  const record = token === undefined ? undefined : findByToken(state, token);
  if (!record || applicationId !== state.applicationId) throw invalidWebhookToken();
  if (Date.now() - record.dispatchedAt > state.tokenLifetimeMs) throw invalidWebhookToken();
  return record;
}

function addressed(
  state: FakeState,
  record: InteractionRecord,
  messageId: string | undefined,
): StoredMessage {
  const id = messageId === '@original' ? record.originalId : messageId;
  const message = id === undefined ? undefined : state.messages.get(id);
  // By id, the webhook reaches only messages it sent; `@original` also reaches a component's message.
  if (!message || (messageId !== '@original' && message.interactionId === undefined)) throw unknownMessage();
  return message;
}

function followUp(request: RouteRequest, state: FakeState): RouteReply {
  const record = tokenRecord(state, request);
  if (record.response === undefined) throw new DiscordHttpError(404, 10015, 'Unknown Webhook');
  const patch = parseMessagePatch(state, request.path, request.body);
  let message: StoredMessage;
  const original = record.originalId === undefined ? undefined : state.messages.get(record.originalId);
  if (record.loading && original) {
    // Discord's documented quirk: the first follow-up after a type-5 defer replaces the "thinking" message.
    message = editMessage(state, request.path, original, patch, request.files);
    record.loading = false;
  } else {
    const channelId = channelOf(record);
    message = createMessage(state, request.path, {
      channelId,
      patch,
      files: request.files,
      interactionId: record.payload.id,
    });
  }
  if (request.query.wait === 'false') return { status: 204 };
  return { status: 200, body: toApiMessage(state, message) };
}

const webhookMessage = '/webhooks/:app/:token/messages/:message';

export const webhookRoutes: Route[] = [
  { method: 'POST', template: '/interactions/:id/:token/callback', auth: false, handle: interactionCallback },
  { method: 'POST', template: '/webhooks/:app/:token', auth: false, handle: followUp },
  {
    method: 'GET',
    template: webhookMessage,
    auth: false,
    handle: (request, state) => {
      const record = tokenRecord(state, request);
      return { status: 200, body: toApiMessage(state, addressed(state, record, request.params[2])) };
    },
  },
  {
    method: 'PATCH',
    template: webhookMessage,
    auth: false,
    handle: (request, state) => {
      const record = tokenRecord(state, request);
      const message = addressed(state, record, request.params[2]);
      const patch = parseMessagePatch(state, request.path, request.body);
      editMessage(state, request.path, message, patch, request.files);
      if (message.id === record.originalId) record.loading = false;
      return { status: 200, body: toApiMessage(state, message) };
    },
  },
  {
    method: 'DELETE',
    template: webhookMessage,
    auth: false,
    handle: (request, state) => {
      const record = tokenRecord(state, request);
      state.messages.delete(addressed(state, record, request.params[2]).id);
      return { status: 204 };
    },
  },
];
