import pLimit from 'p-limit';
import type { Reply } from '../core/handle.js';
import type { Actor } from '../core/permissions.js';
import type { LiveViews } from '../live/live-views.js';

/** What a chat adapter needs of the bot: run a command as someone, and the live views to follow. */
export interface ChatBot {
  handle(text: string, actor: Actor): Promise<Reply>;
  live: LiveViews;
}

/** The logging adapters do (pino's shape, without tying the adapters to pino). */
export interface ChatLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Commands being worked on at once, per adapter. Acknowledging is cheap and must stay fast (Slack and
 * Discord want an answer within 3 s); the work behind it waits its turn rather than crowding the event
 * loop the acknowledgements share.
 */
export const COMMANDS_AT_ONCE = 8;

export function commandLimiter(): <T>(work: () => Promise<T>) => Promise<T> {
  const limit = pLimit(COMMANDS_AT_ONCE);
  return (work) => limit(work);
}
