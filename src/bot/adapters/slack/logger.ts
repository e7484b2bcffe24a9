import { type Logger, LogLevel } from '@slack/bolt';
import type { ChatLogger } from '../chat.js';

/** Bolt's and the Web API client's messages, into our log (Bolt logs lists of values, not fields). */
export function boltLogger(logger: ChatLogger): Logger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => parts.map(String).join(' ');
  return {
    debug: (...parts) => logger.debug({ source: 'slack' }, line(parts)),
    info: (...parts) => logger.info({ source: 'slack' }, line(parts)),
    warn: (...parts) => logger.warn({ source: 'slack' }, line(parts)),
    error: (...parts) => logger.error({ source: 'slack' }, line(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
