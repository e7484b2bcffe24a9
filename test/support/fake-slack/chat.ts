import type { Body } from './body.js';
import { fail, type Method, ok, rejected, str } from './reply.js';
import type { StoredMessage } from './state.js';

/* chat.* as https://docs.slack.dev/reference/methods/chat.postMessage and its siblings describe them. */

const blocksOf = (body: Body): unknown[] => (Array.isArray(body.blocks) ? body.blocks : []);

function asPosted(message: StoredMessage): Body {
  return {
    type: 'message',
    text: message.text,
    blocks: message.blocks,
    user: 'UBOT',
    bot_id: 'BBOT',
    ts: message.ts,
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
  };
}

// Not rate-limited here: Slack allows bursts of about one message a second per channel, and the limit
// the issue is about is chat.update's Tier 3.
const postMessage: Method = (state, body) => {
  const channel = str(body.channel);
  if (!channel) return fail('channel_not_found');
  if (state.notInChannel.has(channel)) return fail('not_in_channel');
  const rejection = state.rejectMessage('chat.postMessage', body);
  if (rejection) return rejected(rejection);
  const ts = state.nextTs();
  const threadTs = str(body.thread_ts);
  const message: StoredMessage = {
    channel,
    ts,
    text: str(body.text) ?? '',
    blocks: blocksOf(body),
    updates: 0,
  };
  if (threadTs) message.thread_ts = threadTs;
  state.messages.set(`${channel}:${ts}`, message);
  return ok({ channel, ts, message: asPosted(message) });
};

const update: Method = (state, body, token) => {
  const slot = state.chatUpdates.take(token, Date.now());
  if (!slot.ok) {
    return {
      status: 429,
      json: { ok: false, error: 'ratelimited' },
      headers: { 'Retry-After': String(slot.retryAfterSec) },
    };
  }
  const rejection = state.rejectMessage('chat.update', body);
  if (rejection) return rejected(rejection);
  const message = state.messages.get(`${str(body.channel)}:${str(body.ts)}`);
  if (!message) return fail('message_not_found');
  if (typeof body.text === 'string') message.text = body.text;
  if (body.blocks !== undefined) message.blocks = blocksOf(body);
  message.updates += 1;
  return ok({ channel: message.channel, ts: message.ts, text: message.text, message: asPosted(message) });
};

const postEphemeral: Method = (state, body) => {
  const channel = str(body.channel);
  const user = str(body.user);
  if (!channel) return fail('channel_not_found');
  if (!user) return fail('invalid_arguments', { errors: ['user is required'] });
  const rejection = state.rejectMessage('chat.postEphemeral', body);
  if (rejection) return rejected(rejection);
  state.ephemeral.push({ channel, user, text: str(body.text) ?? '', blocks: blocksOf(body) });
  return ok({ message_ts: state.nextTs() });
};

const remove: Method = (state, body) => {
  const key = `${str(body.channel)}:${str(body.ts)}`;
  const message = state.messages.get(key);
  if (!message) return fail('message_not_found');
  state.messages.delete(key);
  return ok({ channel: message.channel, ts: message.ts });
};

export const CHAT_METHODS: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': remove,
};
