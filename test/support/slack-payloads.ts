/**
 * What Slack sends for a slash command, a button click and a modal submission, built once for both ways
 * it can arrive: over HTTP (a form, signed: ./slack-requests.ts) and in a Socket Mode envelope
 * (./fake-slack/socket-mode.ts), where the same fields come as a JSON object
 * (https://docs.slack.dev/apis/events-api/using-socket-mode#command).
 */
import { randomBytes } from 'node:crypto';

export interface SlashCommandFields {
  text: string;
  userId: string;
  userName?: string;
  channelId?: string;
  teamId?: string;
  responseUrl: string;
  triggerId?: string;
  command?: '/patch';
}

export interface BlockActionFields {
  userId: string;
  userName?: string;
  channelId: string;
  messageTs: string;
  actionId: string;
  value: string;
  blockId?: string;
  responseUrl: string;
  triggerId?: string;
  /** The message the button is on, as Slack echoes it back; its button gives the action's text. */
  message?: { text: string; blocks: unknown[] };
}

export interface ViewSubmissionFields {
  userId: string;
  userName?: string;
  callbackId: string;
  privateMetadata: string;
  /** block_id → action_id → the text typed. */
  values: Record<string, Record<string, string>>;
  viewId?: string;
}

const TEAM = { id: 'T1', domain: 'test' };
const APP_ID = 'A1';
// Slack still sends the deprecated verification token; Bolt ignores it in favour of the signature.
const VERIFICATION_TOKEN = 'verification-token';

function triggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

function user(userId: string, userName: string | undefined) {
  const name = userName ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: TEAM.id };
}

/** The button with this action_id in the blocks, for the block_id and text Slack reports. */
function findButton(blocks: unknown[], actionId: string): { blockId?: string; text?: string } {
  for (const block of blocks) {
    if (typeof block !== 'object' || block === null || !('elements' in block)) continue;
    if (!Array.isArray(block.elements)) continue;
    for (const element of block.elements as { action_id?: string; text?: { text?: string } }[]) {
      if (element.action_id !== actionId) continue;
      const blockId = 'block_id' in block && typeof block.block_id === 'string' ? block.block_id : undefined;
      return { blockId, text: element.text?.text };
    }
  }
  return {};
}

/** A slash command's fields, all strings: the form's fields over HTTP, the envelope's payload in Socket Mode. */
export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  const channelId = fields.channelId ?? 'C1';
  return {
    token: VERIFICATION_TOKEN,
    team_id: fields.teamId ?? TEAM.id,
    team_domain: TEAM.domain,
    channel_id: channelId,
    channel_name: channelId.toLowerCase(),
    user_id: fields.userId,
    user_name: fields.userName ?? fields.userId.toLowerCase(),
    command: fields.command ?? '/patch',
    text: fields.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? triggerId(),
  };
}

/** A button click's block_actions payload: over HTTP as JSON in the form's `payload` field. */
export function blockActionPayload(fields: BlockActionFields) {
  const message = fields.message ?? { text: '', blocks: [] };
  const button = findButton(message.blocks, fields.actionId);
  return {
    type: 'block_actions',
    user: user(fields.userId, fields.userName),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: fields.messageTs,
      channel_id: fields.channelId,
      is_ephemeral: false,
    },
    trigger_id: fields.triggerId ?? triggerId(),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channelId, name: fields.channelId.toLowerCase() },
    message: { type: 'message', ts: fields.messageTs, ...message, user: 'UBOT', bot_id: 'BBOT' },
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: fields.actionId,
        block_id: fields.blockId ?? button.blockId ?? 'actions',
        value: fields.value,
        text: { type: 'plain_text', text: button.text ?? 'Button', emoji: true },
        action_ts: (Date.now() / 1000).toFixed(6),
      },
    ],
  };
}

/** A modal submission's view_submission payload: over HTTP as JSON in the form's `payload` field. */
export function viewSubmissionPayload(fields: ViewSubmissionFields) {
  const id = fields.viewId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const values = Object.fromEntries(
    Object.entries(fields.values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, value]) => [actionId, { type: 'plain_text_input', value }]),
      ),
    ]),
  );
  return {
    type: 'view_submission',
    team: TEAM,
    user: user(fields.userId, fields.userName),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId(),
    view: {
      id,
      team_id: TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: fields.privateMetadata,
      callback_id: fields.callbackId,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'patchops', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: id,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: TEAM.id,
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
