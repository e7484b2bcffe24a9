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
