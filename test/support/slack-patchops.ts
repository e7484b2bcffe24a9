import { expect } from 'vitest';
import { slackSettings } from '../../src/app/chat-adapters.js';
import { type SlackAdapter, startSlack } from '../../src/bot/adapters/slack/app.js';
import { liveMessageStore } from '../../src/db/live-messages.js';
import { type ChatLab, startChatLab } from './chat-lab.js';
import { FakeSlack, type FakeSlackOptions, type StoredMessage } from './fake-slack.js';
import type { LabFleet } from './lab.js';
import { SlackSender } from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const OPS_CHANNEL = 'C0OPS';
export const ALERTS_CHANNEL = 'C0ALERTS';

/** The bot's answer to a slash command or a click: one Slack message, found by the text in its blocks. */
export interface SlackPatchops {
  lab: ChatLab;
  fake: FakeSlack;
  adapter: SlackAdapter;
  sender: SlackSender;
  /** `/patch <text>` as this user; resolves with the HTTP answer (the ack). */
  command(user: string, text: string): ReturnType<SlackSender['slashCommand']>;
  /** Click the button labelled `label` on this message as this user. */
  click(user: string, message: StoredMessage, label: string): ReturnType<SlackSender['blockAction']>;
  /** The message in the channel whose blocks first contain `text` (waits for it). */
  message(text: string | RegExp, channel?: string, timeoutMs?: number): Promise<StoredMessage>;
  close(): Promise<void>;
}

const blocksText = (message: StoredMessage) => JSON.stringify(message.blocks);

export function buttonOf(message: StoredMessage, label: string): { actionId: string; value: string } {
  for (const block of message.blocks as { type: string; elements?: Record<string, unknown>[] }[]) {
    for (const element of block.type === 'actions' ? (block.elements ?? []) : []) {
      const text = element.text as { text?: string } | undefined;
      if (text?.text === label) return { actionId: String(element.action_id), value: String(element.value) };
    }
  }
  throw new Error(`no button '${label}' on ${message.channel}:${message.ts}: ${blocksText(message)}`);
}

/** patchops with the real Slack adapter (Bolt over HTTP) against the fake Slack Web API, on lab hosts. */
export async function startSlackPatchops(
  fleet: LabFleet,
  options: { hosts: number; vars: Record<string, unknown>; file: object; fake?: FakeSlackOptions },
): Promise<SlackPatchops> {
  const fake = await FakeSlack.start(options.fake);
  const lab = await startChatLab(fleet, {
    ...options,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
    },
  });
  const settings = slackSettings(lab.config);
  if (!settings) throw new Error('Slack is not configured');
  const store = liveMessageStore(lab.runtime.database.db, 'slack');
  const adapter = await startSlack(lab.bot, settings, store, lab.runtime.logger);
  const sender = new SlackSender(`http://127.0.0.1:${adapter.port}/slack/events`, SIGNING_SECRET);
  let responses = 0;
  const responseUrl = () => fake.responseUrl(`r${++responses}`);

  return {
    lab,
    fake,
    adapter,
    sender,
    command: (user, text) =>
      sender.slashCommand({ text, userId: user, channelId: OPS_CHANNEL, responseUrl: responseUrl() }),
    click(user, message, label) {
      const button = buttonOf(message, label);
      return sender.blockAction({
        userId: user,
        channelId: message.channel,
        messageTs: message.ts,
        ...button,
        responseUrl: responseUrl(),
        message: { text: message.text, blocks: message.blocks },
      });
    },
    async message(text, channel = OPS_CHANNEL, timeoutMs = 30_000) {
      const matches = (m: StoredMessage) =>
        m.channel === channel &&
        (typeof text === 'string' ? blocksText(m).includes(text) : text.test(blocksText(m)));
      const seen = () => [...fake.messages.values()].map((m) => `${m.channel}:${m.ts} ${m.text}`).join('; ');
      await expect
        .poll(() => [...fake.messages.values()].some(matches), {
          timeout: timeoutMs,
          message: `${text} not in ${channel}`,
        })
        .toBe(true)
        .catch((error: unknown) => {
          throw new Error(
            `${String(error)}; messages: ${seen()}; calls: ${fake.calls.map((c) => c.method).join(',')}`,
          );
        });
      return [...fake.messages.values()].find(matches) as StoredMessage;
    },
    async close() {
      sender.close();
      await adapter.close();
      await lab.close();
      await fake.close();
    },
  };
}
