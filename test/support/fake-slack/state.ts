import { validateBlockKit } from '../../../src/bot/adapters/slack/validate.js';
import type { Body } from './body.js';
import { SlidingWindow } from './rate-limit.js';

export interface FakeSlackOptions {
  /** The bot token requests must carry; default 'xoxb-test'. */
  token?: string;
  /** The app-level token apps.connections.open (Socket Mode) takes; default 'xapp-test'. */
  appToken?: string;
  /** chat.update's limit (Tier 3, about 50 a minute), counted per token; default { max: 50, windowMs: 60_000 }. */
  chatUpdateLimit?: { max: number; windowMs: number };
  /** User-group id → user ids, for usergroups.users.list. */
  usergroups?: Record<string, string[]>;
  /** Channels where chat.postMessage fails with not_in_channel. */
  notInChannel?: string[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  updates: number;
  thread_ts?: string;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[];
}

export interface Rejection {
  error: string;
  problems: string[];
}

/** Slack's limit on a message's text (https://docs.slack.dev/reference/methods/chat.postMessage). */
export const MAX_TEXT = 40_000;

/** What the fake Slack workspace holds; the methods read and change it. */
export class SlackState {
  readonly token: string;
  readonly appToken: string;
  readonly usergroups: Record<string, string[]>;
  readonly notInChannel: Set<string>;
  readonly chatUpdates: SlidingWindow;
  readonly messages = new Map<string, StoredMessage>();
  readonly ephemeral: EphemeralMessage[] = [];
  readonly views: unknown[] = [];
  readonly invalid: { method: string; problems: string[] }[] = [];
  private seq = 0;

  constructor(options: FakeSlackOptions) {
    this.token = options.token ?? 'xoxb-test';
    this.appToken = options.appToken ?? 'xapp-test';
    this.usergroups = options.usergroups ?? {};
    this.notInChannel = new Set(options.notInChannel);
    const limit = options.chatUpdateLimit ?? { max: 50, windowMs: 60_000 };
    this.chatUpdates = new SlidingWindow(limit.max, limit.windowMs);
  }

  /** A message ts as Slack writes them (seconds.microseconds), unique and increasing. */
  nextTs(): string {
    this.seq += 100;
    const seconds = 1_700_000_000 + Math.floor(this.seq / 1_000_000);
    return `${seconds}.${String(this.seq % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq += 100;
    return `${prefix}${this.seq.toString(36).toUpperCase()}`;
  }

  /** Why Slack would refuse this message payload, recorded in `invalid`; undefined when it would accept it. */
  rejectMessage(method: string, body: Body): Rejection | undefined {
    const rejection = checkMessage(body);
    if (rejection) this.invalid.push({ method, problems: rejection.problems });
    return rejection;
  }
}

function checkMessage(body: Body): Rejection | undefined {
  const { text, blocks } = body;
  if (blocks !== undefined) {
    const problems = Array.isArray(blocks) ? validateBlockKit({ blocks }) : ['blocks is not an array'];
    if (problems.length > 0) return { error: 'invalid_blocks', problems };
  }
  // Slack's own codes for these two: they are not Block Kit errors.
  if (typeof text === 'string' && text.length > MAX_TEXT) {
    return { error: 'msg_too_long', problems: [`text is ${text.length} chars, over ${MAX_TEXT}`] };
  }
  const hasText = typeof text === 'string' && text !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (!hasText && !hasBlocks) return { error: 'no_text', problems: ['text or blocks is required'] };
  return undefined;
}
