import pLimit from 'p-limit';
import { commandError } from '../core/command-error.js';
import type { Reply } from '../core/handle.js';
import type { Actor } from '../core/permissions.js';
import { errorView } from '../core/views/index.js';
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

/**
 * Runs commands for an adapter: at most COMMANDS_AT_ONCE at a time, as the actor the platform says, and
 * never throws: a failure on our side is logged and answered with an error view.
 */
export function commandRunner(
  bot: ChatBot,
  logger: ChatLogger,
  platform: string,
): (text: string, actor: () => Actor | Promise<Actor>) => Promise<Reply> {
  const limit = pLimit(COMMANDS_AT_ONCE);
  return async (text, actor) => {
    try {
      return await limit(async () => bot.handle(text, await actor()));
    } catch (error) {
      logger.error({ err: String(error) }, `${platform}: a command failed`);
      return { view: errorView(commandError('internal', 'Something went wrong on our side; try again.')) };
    }
  };
}
