import { Server } from 'node:http';
import { App, type RespondFn } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { commandError } from '../../core/command-error.js';
import type { Reply } from '../../core/handle.js';
import { errorView } from '../../core/views/index.js';
import type { View } from '../../core/views.js';
import { RateLimitedError } from '../../live/edit-queue.js';
import { type LiveMessageStore, LiveMessages, type MessageRef } from '../../live/live-messages.js';
import { type ChatBot, type ChatLogger, commandRunner } from '../chat.js';
import { parseButtonValue, renderSlackMessage, type SlackMessage } from './blocks.js';
import { SlackDirectory } from './directory.js';
import { boltLogger } from './logger.js';
import { PROMPT_CALLBACK_ID, promptedSubmission, promptModal } from './modal.js';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode: requests to /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode (no public URL): an app-level token. */
  appToken?: string;
  apiUrl?: string;
  port: number;
  alertsChannel?: string;
  /** Slack mention syntax, e.g. `<!subteam^S0123>`. */
  alertsMention?: string;
  /** Slack user group id → patchops group. */
  groups: Record<string, string>;
}

export interface SlackAdapter {
  app: App;
  live: LiveMessages;
  /** The HTTP port listened on (PORT, or the one chosen for PORT=0); undefined in Socket Mode. */
  port?: number;
  close(): Promise<void>;
}

