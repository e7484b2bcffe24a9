import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stderr, so stdout stays for views and --json output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'patchops' } }, pino.destination(2));
}
