import { DateTime } from 'luxon';

/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`): an instant, never a guess. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The instant named by `value`, or null when it is not a real ISO 8601 date-time with an offset. */
export function parseInstant(value: string): Date | null {
  if (!ISO_WITH_OFFSET.test(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}
