import { DateTime } from 'luxon';
import { dayIndexOf, localDays, localIso } from './local-days';

describe(localDays.name, () => {
  it('makes the spring-forward day 23 hours and the fall-back day 25 hours long', () => {
    const spring = localDays('2027-03-28', '2027-03-28', 'Europe/Paris');
    expect((spring.starts[1] - spring.starts[0]) / 3_600_000).toBe(23);
    const autumn = localDays('2027-10-31', '2027-10-31', 'Europe/Paris');
    expect((autumn.starts[1] - autumn.starts[0]) / 3_600_000).toBe(25);
  });

  it('lists every date of the range once', () => {
    const days = localDays('2027-03-27', '2027-04-02', 'America/New_York');
    expect(days.dates).toEqual([
      '2027-03-27',
      '2027-03-28',
      '2027-03-29',
      '2027-03-30',
      '2027-03-31',
      '2027-04-01',
      '2027-04-02',
    ]);
  });
});

describe(dayIndexOf.name, () => {
  const days = localDays('2027-10-30', '2027-11-01', 'Europe/Paris');
  const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();

  it('finds the local day of instants around the autumn change', () => {
    expect(days.dates[dayIndexOf(days, at('2027-10-31T00:30:00+02:00'))]).toBe('2027-10-31');
    expect(days.dates[dayIndexOf(days, at('2027-10-31T23:30:00+01:00'))]).toBe('2027-10-31');
    expect(days.dates[dayIndexOf(days, at('2027-10-30T23:59:59+02:00'))]).toBe('2027-10-30');
    expect(days.dates[dayIndexOf(days, at('2027-11-01T00:00:00+01:00'))]).toBe('2027-11-01');
  });

  it('answers -1 outside the range', () => {
    expect(dayIndexOf(days, at('2027-10-29T23:59:59+02:00'))).toBe(-1);
    expect(dayIndexOf(days, at('2027-11-02T00:00:00+01:00'))).toBe(-1);
  });
});

describe(localIso.name, () => {
  it('agrees with luxon on every hour of a DST-changing week', () => {
    const days = localDays('2027-03-25', '2027-03-31', 'Europe/Paris');
    for (let t = days.starts[0]; t < days.starts[days.starts.length - 1]; t += 30 * 60_000) {
      const expected = DateTime.fromMillis(t, { zone: 'Europe/Paris' }).toISO({ suppressMilliseconds: true });
      expect(localIso(days, dayIndexOf(days, t), t)).toBe(expected);
    }
  });
});
