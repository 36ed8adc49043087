import { localIsoOf, resolveScheduledAt } from './scheduled-at';

const at = (r: ReturnType<typeof resolveScheduledAt>) => ('at' in r ? r.at.toISOString() : r.error);

describe('resolveScheduledAt', () => {
  it('takes an instant with an offset as it is, whatever the zone', () => {
    expect(at(resolveScheduledAt('2026-05-01T09:30:00+02:00', 'America/New_York'))).toBe(
      '2026-05-01T07:30:00.000Z',
    );
  });

  it('reads a local time in the zone', () => {
    expect(at(resolveScheduledAt('2026-05-01T09:30', 'Europe/Paris'))).toBe('2026-05-01T07:30:00.000Z');
    expect(at(resolveScheduledAt('2026-01-15T09:30:15', 'America/New_York'))).toBe(
      '2026-01-15T14:30:15.000Z',
    );
  });

  it.each([
    ['Europe/Paris', '2026-03-29T02:30', '03:30'],
    ['America/New_York', '2026-03-08T02:15', '03:15'],
  ])('refuses a time the clocks skip in %s (%s), suggesting one', (zone, local, suggestion) => {
    const result = resolveScheduledAt(local, zone);
    expect('error' in result && result.error).toMatch(new RegExp(`does not exist in ${zone}.*${suggestion}`));
  });

  it.each([
    ['Europe/Paris', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
  ])('takes the earlier of a time that happens twice in %s unless told', (zone, local, earlier, later) => {
    expect(at(resolveScheduledAt(local, zone))).toBe(earlier);
    expect(at(resolveScheduledAt(local, zone, 'earlier'))).toBe(earlier);
    expect(at(resolveScheduledAt(local, zone, 'later'))).toBe(later);
    expect(at(resolveScheduledAt(local, zone, 'reject'))).toMatch(/happens twice/);
  });

  it('a time that happens once is the same whatever the disambiguation', () => {
    for (const d of ['earlier', 'later', 'reject'] as const)
      expect(at(resolveScheduledAt('2026-07-01T12:00', 'Europe/Paris', d))).toBe('2026-07-01T10:00:00.000Z');
  });

  it.each(['2026-02-30T10:00', '2026-05-01 09:30', '2026-05-01T25:00', 'tomorrow', '2026-05-01'])(
    'refuses %s',
    (value) => {
      expect(at(resolveScheduledAt(value, 'UTC'))).toMatch(/must be an ISO 8601 date-time/);
    },
  );

  it('gives an instant back in local time with its offset', () => {
    expect(localIsoOf(new Date('2026-10-25T00:30:00Z'), 'Europe/Paris')).toBe('2026-10-25T02:30:00+02:00');
    expect(localIsoOf(new Date('2026-10-25T01:30:00Z'), 'Europe/Paris')).toBe('2026-10-25T02:30:00+01:00');
  });
});
