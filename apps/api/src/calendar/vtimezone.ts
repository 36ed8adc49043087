import { DateTime, FixedOffsetZone } from 'luxon';

const MINUTE = 60_000;

const offset = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
};

/** The first minute at or after `from` whose offset in `zone` is not `before`'s, found by halving. */
function transitionAt(zone: string, fromMs: number, toMs: number, before: number): number {
  let [lo, hi] = [Math.floor(fromMs / MINUTE), Math.ceil(toMs / MINUTE)];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (DateTime.fromMillis(mid * MINUTE, { zone }).offset === before) lo = mid;
    else hi = mid;
  }
  return hi * MINUTE;
}

/**
 * An RFC 5545 VTIMEZONE for `zone` between two instants, from the zone's own rules
 * (luxon, the platform's tz database): one component per offset change in the
 * range, each starting at the local time it happens, so a reader needs no tz
 * database of its own to place the feed's local times.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const component = (startMs: number, fromOffset: number, toOffset: number): string[] => {
    const at = DateTime.fromMillis(startMs, { zone });
    const kind = at.isInDST ? 'DAYLIGHT' : 'STANDARD';
    const local = DateTime.fromMillis(startMs, { zone: FixedOffsetZone.instance(fromOffset) });
    return [
      `BEGIN:${kind}`,
      `DTSTART:${local.toFormat("yyyyLLdd'T'HHmmss")}`,
      `TZOFFSETFROM:${offset(fromOffset)}`,
      `TZOFFSETTO:${offset(toOffset)}`,
      `TZNAME:${at.offsetNameShort ?? offset(toOffset)}`,
      `END:${kind}`,
    ];
  };
  let day = DateTime.fromJSDate(from, { zone }).startOf('day');
  const end = DateTime.fromJSDate(to, { zone }).endOf('day');
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...component(day.toMillis(), day.offset, day.offset)];
  while (day < end) {
    const next = day.plus({ days: 1 });
    if (next.offset !== day.offset) {
      const at = transitionAt(zone, day.toMillis(), next.toMillis(), day.offset);
      lines.push(...component(at, day.offset, next.offset));
    }
    day = next;
  }
  return [...lines, 'END:VTIMEZONE'].join('\r\n');
}
