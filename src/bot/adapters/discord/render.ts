import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord-api-types/v10';
import { COMMAND_PREFIX } from '../../core/grammar/commands.js';
import type { Block, Button, Tone, View } from '../../core/views.js';
import { progressBar } from '../console/render.js';
import { clean } from '../console/text.js';
import { encodeCustomId } from './custom-id.js';
import { codeSafe, cutTo, escapeMarkdown, muted, type TableBlock, tableLines } from './markdown.js';
import { type DiscordMessage, LIMITS } from './validate.js';

export { type DecodedCustomId, decodeCustomId, encodeCustomId } from './custom-id.js';
export { type DiscordMessage, embedLength, LIMITS, validateDiscordMessage } from './validate.js';

/*
 * Any view as one Discord message: one embed (title, colour by tone, text/tables/progress in the
 * description, `fields` as inline fields) and its buttons in action rows. Pure: no client, no I/O. Long
 * views are cut to Discord's limits; a cut table says how many rows it left out and where to see them.
 */

export interface DiscordRenderOptions {
  /** On-call handle → Discord role id, so an alert's `mention` pings the role (in `content`). */
  roles?: Record<string, string>;
  /** Widest a table cell may get, in columns. */
  maxCellWidth?: number;
}

export const TONE_COLORS: Record<Tone, number> = {
  info: 0x3b82f6,
  success: 0x22c55e,
  warning: 0xf59e0b,
  error: 0xef4444,
};

/** Fields share the embed's 6,000 characters with the description; they get at most this many. */
const FIELDS_BUDGET = 1800;
/** A text block later in the description keeps at least this much room while earlier blocks are laid out. */
const MIN_TEXT = 200;
const MAX_LABEL = 200;
const DEFAULT_MAX_CELL = 40;

type Piece =
  | { kind: 'fixed'; text: string }
  | { kind: 'text'; text: string; muted: boolean }
  | { kind: 'table'; block: TableBlock };

/** Where the rows a message left out can be seen. */
function moreHint(view: View): string {
  const command = (() => {
    switch (view.kind) {
      case 'scan':
        return `status ${view.run.id}`;
      case 'plan':
        return `status ${view.plan.id}`;
      case 'rollout':
        return `status ${view.rollout.id}`;
      case 'findings':
        return `findings ${view.selector}`;
      case 'hosts':
        return `hosts ${view.selector}`;
      case 'cve':
        return `cve ${view.cve}`;
      case 'help':
        return 'help <command>';
      default:
        return 'status';
    }
  })();
  return `${COMMAND_PREFIX} ${command}`;
}

function renderTable(block: TableBlock, rowCount: number, hint: string, maxCell: number): string {
  const { head, rows } = tableLines(block, rowCount, maxCell);
  const code = ['```', ...head, ...rows, '```'].join('\n');
  const more = block.rows.length - rowCount + (block.more ?? 0);
  return more > 0
    ? `${code}\n${muted(escapeMarkdown(`… ${more.toLocaleString('en-US')} more (see ${hint})`))}`
    : code;
}

/** As many rows as fit in `budget` (binary search: a longer table is never shorter), or just the count. */
function fitTable(block: TableBlock, budget: number, hint: string, maxCell: number): string {
  const fits = (k: number) => renderTable(block, k, hint, maxCell).length <= budget;
  if (!fits(0)) {
    const total = block.rows.length + (block.more ?? 0);
    const line = muted(escapeMarkdown(`… ${total.toLocaleString('en-US')} rows (see ${hint})`));
    return line.length <= budget ? line : '';
  }
  let low = 0;
  let high = block.rows.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return renderTable(block, low, hint, maxCell);
}

function fitText(piece: Extract<Piece, { kind: 'text' }>, budget: number): string {
  if (!piece.muted) return cutTo(piece.text, budget);
  const lines = piece.text.split('\n').length;
  const text = muted(cutTo(piece.text, budget - 2 * lines));
  return text.length <= budget ? text : '';
}

function minSize(piece: Piece, hint: string, maxCell: number): number {
  switch (piece.kind) {
    case 'fixed':
      return piece.text.length;
    case 'text':
      return Math.min(piece.text.length, MIN_TEXT);
    case 'table':
      return renderTable(piece.block, 0, hint, maxCell).length;
  }
}

