import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { parseDuration } from './duration.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

const timeOfDaySchema = z
  .string()
  .regex(TIME_OF_DAY, { error: 'must be a time of day like 22:00 (HH:MM, 24h)' });

const durationSchema = z.string().transform((text, ctx) => {
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.seconds;
  ctx.addIssue({ code: 'custom', message: parsed.message, input: text });
  return z.NEVER;
});

/**
 * A maintenance window in config: `{ days: [fri], start: '22:00', end: '02:00', timezone: Europe/Berlin,
 * cutoff: 30m }`. `end` at or before `start` means the window runs past midnight (equal = 24 hours); the
 * window belongs to the day it STARTS on. `cutoff` (seconds once parsed) stops new hosts that long before
 * the end, so a host started late still finishes inside the window.
 */
export const maintenanceWindowSchema = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1),
    start: timeOfDaySchema,
    end: timeOfDaySchema,
    timezone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), { error: 'must be an IANA time zone like Europe/Berlin' })
      .default('UTC'),
    cutoff: durationSchema.default(0),
  })
  .refine((window) => window.cutoff < nominalLengthMinutes(window.start, window.end) * 60, {
    error: 'cutoff must be shorter than the window, or no host could ever start',
    path: ['cutoff'],
  });

export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;

export interface WindowState {
  open: boolean;
  /** Open and before the cutoff. */
  acceptingNewHosts: boolean;
  /** The current occurrence's end and cutoff; null when closed. */
  closesAt: Date | null;
  cutoffAt: Date | null;
  /**
   * The next occurrence starting strictly after `now`, open or not: when the window is open but past its
   * cutoff, this is when new hosts may start again. Null only when `days` is empty.
   */
  opensAt: Date | null;
}

interface Occurrence {
  start: DateTime;
  end: DateTime;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function nominalLengthMinutes(start: string, end: string): number {
  const length = minutesOf(end) - minutesOf(start);
  return length > 0 ? length : length + 24 * 60;
}

const DAY_MS = 86_400_000;

/**
 * The instant a wall-clock time names in `zone`. Written out rather than left to luxon's `fromObject`,
 * whose pick between the two instants of a repeated (fall-back) time depends on the machine's current
 * date, which a pure function must not. Rules: a repeated time takes its FIRST instant (still summer
 * time); a time inside a spring-forward gap moves forward by the gap (02:30 → 03:30 in Europe/Berlin on
 * 2026-03-29), as luxon and most schedulers do.
 */
function wallClockInstant(zone: IANAZone, date: DateTime, minutes: number): DateTime {
  const local = Date.UTC(date.year, date.month - 1, date.day, Math.floor(minutes / 60), minutes % 60);
  // Offsets change at most once around any moment we care about; a day either side sees both.
  const before = zone.offset(local - DAY_MS);
  const after = zone.offset(local + DAY_MS);
  const candidates = [before, after]
    .map((offset) => local - offset * 60_000)
    .filter((instant) => local - zone.offset(instant) * 60_000 === instant)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? local - before * 60_000;
  return DateTime.fromMillis(instant, { zone });
}

/** The occurrence starting on `day` (a calendar date), or null when that weekday is not in `days`. */
function occurrenceOn(window: MaintenanceWindow, day: DateTime): Occurrence | null {
  const weekday = WEEKDAYS[day.weekday - 1];
  if (weekday === undefined || !window.days.includes(weekday)) return null;
  const zone = IANAZone.create(window.timezone);
  const startMinutes = minutesOf(window.start);
  const endMinutes = minutesOf(window.end);
  const endDay = endMinutes > startMinutes ? day : day.plus({ days: 1 });
  return {
    start: wallClockInstant(zone, day, startMinutes),
    end: wallClockInstant(zone, endDay, endMinutes),
  };
}

export function windowState(window: MaintenanceWindow, now: Date): WindowState {
  const instant = DateTime.fromJSDate(now).setZone(window.timezone);
  // Calendar arithmetic on a plain UTC date: no time zone can shift the day it names.
  const today = DateTime.utc(instant.year, instant.month, instant.day);
  // A window lasts at most a day, so only yesterday's occurrence can still be running; a week and a day
  // ahead always holds the next start.
  const occurrences: Occurrence[] = [];
  for (let offset = -1; offset <= 8; offset++) {
    const occurrence = occurrenceOn(window, today.plus({ days: offset }));
    // A DST gap can swallow a short window whole (02:30-03:00 on a spring-forward night): skip it.
    if (occurrence && occurrence.start < occurrence.end) occurrences.push(occurrence);
  }
  const current = occurrences.findLast((o) => o.start <= instant && instant < o.end);
  const next = occurrences.find((o) => o.start > instant);
  const opensAt = next ? next.start.toJSDate() : null;
  if (!current) return { open: false, acceptingNewHosts: false, closesAt: null, cutoffAt: null, opensAt };
  const cutoff = current.end.minus({ seconds: window.cutoff });
  return {
    open: true,
    acceptingNewHosts: instant < cutoff,
    closesAt: current.end.toJSDate(),
    cutoffAt: cutoff.toJSDate(),
    opensAt,
  };
}
