import type { Block } from '../views.js';

/** Chat messages have size limits and people stop reading long before them. */
export const MAX_TABLE_ROWS = 50;
/** Error text from a host can be a page of stderr; a cell shows the start. */
export const MAX_CELL_LENGTH = 120;

export const NONE = '—';

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

export function clip(text: string, max = MAX_CELL_LENGTH): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** `12 (3)`: all updates, security ones in brackets; a dash when never scanned. */
export function updatesCell(updates: number | null, security: number | null): string {
  if (updates === null) return NONE;
  return `${updates} (${security ?? 0})`;
}

export function rebootCell(required: boolean | null): string {
  return required === null ? NONE : required ? 'yes' : 'no';
}

/** `2025-01-05 14:03` in UTC: the same for everyone in a channel, whatever their time zone. */
export function timeCell(iso: string | null): string {
  if (iso === null) return NONE;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return NONE;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}`;
}

/** `4m 05s`, `1h 02m`: how long a run took. */
export function durationCell(startIso: string, endIso: string | null): string {
  if (endIso === null) return NONE;
  const seconds = Math.max(0, Math.round((Date.parse(endIso) - Date.parse(startIso)) / 1000));
  if (!Number.isFinite(seconds)) return NONE;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A table block of at most MAX_TABLE_ROWS rows; `more` counts the rest. */
export function table(columns: string[], rows: string[][]): Block {
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  const more = rows.length - shown.length;
  return more > 0 ? { type: 'table', columns, rows: shown, more } : { type: 'table', columns, rows: shown };
}
