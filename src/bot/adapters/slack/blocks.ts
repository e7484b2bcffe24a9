import type { types as slack } from '@slack/bolt';
import type { Block, Button, Tone, View } from '../../core/views.js';
import { progressBar } from '../console/render.js';
import { clean, displayWidth, padEnd, padStart, truncate } from '../console/text.js';
import { buttonValue } from './buttons.js';
import { BUTTONS_PER_BLOCK, LIMITS } from './limits.js';
import { chunkEscaped, escapeMrkdwn, fitEscaped, fitPlain } from './mrkdwn.js';

export { type ButtonAction, parseButtonValue } from './buttons.js';
export { validateBlockKit } from './validate.js';

type KnownBlock = slack.KnownBlock;

/** A rendered message: `text` is the notification and screen-reader fallback, `blocks` what Slack shows. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const TONE_EMOJI: Record<Tone, string> = {
  info: ':information_source:',
  success: ':white_check_mark:',
  warning: ':warning:',
  error: ':x:',
};

/** Widest a table cell gets in a Slack code block, in columns: wider lines wrap and break the columns. */
export const MAX_CELL_WIDTH = 60;

/** Prefix of every button's action_id; the index follows (`patchops:0`). */
export const ACTION_ID_PREFIX = 'patchops:';

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function textBlocks(block: Extract<Block, { type: 'text' }>): KnownBlock[] {
  const max = block.muted ? LIMITS.contextText : LIMITS.sectionText;
  return chunkEscaped(block.text, max).map((chunk) => (block.muted ? context(chunk) : section(chunk)));
}

function fieldsBlocks(block: Extract<Block, { type: 'fields' }>): KnownBlock[] {
  const fields = block.fields.map((f) => {
    const label = `*${fitEscaped(clean(f.label), 200)}*\n`;
    const value = clean(f.value, true).trim() === '' ? '—' : clean(f.value, true);
    return { type: 'mrkdwn' as const, text: label + fitEscaped(value, LIMITS.fieldText - label.length) };
  });
  const out: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.sectionFields) {
    out.push({ type: 'section', fields: fields.slice(i, i + LIMITS.sectionFields) });
  }
  return out;
}

/** Counts and dashes line up on the right, as in the console. */
function isNumeric(column: readonly string[]): boolean {
  const values = column.filter((cell) => cell !== '—' && cell !== '');
  return values.length > 0 && values.every((cell) => /^\d[\d,.]*(?: \(\d+\))?$/.test(cell));
}

const FENCE = '```';

/**
 * Slack has no tables: the rows go in a code block, padded to columns. A long table becomes several
 * sections under the 3,000-character limit, each repeating the header so its columns still read.
 */
