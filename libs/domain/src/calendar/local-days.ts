import { DateTime } from 'luxon';

/** The days from `from` to `to` (YYYY-MM-DD, inclusive) in `zone`, as instants bounding each day. */
export interface LocalDays {
  zone: string;
  /** `dates[i]` is the local date whose day starts at `starts[i]` and ends at `starts[i + 1]`. */
  dates: string[];
  /** epoch ms; one more than dates */
  starts: number[];
  /** UTC offset in minutes at each start */
  offsets: number[];
}

/**
 * The local days of a range. Day starts come from luxon (tz database), so a day is
 * 23 or 25 hours long when clocks change in it; nothing is assumed about offsets.
 */
export function localDays(from: string, to: string, zone: string): LocalDays {
  const first = DateTime.fromISO(from, { zone }).startOf('day');
  const last = DateTime.fromISO(to, { zone }).startOf('day');
  const count = Math.round(last.diff(first, 'days').days) + 1;
  const bounds = Array.from({ length: Math.max(count, 0) + 1 }, (_, i) => first.plus({ days: i }));
  return {
    zone,
    dates: bounds.slice(0, -1).map((d) => d.toISODate() ?? ''),
    starts: bounds.map((d) => d.toMillis()),
    offsets: bounds.map((d) => d.offset),
  };
}

/** The index of the day holding `instant`, or -1 outside the range. */
export function dayIndexOf(days: LocalDays, instant: number): number {
  let lo = 0;
  let hi = days.dates.length - 1;
  if (hi < 0 || instant < days.starts[0] || instant >= days.starts[hi + 1]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (days.starts[mid] <= instant) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * `instant` as local ISO 8601 with its offset (`2027-03-28T01:30:00+01:00`). The
 * offset is taken from the day's bounds when it does not change that day, which is
 * every day but two a year; on those, the tz database is asked.
 */
export function localIso(days: LocalDays, index: number, instant: number): string {
  const offset =
    days.offsets[index] === days.offsets[index + 1]
      ? days.offsets[index]
      : DateTime.fromMillis(instant, { zone: days.zone }).offset;
  const local = new Date(instant + offset * 60_000).toISOString();
  const clock = instant % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${clock}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
