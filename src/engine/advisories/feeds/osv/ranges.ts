import type { AffectedRange } from '../../types.js';
import type { OsvEvent } from './schema.js';

export interface RangeConversion {
  ranges: AffectedRange[];
  /** Events that could not be used, described for the import's warnings. */
  ignored: string[];
}

/**
 * One OSV ECOSYSTEM range (events in the order given) as closed intervals: each `introduced` opens an
 * interval that the next `fixed` or `last_affected` closes; an interval still open at the end has no fix
 * yet. Comparing versions is left to the matcher, which knows each distribution's ordering, so events are
 * never reordered here.
 *
 * Two `introduced` in a row leave the first interval open. That reads as "affected from the first one on",
 * which is what OSV means once the events are sorted, since intervals are joined by union.
 */
export function convertEvents(events: readonly OsvEvent[]): RangeConversion {
  const ranges: AffectedRange[] = [];
  const ignored: string[] = [];
  let open: string | undefined;
  for (const event of events) {
    if ('introduced' in event) {
      if (open !== undefined) ranges.push({ introduced: open });
      open = event.introduced;
    } else if ('limit' in event) {
      // Distribution feeds do not use limits; treating one as a fix would hide a vulnerable version.
      ignored.push(`limit ${event.limit}`);
    } else if (open === undefined) {
      ignored.push(
        'fixed' in event
          ? `fixed ${event.fixed} before any introduced`
          : 'last_affected before any introduced',
      );
    } else if ('fixed' in event) {
      ranges.push({ introduced: open, fixed: event.fixed });
      open = undefined;
    } else {
      ranges.push({ introduced: open, lastAffected: event.last_affected });
      open = undefined;
    }
  }
  if (open !== undefined) ranges.push({ introduced: open });
  return { ranges, ignored };
}