/** The pieces joined by line breaks in at most `budget` characters; later pieces keep their minimum. */
function layout(pieces: Piece[], budget: number, hint: string, maxCell: number): string {
  const minima = pieces.map((piece) => minSize(piece, hint, maxCell) + 1);
  const out: string[] = [];
  let used = 0;
  pieces.forEach((piece, i) => {
    const separator = out.length > 0 ? 1 : 0;
    const reserve = minima.slice(i + 1).reduce((sum, n) => sum + n, 0);
    const left = budget - used - separator;
    // Room for this piece once the later ones have their minimum; if there is none, whatever is left.
    const avail = left - reserve > 0 ? left - reserve : left;
    let text: string;
    switch (piece.kind) {
      case 'fixed':
        text = piece.text.length <= avail ? piece.text : '';
        break;
      case 'text':
        text = fitText(piece, avail);
        break;
      case 'table':
        text = fitTable(piece.block, avail, hint, maxCell);
        break;
    }
    if (text === '' || text.length > avail) return;
    out.push(text);
    used += separator + text.length;
  });
  return out.join('\n');
}

function pieceOf(block: Block): Piece | null {
  switch (block.type) {
    case 'text':
      return { kind: 'text', text: escapeMarkdown(block.text), muted: block.muted === true };
    case 'table':
      return { kind: 'table', block };
    case 'progress': {
      const label = escapeMarkdown(cutTo(clean(block.label), MAX_LABEL));
      const bar = codeSafe(progressBar(block.done, block.total, block.failed));
      return { kind: 'fixed', text: `${label ? `**${label}** ` : ''}\`${bar}\`` };
    }
    default:
      return null;
  }
}

function embedFields(view: View): { fields: APIEmbedField[]; left: number } {
  const all = view.blocks.flatMap((block) => (block.type === 'fields' ? block.fields : []));
  const fields: APIEmbedField[] = [];
  let used = 0;
  for (const field of all) {
    const name = cutTo(escapeMarkdown(clean(field.label)), LIMITS.fieldName) || '\u200b';
    const value = cutTo(escapeMarkdown(field.value), LIMITS.fieldValue) || '—';
    if (fields.length >= LIMITS.embedFields || used + name.length + value.length > FIELDS_BUDGET) break;
    fields.push({ name, value, inline: true });
    used += name.length + value.length;
  }
  return { fields, left: all.length - fields.length };
}

const BUTTON_STYLES = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
} as const;

/** Buttons with an id that carries their whole command, five to a row, five rows at most. */
export function actionRows(buttons: readonly Button[]): APIActionRowComponent<APIButtonComponent>[] {
  const seen = new Set<string>();
  const components: APIButtonComponent[] = [];
  for (const button of buttons) {
    const id = encodeCustomId(button);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    components.push({
      type: ComponentType.Button,
      style: button.style ? BUTTON_STYLES[button.style] : ButtonStyle.Secondary,
      label:
        cutTo(clean(button.label), LIMITS.buttonLabel) || cutTo(clean(button.command), LIMITS.buttonLabel),
      custom_id: id,
    });
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < components.length && rows.length < LIMITS.actionRows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: components.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

function roleMention(view: View, roles: Record<string, string> | undefined): string | undefined {
  if (view.kind !== 'alert' || view.alert.mention === undefined) return undefined;
  const id = roles?.[view.alert.mention];
  return id !== undefined && /^\d{17,20}$/.test(id) ? `<@&${id}>` : undefined;
}

/** A view as a Discord message body (for `channel.send`, an interaction reply or an edit). */
export function renderDiscordMessage(view: View, options: DiscordRenderOptions = {}): DiscordMessage {
  const maxCell = options.maxCellWidth ?? DEFAULT_MAX_CELL;
  const hint = moreHint(view);
  const fullTitle = escapeMarkdown(clean(view.title));
  const title = cutTo(fullTitle, LIMITS.embedTitle) || '\u200b';
  const { fields, left } = embedFields(view);
  const pieces: Piece[] = [];
  if (title !== fullTitle) pieces.push({ kind: 'text', text: fullTitle, muted: false });
  for (const block of view.blocks) {
    const piece = pieceOf(block);
    if (piece) pieces.push(piece);
  }
  if (left > 0) {
    pieces.push({ kind: 'text', text: escapeMarkdown(`… ${left} more fields (see ${hint})`), muted: true });
  }
  const fieldsLength = fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  const budget = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - title.length - fieldsLength);
  const description = layout(pieces, budget, hint, maxCell);

  const embed: APIEmbed = { title, color: TONE_COLORS[view.tone] };
  if (description !== '') embed.description = description;
  if (fields.length > 0) embed.fields = fields;

  const message: DiscordMessage = {
    embeds: [embed],
    components: actionRows(view.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []))),
  };
  const content = roleMention(view, options.roles);
  if (content !== undefined) message.content = content;
  if (view.ephemeral) message.flags = MessageFlags.Ephemeral;
  return message;
}
