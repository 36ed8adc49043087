import { DateTime } from 'luxon';

/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`): an instant, never a guess. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The instant named by `value`, or null when it is not a real ISO 8601 date-time with an offset. */
export function parseInstant(value: string): Date | null {
  if (!ISO_WITH_OFFSET.test(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** A local date-time, without offset (`2026-05-01T09:30`): read in a time zone. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;

/** Which instant an ambiguous local time (clocks going back) means; `reject` refuses it. */
export const DISAMBIGUATIONS = ['earlier', 'later', 'reject'] as const;
export type Disambiguation = (typeof DISAMBIGUATIONS)[number];

export const isLocalDateTime = (value: string): boolean => LOCAL_DATE_TIME.test(value);

/** A time a person may send: an instant with an offset, or a local date-time. */
export const isInstantOrLocal = (value: string): boolean =>
  parseInstant(value) !== null ||
  (isLocalDateTime(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid);

/**
 * The instant a post's `scheduledAt` names. With an offset, that instant; without
 * one, that wall-clock time in `zone`: refused when it does not exist there (the
 * hour clocks skip in spring), and, when it happens twice (the hour they repeat in
 * autumn), the earlier unless `disambiguation` says otherwise.
 */
export function resolveScheduledAt(
  value: string,
  zone: string,
  disambiguation: Disambiguation = 'earlier',
): { at: Date } | { error: string } {
  const instant = parseInstant(value);
  if (instant) return { at: instant };
  const wall = isLocalDateTime(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (!wall?.isValid) {
    return { error: 'must be an ISO 8601 date-time, with an offset or local (with timezone)' };
  }
  const local = DateTime.fromISO(value, { zone });
  const fields = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
  if (fields(local) !== fields(wall)) {
    return {
      error: `${value} does not exist in ${zone}: the clocks skip that time (daylight saving time); choose another, e.g. ${local.toFormat("yyyy-MM-dd'T'HH:mm")}`,
    };
  }
  const possible = local.getPossibleOffsets().sort((a, b) => a.toMillis() - b.toMillis());
  if (possible.length > 1 && disambiguation === 'reject') {
    const offsets = possible.map((p) => p.toFormat('ZZ')).join(' or ');
    return {
      error: `${value} happens twice in ${zone} (at ${offsets}: the clocks go back); send an offset, or disambiguation "earlier" or "later"`,
    };
  }
  const chosen = disambiguation === 'later' ? possible[possible.length - 1] : possible[0];
  return { at: chosen.toJSDate() };
}

/** `at` as a local date-time with its offset in `zone` (`2026-05-01T09:30:00+02:00`). */
export const localIsoOf = (at: Date, zone: string): string =>
  DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true }) ?? at.toISOString();

/** `at` as people read it in `zone`: `Sun 28 Mar 2027, 09:30 (Europe/Paris)`. */
export const whenLocal = (at: Date, zone: string): string =>
  `${DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL yyyy, HH:mm')} (${zone})`;