function tableBlocks(block: Extract<Block, { type: 'table' }>): KnownBlock[] {
  const rows = block.rows.map((row) =>
    block.columns.map((_, i) => truncate(clean(row[i] ?? ''), MAX_CELL_WIDTH)),
  );
  const header = block.columns.map((column) => truncate(clean(column), MAX_CELL_WIDTH));
  const widths = header.map((title, i) =>
    Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[i] ?? ''))),
  );
  const numeric = header.map((_, i) => isNumeric(rows.map((row) => row[i] ?? '')));
  const budget = LIMITS.sectionText - 2 * FENCE.length - 2;
  const line = (cells: string[]) =>
    fitEscaped(
      cells
        .map((cell, i) => (numeric[i] ? padStart(cell, widths[i] ?? 0) : padEnd(cell, widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
      Math.floor(budget / 3),
    );
  const head = [
    line(header),
    fitEscaped(widths.map((w) => '─'.repeat(w)).join('  '), Math.floor(budget / 3)),
  ];
  const chunks: string[][] = [];
  let current = [...head];
  let length = head.join('\n').length;
  for (const row of rows.map(line)) {
    if (length + 1 + row.length > budget && current.length > head.length) {
      chunks.push(current);
      current = [...head];
      length = head.join('\n').length;
    }
    current.push(row);
    length += 1 + row.length;
  }
  chunks.push(current);
  const out = chunks.map((lines) => section(`${FENCE}\n${lines.join('\n')}\n${FENCE}`));
  if (block.more) out.push(context(`… and ${block.more.toLocaleString('en-US')} more`));
  return out;
}

function progressBlock(block: Extract<Block, { type: 'progress' }>): KnownBlock {
  const label = fitEscaped(clean(block.label), 200);
  const bar = escapeMrkdwn(progressBar(block.done, block.total, block.failed));
  return section(label === '' ? `\`${bar}\`` : `${label} \`${bar}\``);
}

/** Buttons in rows of five; a button whose command does not fit in Slack's `value` is left out. */
function actionsBlocks(block: Extract<Block, { type: 'actions' }>, next: () => number): KnownBlock[] {
  const buttons: slack.Button[] = [];
  for (const button of block.buttons) {
    const element = slackButton(button, next);
    if (element !== undefined) buttons.push(element);
  }
  const out: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_BLOCK) {
    out.push({ type: 'actions', elements: buttons.slice(i, i + BUTTONS_PER_BLOCK) });
  }
  return out;
}

function slackButton(button: Button, next: () => number): slack.Button | undefined {
  const value = buttonValue(button);
  if (value === undefined) return undefined;
  const label = clean(button.label).trim() || clean(button.command).trim();
  return {
    type: 'button',
    text: { type: 'plain_text', text: fitPlain(label, LIMITS.buttonText), emoji: true },
    action_id: `${ACTION_ID_PREFIX}${next()}`,
    value,
    ...(button.style ? { style: button.style } : {}),
  };
}

/** Where the whole view can be seen when the message had to leave blocks out. */
function statusHint(view: View): string {
  if (view.kind === 'scan') return `/patch status ${view.run.id}`;
  if (view.kind === 'rollout') return `/patch status ${view.rollout.id}`;
  return '/patch status';
}

/**
 * At most 50 blocks: over that, the first ones stay with a note of how many went, and the buttons are
 * kept (moved after the note) so the message can still be acted on.
 */
function capBlocks(view: View, blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const actions = blocks.filter((b) => b.type === 'actions').slice(0, 5);
  const others = blocks.filter((b) => b.type !== 'actions');
  const kept = others.slice(0, LIMITS.blocks - 1 - actions.length);
  const left = blocks.length - kept.length - actions.length;
  const note = context(`… ${left} more ${left === 1 ? 'block' : 'blocks'}; see \`${statusHint(view)}\``);
  return [...kept, note, ...actions];
}

export interface SlackRenderOptions {
  /** Who to notify, in Slack's syntax (`<!subteam^S0123>`, `<@U0123>`, `<!here>`): alerts page on-call. */
  mention?: string;
}

/** The mention syntaxes patchops writes; anything else is dropped rather than sent as text. */
const MENTION = /^<(?:!subteam\^[A-Z0-9]{2,30}|@[UW][A-Z0-9]{2,30}|!here|!channel)>$/;

/** Any view as a Slack message: a header with the tone, then each block translated to Block Kit. */
export function renderSlackMessage(view: View, options: SlackRenderOptions = {}): SlackMessage {
  const title = clean(view.title).trim() || 'patchops';
  let index = 0;
  const next = () => index++;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: fitPlain(`${TONE_EMOJI[view.tone]} ${title}`, LIMITS.headerText),
        emoji: true,
      },
    },
  ];
  const mention =
    options.mention !== undefined && MENTION.test(options.mention) ? options.mention : undefined;
  if (mention) blocks.push(context(mention));
  for (const block of view.blocks) {
    switch (block.type) {
      case 'text':
        blocks.push(...textBlocks(block));
        break;
      case 'fields':
        blocks.push(...fieldsBlocks(block));
        break;
      case 'table':
        blocks.push(...tableBlocks(block));
        break;
      case 'progress':
        blocks.push(progressBlock(block));
        break;
      case 'actions':
        blocks.push(...actionsBlocks(block, next));
        break;
    }
  }
  const text = fitPlain(title, LIMITS.sectionText - (mention ? mention.length + 1 : 0));
  return { text: mention ? `${mention} ${text}` : text, blocks: capBlocks(view, blocks) };
}
