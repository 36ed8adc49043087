import { DIGEST_HOLDS_AFTER_MS, digestDue, waitsForDigest } from './mail-digest';

describe(waitsForDigest.name, () => {
  const now = new Date('2027-03-01T08:00:00Z');
  const inMs = (ms: number) => new Date(now.getTime() + ms);

  it('holds requests of posts due more than 48 h ahead, for members who chose the daily digest', () => {
    expect(waitsForDigest('daily', inMs(DIGEST_HOLDS_AFTER_MS + 1), now)).toBe(true);
    expect(waitsForDigest('daily', inMs(DIGEST_HOLDS_AFTER_MS), now)).toBe(false);
    expect(waitsForDigest('daily', inMs(3600_000), now)).toBe(false);
    expect(waitsForDigest('off', inMs(10 * DIGEST_HOLDS_AFTER_MS), now)).toBe(false);
  });
});

describe(digestDue.name, () => {
  it('is due from the hour, local time, once per local day', () => {
    // 06:59 UTC is 07:59 in Paris (winter): not yet; 07:00 UTC is 08:00 there.
    expect(digestDue(new Date('2027-01-15T06:59:00Z'), 'Europe/Paris', 8, null)).toBeNull();
    expect(digestDue(new Date('2027-01-15T07:00:00Z'), 'Europe/Paris', 8, null)).toBe('2027-01-15');
    expect(digestDue(new Date('2027-01-15T07:00:00Z'), 'Europe/Paris', 8, '2027-01-14')).toBe('2027-01-15');
    expect(digestDue(new Date('2027-01-15T22:00:00Z'), 'Europe/Paris', 8, '2027-01-15')).toBeNull();
  });

  it('reads the day in the workspace zone, not in UTC', () => {
    // 03:00 UTC on the 16th is still the 15th, 22:00, in New York.
    expect(digestDue(new Date('2027-01-16T03:00:00Z'), 'America/New_York', 8, '2027-01-15')).toBeNull();
    expect(digestDue(new Date('2027-01-16T03:00:00Z'), 'America/New_York', 8, '2027-01-14')).toBe(
      '2027-01-15',
    );
  });

  it('follows the clocks across a DST change', () => {
    // 28 Mar 2027, Paris springs forward at 02:00: 08:00 local is 06:00 UTC.
    expect(digestDue(new Date('2027-03-28T05:59:00Z'), 'Europe/Paris', 8, '2027-03-27')).toBeNull();
    expect(digestDue(new Date('2027-03-28T06:00:00Z'), 'Europe/Paris', 8, '2027-03-27')).toBe('2027-03-28');
  });
});
