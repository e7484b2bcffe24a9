import type { Button } from '../views.js';

/**
 * One argument quoted so the tokenizer gives it back exactly: single quotes keep everything literal, and a
 * single quote inside is closed, escaped and reopened (`it's` → `'it'\''s'`).
 */
export function quoteArgument(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The command a prompting button stands for once the clicker has typed the value it asked for. */
export function promptedCommand(button: Button, value: string): string {
  return button.prompt ? `${button.command} ${button.prompt.flag} ${quoteArgument(value)}` : button.command;
}