/** Where a reply goes: the channel, who asked, and the response_url to answer them privately. */
interface Audience {
  channel: string;
  user: string;
  respond?: RespondFn;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const platformError = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'data' in error
    ? (error as { data?: { error?: string } }).data?.error
    : undefined;

/** The bot may not be in the channel it was asked from; the asker then gets the view privately. */
const NOT_IN_CHANNEL = ['not_in_channel', 'channel_not_found', 'is_archived'];

/**
 * The Slack adapter: `/patch` in, Block Kit out. Typed commands post a new message; a button runs the
 * command it carries and replaces its card; errors and help go only to the asker. Behaviour lives in the
 * core: this file translates and decides where a view is shown.
 */
export async function startSlack(
  bot: ChatBot,
  settings: SlackSettings,
  store: LiveMessageStore,
  logger: ChatLogger,
): Promise<SlackAdapter> {
  const socketMode = settings.appToken !== undefined;
  // A fresh object each time: Bolt and the Socket Mode client write their retry settings into theirs.
  const clientOptions = () => (settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {});
  const app = new App({
    token: settings.botToken,
    ...(socketMode
      ? { socketMode: true, appToken: settings.appToken }
      : { signingSecret: settings.signingSecret ?? '' }),
    clientOptions: clientOptions(),
    logger: boltLogger(logger),
    // Bolt checks the token at once; deferred, a bad token becomes our error message, not a crash.
    deferInitialization: true,
  });
  try {
    await app.init();
  } catch (error) {
    throw new Error(`Slack: the bot token was refused (${errorText(error)}); check SLACK_BOT_TOKEN`);
  }
  const client = app.client;
  // Edits handle 429 themselves (latest view wins), so this client reports them instead of waiting.
  const editor = new WebClient(settings.botToken, { ...clientOptions(), rejectRateLimitedCalls: true });
  const directory = new SlackDirectory(client, settings.groups);
  const runCommand = commandRunner(bot, logger, 'slack');

  const live = new LiveMessages(
    bot.live,
    store,
    async (ref, view) => {
      try {
        await editor.chat.update({ channel: ref.channel, ts: ref.message, ...renderSlackMessage(view) });
      } catch (error) {
        const retryAfter = (error as { retryAfter?: number }).retryAfter;
        if (typeof retryAfter === 'number') throw new RateLimitedError(retryAfter * 1000);
        throw error;
      }
    },
    (error) => logger.warn({ err: String(error) }, 'slack: a live view edit failed'),
  );

  async function privately(message: SlackMessage, to: Audience): Promise<void> {
    if (to.respond) await to.respond({ response_type: 'ephemeral', replace_original: false, ...message });
    else await client.chat.postEphemeral({ channel: to.channel, user: to.user, ...message });
  }

  async function post(reply: Reply, to: Audience): Promise<void> {
    const message = renderSlackMessage(reply.view);
    if (reply.view.ephemeral) return privately(message, to);
    try {
      const posted = await client.chat.postMessage({ channel: to.channel, ...message });
      if (reply.watch && posted.ts)
        await live.track(reply.watch, { channel: to.channel, message: posted.ts });
    } catch (error) {
      if (!NOT_IN_CHANNEL.includes(platformError(error) ?? '')) throw error;
      await privately(message, to);
      await privately(notInChannel(), to);
    }
  }

  /**
   * A button's or a prompt's reply replaces the card it was clicked on; errors go to the clicker. A card
   * only its asker sees (the bot was not in the channel) can only be replaced through its response_url.
   */
  async function replace(reply: Reply, card: MessageRef, to: Audience, privateCard = false): Promise<void> {
    if (reply.view.ephemeral) return privately(renderSlackMessage(reply.view), to);
    if (privateCard && to.respond) {
      await to.respond({ replace_original: true, ...renderSlackMessage(reply.view) });
      return;
    }
    await live.show(card, reply.view, reply.watch);
  }

  app.command('/patch', async ({ command, ack, respond }) => {
    await ack();
    const to = { channel: command.channel_id, user: command.user_id, respond };
    const actor = () => directory.actor(command.user_id, command.user_name);
    await post(await runCommand(`/patch ${command.text}`.trim(), actor), to);
  });

  app.action({ type: 'block_actions', action_id: /^patchops:/ }, async ({ ack, body, action, respond }) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (action.type !== 'button' || !channel || !ts) return;
    const to = { channel, user: body.user.id, respond };
    const clicked = parseButtonValue(action.value ?? '');
    if (!clicked) {
      await privately(
        renderSlackMessage(errorView(commandError('invalid_value', 'This button is not valid.'))),
        to,
      );
      return;
    }
    if (clicked.prompt) {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: promptModal({ ...clicked, prompt: clicked.prompt }, { channel, ts }),
      });
      return;
    }
    const actor = () => directory.actor(body.user.id, body.user.username ?? body.user.name);
    const reply = await runCommand(clicked.command, actor);
    await replace(reply, { channel, message: ts }, to, body.container?.is_ephemeral === true);
  });

  app.view(PROMPT_CALLBACK_ID, async ({ ack, body, view }) => {
    const submitted = promptedSubmission(view.private_metadata, view.state.values);
    if (!submitted) {
      await ack({ response_action: 'errors', errors: { value: 'Type something, then send.' } });
      return;
    }
    await ack();
    const { channel, ts } = submitted.origin;
    const reply = await runCommand(submitted.command, () => directory.actor(body.user.id, body.user.name));
    await replace(reply, { channel, message: ts }, { channel, user: body.user.id });
  });

  const stopAlerts = bot.live.onAlert(async (view: View) => {
    if (!settings.alertsChannel) return;
    const mention = settings.alertsMention ? { mention: settings.alertsMention } : {};
    const channel = settings.alertsChannel;
    await client.chat
      .postMessage({ channel, ...renderSlackMessage(view, mention) })
      .catch((error: unknown) =>
        logger.error({ err: errorText(error), channel }, 'slack: an alert was not posted'),
      );
  });

  const server: unknown = await app.start(...(socketMode ? [] : [settings.port]));
  const address = server instanceof Server ? server.address() : null;
  const port = address !== null && typeof address === 'object' ? address.port : undefined;
  const resumed = await live.resume();
  logger.info({ mode: socketMode ? 'socket' : `http :${port}`, resumed }, 'slack adapter started');

  return {
    app,
    live,
    ...(port === undefined ? {} : { port }),
    async close() {
      stopAlerts();
      live.close();
      await app.stop();
    },
  };
}

function notInChannel(): SlackMessage {
  return renderSlackMessage(
    errorView(
      commandError(
        'not_in_channel',
        'patchops is not in this channel, so only you see this and it will not update.',
        'invite it with /invite @patchops',
      ),
    ),
  );
}
