import { COMMAND_PREFIX } from '../../core/grammar/commands.js';
import type { Block, Button, Tone, View } from '../../core/views.js';
import { clean, displayWidth, padEnd, padStart, truncate } from './text.js';

export interface RenderOptions {
  /** ANSI colour and bold; off unless asked for (see `colorEnabled`). */
  color?: boolean;
  /** Widest a table cell may get, in columns. */
  maxCellWidth?: number;
}

/** Colour only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR wins. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const STYLE_CODES: Record<Style, string> = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  cyan: '36',
};

type Paint = (text: string, ...styles: Style[]) => string;

function painter(color: boolean): Paint {
  if (!color) return (text) => text;
  return (text, ...styles) =>
    text === '' ? text : `\u001b[${styles.map((s) => STYLE_CODES[s]).join(';')}m${text}\u001b[0m`;
}

const TONE_MARK: Record<Tone, { mark: string; style: Style }> = {
  info: { mark: '•', style: 'cyan' },
  success: { mark: '✓', style: 'green' },
  warning: { mark: '!', style: 'yellow' },
  error: { mark: '✗', style: 'red' },
};

export const PROGRESS_WIDTH = 10;

/** `[██████░░░░] 12/20 (1 failed)` */
export function progressBar(
  done: number,
  total: number,
  failed: number,
  paint: Paint = painter(false),
): string {
  const shown = Math.max(0, Math.min(done, total));
  const filled = total > 0 ? Math.floor((shown / total) * PROGRESS_WIDTH) : 0;
  const bar = paint('█'.repeat(filled), 'green') + '░'.repeat(PROGRESS_WIDTH - filled);
  const failures = failed > 0 ? ` ${paint(`(${failed} failed)`, 'red')}` : '';
  return `[${bar}] ${shown}/${total}${failures}`;
}

/** Counts and dashes line up on the right, like numbers in a spreadsheet. */
function isNumeric(column: readonly string[]): boolean {
  const values = column.filter((cell) => cell !== '—' && cell !== '');
  return values.length > 0 && values.every((cell) => /^\d[\d,.]*(?: \(\d+\))?$/.test(cell));
}

function renderTable(block: Extract<Block, { type: 'table' }>, paint: Paint, maxCell: number): string[] {
  const rows = block.rows.map((row) => block.columns.map((_, i) => truncate(clean(row[i] ?? ''), maxCell)));
  const header = block.columns.map((column) => truncate(clean(column), maxCell));
  const widths = header.map((title, i) =>
    Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[i] ?? ''))),
  );
  const numeric = header.map((_, i) => isNumeric(rows.map((row) => row[i] ?? '')));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? padStart(cell, widths[i] ?? 0) : padEnd(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [paint(line(header), 'bold'), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
  if (block.more) out.push(paint(`… and ${block.more} more`, 'dim'));
  return out;
}

/** The command to type; a value the button would ask for is shown as a placeholder to fill in. */
function commandText(button: Button): string {
  const command = clean(button.command);
  const asked = button.prompt ? ` ${clean(button.prompt.flag)} "<${clean(button.prompt.label)}>"` : '';
  return `${command.startsWith('/') ? command : `${COMMAND_PREFIX} ${command}`}${asked}`;
}

function renderBlock(block: Block, paint: Paint, maxCell: number): string[] {
  switch (block.type) {
    case 'text': {
      const lines = clean(block.text, true).split('\n');
      return block.muted ? lines.map((line) => paint(line, 'dim')) : lines;
    }
    case 'fields': {
      const width = Math.max(0, ...block.fields.map((f) => displayWidth(clean(f.label))));
      return block.fields.map(
        (f) => `${paint(padEnd(`${clean(f.label)}:`, width + 1), 'dim')} ${clean(f.value)}`,
      );
    }
    case 'table':
      return renderTable(block, paint, maxCell);
    case 'progress':
      return [`${clean(block.label)} ${progressBar(block.done, block.total, block.failed, paint)}`];
    case 'actions':
      return block.buttons.map((b) => `${paint(`[${clean(b.label)}]`, 'bold')} → ${commandText(b)}`);
  }
}

/** Any view as plain text for a terminal: a title line, then each block; no colour unless asked. */
export function renderView(view: View, options: RenderOptions = {}): string {
  const paint = painter(options.color === true);
  const maxCell = options.maxCellWidth ?? 80;
  const tone = TONE_MARK[view.tone];
  const title = `${paint(tone.mark, tone.style)} ${paint(clean(view.title), 'bold')}`;
  return [title, ...view.blocks.flatMap((block) => renderBlock(block, paint, maxCell))].join('\n');
}
