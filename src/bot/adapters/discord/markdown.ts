import type { Block } from '../../core/views.js';
import { clean, displayWidth, padEnd, padStart, truncate } from '../console/text.js';

/*
 * Discord markdown for text from views. Host output and user input end up here, so markdown, masked links
 * and mention syntax are escaped, and a code block can never be closed early by a backtick in a cell.
 */

/** Plain text shown literally: markdown characters escaped, controls gone (line breaks stay). */
export function escapeMarkdown(text: string): string {
  return clean(text, true)
    .split('\n')
    .map((line) => line.replace(/[\\*_~|`<>[\]]/g, '\\$&').replace(/^(\s*)([#\-+]|\d+\.)/, '$1\\$2'))
    .join('\n');
}

/** Muted text in italics, line by line (an empty line stays empty). */
export function muted(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? line : `*${line}*`))
    .join('\n');
}

/** Inside a code block: one line, no backticks (a look-alike instead). */
export function codeSafe(text: string): string {
  return clean(text).replaceAll('`', 'ˋ');
}

/** Cut to at most `max` UTF-16 units (the way limits are counted), marking the cut with an ellipsis. */
export function cutTo(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let out = text.slice(0, max - 1);
  // Never leave half a surrogate pair or a dangling escape.
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  if (/(^|[^\\])(\\\\)*\\$/.test(out)) out = out.slice(0, -1);
  return `${out}…`;
}

/** Counts and dashes line up on the right, as in the console. */
function isNumeric(column: readonly string[]): boolean {
  const values = column.filter((cell) => cell !== '—' && cell !== '');
  return values.length > 0 && values.every((cell) => /^\d[\d,.]*(?: \(\d+\))?$/.test(cell));
}

export type TableBlock = Extract<Block, { type: 'table' }>;

/** A table's header and rows as padded monospace lines (for a code block), widths from `rows` only. */
export function tableLines(
  block: TableBlock,
  rowCount: number,
  maxCell: number,
): { head: string[]; rows: string[] } {
  const header = block.columns.map((column) => truncate(codeSafe(column), maxCell));
  const cells = block.rows
    .slice(0, rowCount)
    .map((row) => block.columns.map((_, i) => truncate(codeSafe(row[i] ?? ''), maxCell)));
  const widths = header.map((title, i) =>
    Math.max(displayWidth(title), ...cells.map((row) => displayWidth(row[i] ?? ''))),
  );
  const numeric = header.map((_, i) => isNumeric(cells.map((row) => row[i] ?? '')));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? padStart(cell, widths[i] ?? 0) : padEnd(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return {
    head: [line(header), widths.map((w) => '─'.repeat(w)).join('  ')],
    rows: cells.map(line),
  };
}
