import { type CommandError, commandError } from '../command-error.js';

/** Slack caps slash-command text near 4,000; we want far less from a human, and the parser stays cheap. */
export const MAX_INPUT_LENGTH = 2000;
export const MAX_ARGUMENT_LENGTH = 256;

export interface Token {
  text: string;
  /** Began with a quote or a backslash: `"--refresh"` is an argument, never a flag. */
  quoted: boolean;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: CommandError };

/**
 * C0 and C1 controls (except tab), DEL, line and paragraph separators, bidirectional overrides and
 * invisible characters: none belong in a command, and some hide what the text really says.
 */
function isForbidden(codePoint: number): boolean {
  return (
    (codePoint < 0x20 && codePoint !== 0x09) ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x2028 && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x2069) ||
    codePoint === 0xfeff
  );
}

function findForbidden(text: string): { char: string; index: number } | null {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isForbidden(code)) return { char: text.charAt(index), index };
  }
  return null;
}

function describeCharacter(char: string): string {
  if (char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029') return 'a line break';
  if (char === '\0') return 'a NUL character';
  if (char === '\u001b') return 'an escape character';
  return `the invisible character U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Checks that apply to the raw text before it is split; also used for values that skip the tokenizer. */
export function checkRawInput(text: string): CommandError | null {
  if (text.length > MAX_INPUT_LENGTH) {
    return commandError(
      'too_long',
      `the command is ${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_INPUT_LENGTH.toLocaleString('en-US')}`,
    );
  }
  const forbidden = findForbidden(text);
  if (forbidden) {
    const before = text.slice(Math.max(0, forbidden.index - 12), forbidden.index);
    const where = forbidden.index === 0 ? 'at the start' : `after '${before}'`;
    return commandError(
      'control_character',
      `the command contains ${describeCharacter(forbidden.char)} ${where}`,
      'type the command on one line, without control characters',
    );
  }
  return null;
}

/** Smart quotes come from phones and macOS text substitution; they mean what plain quotes mean. */
function normalizeQuotes(text: string): string {
  return text.replace(/[\u201c\u201d\u201e]/g, '"');
}

/**
 * Split into words like a POSIX shell, minus all expansion: whitespace separates, single quotes are
 * literal, double quotes allow \" and \\, and a backslash outside quotes takes the next character as is.
 */
export function tokenize(input: string): TokenizeResult {
  const rawError = checkRawInput(input);
  if (rawError) return { ok: false, error: rawError };
  const chars = [...normalizeQuotes(input)];
  const tokens: Token[] = [];
  let word: Token | null = null;
  let quote: '"' | "'" | null = null;
  let quoteStart = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const next = chars[i + 1];
    if (quote === null && /\s/u.test(ch)) {
      if (word) tokens.push(word);
      word = null;
      continue;
    }
    word ??= { text: '', quoted: false };
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word.text += ch;
    } else if (quote === '"') {
      if (ch === '\\' && (next === '"' || next === '\\')) {
        word.text += next;
        i++;
      } else if (ch === '"') quote = null;
      else word.text += ch;
    } else if (ch === '"' || ch === "'") {
      if (word.text === '') word.quoted = true;
      quote = ch;
      quoteStart = i;
    } else if (ch === '\\' && next !== undefined) {
      if (word.text === '') word.quoted = true;
      word.text += next;
      i++;
    } else word.text += ch;
  }
  if (quote) {
    const fragment = chars.slice(quoteStart, quoteStart + 20).join('');
    const more = chars.length > quoteStart + 20 ? '…' : '';
    const kind = quote === '"' ? 'double' : 'single';
    return {
      ok: false,
      error: commandError(
        'unterminated_quote',
        `unterminated ${kind} quote at ${fragment}${more}`,
        `close it with ${quote}`,
      ),
    };
  }
  if (word) tokens.push(word);
  for (const token of tokens) {
    const length = [...token.text].length;
    if (length > MAX_ARGUMENT_LENGTH) {
      const start = [...token.text].slice(0, 20).join('');
      return {
        ok: false,
        error: commandError(
          'argument_too_long',
          `the argument '${start}…' is ${length} characters; the limit is ${MAX_ARGUMENT_LENGTH}`,
        ),
      };
    }
  }
  return { ok: true, tokens };
}
