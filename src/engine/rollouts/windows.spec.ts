import { afterEach, describe, expect, it, vi } from 'vitest';
import { type MaintenanceWindow, maintenanceWindowSchema, windowState } from './windows.js';

function windowOf(config: Record<string, unknown>): MaintenanceWindow {
  return maintenanceWindowSchema.parse(config);
}

const at = (iso: string) => new Date(iso);

describe('maintenanceWindowSchema', () => {
  it('fills in UTC and no cutoff', () => {
    expect(windowOf({ days: ['sat'], start: '02:00', end: '06:00' })).toEqual({
      days: ['sat'],
      start: '02:00',
      end: '06:00',
      timezone: 'UTC',
      cutoff: 0,
    });
  });

  it('reads the cutoff as seconds', () => {
    expect(
      windowOf({ days: ['fri'], start: '22:00', end: '02:00', timezone: 'Europe/Berlin', cutoff: '1h30m' })
        .cutoff,
    ).toBe(5400);
  });

  it.each([
    [{ days: [], start: '02:00', end: '06:00' }, 'days'],
    [{ days: ['saturday'], start: '02:00', end: '06:00' }, 'days.0'],
    [{ days: ['sat'], start: '2:00', end: '06:00' }, 'start'],
    [{ days: ['sat'], start: '24:00', end: '06:00' }, 'start'],
    [{ days: ['sat'], start: '02:00', end: '06:60' }, 'end'],
    [{ days: ['sat'], start: '02:00', end: '06:00', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ days: ['sat'], start: '02:00', end: '06:00', cutoff: 'soon' }, 'cutoff'],
    [{ days: ['sat'], start: '02:00', end: '06:00', cutoff: '4h' }, 'cutoff'],
    [{ days: ['sat'], start: '22:00', end: '02:00', cutoff: '5h' }, 'cutoff'],
    [{ days: ['sat'], start: '02:00', end: '06:00', timzone: 'UTC' }, ''],
  ])('rejects %j', (config, path) => {
    const parsed = maintenanceWindowSchema.safeParse(config);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it('accepts a cutoff just shorter than a window past midnight', () => {
    expect(windowOf({ days: ['sat'], start: '22:00', end: '02:00', cutoff: '3h59m' }).cutoff).toBe(14_340);
  });
});

describe('windowState', () => {
  // 2026-03-28 is a Saturday.
  const saturdayMorning = windowOf({ days: ['sat'], start: '02:00', end: '06:00', cutoff: '30m' });

  it('is closed before the start, and says when it opens', () => {
    expect(windowState(saturdayMorning, at('2026-03-28T01:59:00Z'))).toEqual({
      open: false,
      acceptingNewHosts: false,
      closesAt: null,
      cutoffAt: null,
      opensAt: at('2026-03-28T02:00:00Z'),
    });
  });

  it('is open from the start, accepting hosts until the cutoff', () => {
    expect(windowState(saturdayMorning, at('2026-03-28T02:00:00Z'))).toEqual({
      open: true,
      acceptingNewHosts: true,
      closesAt: at('2026-03-28T06:00:00Z'),
      cutoffAt: at('2026-03-28T05:30:00Z'),
      opensAt: at('2026-04-04T02:00:00Z'),
    });
  });

  it('stays open but takes no new hosts after the cutoff', () => {
    const state = windowState(saturdayMorning, at('2026-03-28T05:30:00Z'));
    expect(state.open).toBe(true);
    expect(state.acceptingNewHosts).toBe(false);
    expect(state.opensAt).toEqual(at('2026-04-04T02:00:00Z'));
    expect(windowState(saturdayMorning, at('2026-03-28T05:29:59Z')).acceptingNewHosts).toBe(true);
  });

  it('is closed at the end, and opens next week', () => {
    const state = windowState(saturdayMorning, at('2026-03-28T06:00:00Z'));
    expect(state.open).toBe(false);
    expect(state.opensAt).toEqual(at('2026-04-04T02:00:00Z'));
  });

  it('is closed the same hours on a day not listed', () => {
    expect(windowState(saturdayMorning, at('2026-03-29T03:00:00Z')).open).toBe(false);
  });

  describe('across midnight: fri 22:00-02:00', () => {
    const fridayNight = windowOf({ days: ['fri'], start: '22:00', end: '02:00' });

    it('is open on Saturday at 01:00, closing at 02:00', () => {
      const state = windowState(fridayNight, at('2026-03-28T01:00:00Z'));
      expect(state.open).toBe(true);
      expect(state.acceptingNewHosts).toBe(true);
      expect(state.closesAt).toEqual(at('2026-03-28T02:00:00Z'));
      expect(state.cutoffAt).toEqual(at('2026-03-28T02:00:00Z'));
    });

    it('is open on Friday at 23:00', () => {
      expect(windowState(fridayNight, at('2026-03-27T23:00:00Z')).open).toBe(true);
    });

    it('is closed on Friday at 01:00, the tail of a Thursday night not listed', () => {
      const state = windowState(fridayNight, at('2026-03-27T01:00:00Z'));
      expect(state.open).toBe(false);
      expect(state.opensAt).toEqual(at('2026-03-27T22:00:00Z'));
    });

    it('is closed on Saturday at 22:30', () => {
      const state = windowState(fridayNight, at('2026-03-28T22:30:00Z'));
      expect(state.open).toBe(false);
      expect(state.opensAt).toEqual(at('2026-04-03T22:00:00Z'));
    });
  });

  it('reads times in the window time zone', () => {
    const tokyo = windowOf({ days: ['mon'], start: '09:00', end: '10:00', timezone: 'Asia/Tokyo' });
    // Monday 2026-06-08 09:30 in Tokyo is Monday 00:30 UTC.
    expect(windowState(tokyo, at('2026-06-08T00:30:00Z')).closesAt).toEqual(at('2026-06-08T01:00:00Z'));
    // Sunday 2026-06-07 23:30 UTC is already Monday 08:30 in Tokyo: closed, opening in half an hour.
    expect(windowState(tokyo, at('2026-06-07T23:30:00Z'))).toMatchObject({
      open: false,
      opensAt: at('2026-06-08T00:00:00Z'),
    });
  });

  it('is open all day when start equals end', () => {
    const allDay = windowOf({ days: ['sun'], start: '00:00', end: '00:00', timezone: 'Europe/Berlin' });
    // Sunday 2026-06-07 in Berlin (UTC+2): from Saturday 22:00 UTC to Sunday 22:00 UTC.
    expect(windowState(allDay, at('2026-06-06T22:00:00Z')).open).toBe(true);
    expect(windowState(allDay, at('2026-06-07T21:59:59Z')).closesAt).toEqual(at('2026-06-07T22:00:00Z'));
    expect(windowState(allDay, at('2026-06-07T22:00:00Z')).open).toBe(false);
  });

  describe('daylight saving time in Europe/Berlin', () => {
    const sundayNight = windowOf({ days: ['sun'], start: '02:00', end: '04:00', timezone: 'Europe/Berlin' });

    it('spring forward (2026-03-29): 02:00 does not exist, so the window opens at 03:00 CEST and lasts an hour', () => {
      expect(windowState(sundayNight, at('2026-03-29T00:30:00Z'))).toMatchObject({
        open: false,
        opensAt: at('2026-03-29T01:00:00Z'),
      });
      expect(windowState(sundayNight, at('2026-03-29T01:00:00Z'))).toMatchObject({
        open: true,
        closesAt: at('2026-03-29T02:00:00Z'),
      });
      expect(windowState(sundayNight, at('2026-03-29T02:00:00Z')).open).toBe(false);
    });

    it('fall back (2026-10-25): 02:00 happens twice; the window opens at the first and lasts three hours', () => {
      expect(windowState(sundayNight, at('2026-10-24T23:59:00Z'))).toMatchObject({
        open: false,
        opensAt: at('2026-10-25T00:00:00Z'),
      });
      expect(windowState(sundayNight, at('2026-10-25T00:00:00Z'))).toMatchObject({
        open: true,
        closesAt: at('2026-10-25T03:00:00Z'),
      });
      expect(windowState(sundayNight, at('2026-10-25T02:59:59Z')).open).toBe(true);
    });

    describe('whatever the machine clock says', () => {
      afterEach(() => {
        vi.useRealTimers();
      });

      // luxon's own resolution of a repeated time depends on the current date; ours must not.
      it.each(['2026-07-01T12:00:00Z', '2026-01-01T12:00:00Z'])('with the clock at %s', (clock) => {
        vi.useFakeTimers({ now: new Date(clock) });
        expect(windowState(sundayNight, at('2026-10-24T23:59:00Z')).opensAt).toEqual(
          at('2026-10-25T00:00:00Z'),
        );
      });
    });

    it('a night window over the spring change keeps its wall-clock times: seven real hours instead of eight', () => {
      const overnight = windowOf({
        days: ['sat'],
        start: '22:00',
        end: '06:00',
        timezone: 'Europe/Berlin',
        cutoff: '30m',
      });
      expect(windowState(overnight, at('2026-03-28T23:00:00Z'))).toEqual({
        open: true,
        acceptingNewHosts: true,
        closesAt: at('2026-03-29T04:00:00Z'),
        cutoffAt: at('2026-03-29T03:30:00Z'),
        opensAt: at('2026-04-04T20:00:00Z'),
      });
    });

    it('a window lying wholly inside the skipped hour does not happen that night', () => {
      const swallowed = windowOf({ days: ['sun'], start: '02:15', end: '02:45', timezone: 'Europe/Berlin' });
      // Both ends shift forward by an hour, so it runs 03:15-03:45 CEST.
      expect(windowState(swallowed, at('2026-03-29T01:20:00Z')).open).toBe(true);
      const gapEdge = windowOf({ days: ['sun'], start: '02:30', end: '03:00', timezone: 'Europe/Berlin' });
      // 02:30 moves to 03:30, after the 03:00 end: no window that night; the next is a week later.
      expect(windowState(gapEdge, at('2026-03-29T00:00:00Z'))).toMatchObject({
        open: false,
        opensAt: at('2026-04-05T00:30:00Z'),
      });
    });
  });
});
