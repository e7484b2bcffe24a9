import { clean } from '../console/text.js';

/*
 * Text for Slack's mrkdwn. Slack wants `&`, `<` and `>` escaped and nothing else: escaped, text from a
 * host or a user cannot become a mention (`<@U123>`, `<!channel>`) or a link. Controls, zero-width and
 * bidi characters go first, as in the console (`clean`).
 */

export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escaped and cut to at most `max` UTF-16 units (Slack's count), never inside an entity; `…` marks a cut. */
export function fitEscaped(raw: string, max: number): string {
  const whole = escapeMrkdwn(raw);
  if (whole.length <= max) return whole;
  let out = '';
  for (const char of raw) {
    const piece = escapeMrkdwn(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Plain text (no escaping in plain_text) cut to at most `max` UTF-16 units. */
export function fitPlain(raw: string, max: number): string {
  if (raw.length <= max) return raw;
  let out = '';
  for (const char of raw) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

/**
 * Text split into escaped chunks of at most `max` units each, at line breaks where it can be: a long
 * message becomes several sections rather than being cut.
 */
export function chunkEscaped(raw: string, max: number): string[] {
  const pieces: string[] = [];
  for (const line of clean(raw, true).split('\n')) {
    const escaped = escapeMrkdwn(line);
    if (escaped.length <= max) {
      pieces.push(escaped);
      continue;
    }
    let part = '';
    for (const char of line) {
      const piece = escapeMrkdwn(char);
      if (part.length + piece.length > max) {
        pieces.push(part);
        part = '';
      }
      part += piece;
    }
    if (part !== '') pieces.push(part);
  }
  const chunks: string[] = [];
  let current: string | undefined;
  for (const piece of pieces) {
    if (current === undefined) current = piece;
    else if (current.length + 1 + piece.length <= max) current += `\n${piece}`;
    else {
      chunks.push(current);
      current = piece;
    }
  }
  if (current !== undefined) chunks.push(current);
  // Slack rejects empty text: whitespace-only chunks are dropped.
  return chunks.filter((chunk) => chunk.trim() !== '');
}
