/*
 * Due dates are calendar days in UTC: the same date for everyone in a channel, and no daylight-saving hour
 * to gain or lose. Arithmetic is on whole days since the epoch, never on local Date fields.
 */

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD string that names a real day (no 2025-02-30). */
export function isIsoDay(text: string): boolean {
  const match = ISO_DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/**
 * The UTC calendar day of a moment: a Date, an ISO timestamp (its UTC day, so 23:30 at UTC-5 is the next
 * day) or a plain YYYY-MM-DD. Throws RangeError on anything else: a caller passing junk is a bug.
 */
export function utcDay(value: Date | string): string {
  if (typeof value === 'string' && ISO_DAY.test(value)) {
    if (!isIsoDay(value)) throw new RangeError(`'${value}' is not a calendar day`);
    return value;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`'${String(value).slice(0, 40)}' is not a date`);
  }
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function earlierDay(a: string, b: string): string {
  return a <= b ? a : b;
}
