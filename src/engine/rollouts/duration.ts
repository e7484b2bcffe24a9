/**
 * Durations as people type them in chat and config: "90s", "10m", "1h30m", "2d". Units go from largest
 * to smallest, each at most once, so "30m1h" is rejected rather than guessed at.
 */

export const MAX_DURATION_SECONDS = 7 * 24 * 3600;

const UNITS = [
  { unit: 'd', seconds: 86_400 },
  { unit: 'h', seconds: 3_600 },
  { unit: 'm', seconds: 60 },
  { unit: 's', seconds: 1 },
] as const;

const DURATION_SHAPE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export type ParsedDuration = { ok: true; seconds: number } | { ok: false; message: string };

export function parseDuration(text: string): ParsedDuration {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '0') return { ok: true, seconds: 0 };
  const match = DURATION_SHAPE.exec(trimmed);
  if (trimmed === '' || !match)
    return { ok: false, message: `duration '${text.trim()}' must look like 90s, 10m, 1h30m or 2d` };
  const seconds = UNITS.reduce((sum, { seconds }, index) => sum + Number(match[index + 1] ?? 0) * seconds, 0);
  if (seconds > MAX_DURATION_SECONDS)
    return { ok: false, message: `duration '${text.trim()}' must be at most 7 days` };
  return { ok: true, seconds };
}

/** The shortest form `parseDuration` reads back: 5400 → "1h30m", 0 → "0s". */
export function formatDuration(seconds: number): string {
  let left = Math.max(0, Math.round(seconds));
  if (left === 0) return '0s';
  let text = '';
  for (const { unit, seconds: size } of UNITS) {
    const amount = Math.floor(left / size);
    if (amount > 0) text += `${amount}${unit}`;
    left -= amount * size;
  }
  return text;
}
