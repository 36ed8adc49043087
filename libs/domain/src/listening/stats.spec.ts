import fc from 'fast-check';
import { bucketBounds, mentionBuckets, type MentionBin } from './stats';

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso).getTime();

describe('bucketBounds', () => {
  it('cuts 5-minute buckets on the clock, covering the range', () => {
    const bounds = bucketBounds(
      new Date('2027-03-15T09:03:00Z'),
      new Date('2027-03-15T09:21:00Z'),
      '5m',
      'UTC',
    );
    expect(bounds.map((b) => new Date(b).toISOString().slice(11, 16))).toEqual([
      '09:00',
      '09:05',
      '09:10',
      '09:15',
      '09:20',
      '09:25',
    ]);
  });

  it("cuts hours and days in the workspace's zone: a day with the clocks going forward is 23 hours", () => {
    const days = bucketBounds(
      new Date('2027-03-27T12:00:00Z'),
      new Date('2027-03-29T12:00:00Z'),
      '1d',
      'Europe/Paris',
    );
    expect(days.map((b) => new Date(b).toISOString())).toEqual([
      '2027-03-26T23:00:00.000Z',
      '2027-03-27T23:00:00.000Z',
      '2027-03-28T22:00:00.000Z',
      '2027-03-29T22:00:00.000Z',
    ]);
    const hours = bucketBounds(
      new Date('2027-03-15T09:10:00Z'),
      new Date('2027-03-15T10:00:00Z'),
      '1h',
      'Asia/Kolkata',
    );
    // India is 5:30 ahead: its hours start at half past on the UTC clock.
    expect(hours.map((b) => new Date(b).toISOString().slice(11, 16))).toEqual(['08:30', '09:30', '10:30']);
  });
});

describe('mentionBuckets', () => {
  const bin = (iso: string, count: number, negative = 0): MentionBin => ({ at: at(iso), count, negative });

  it('counts each bucket and measures it against the same bucket a week before', () => {
    const bounds = [at('2027-03-15T09:00:00Z'), at('2027-03-15T10:00:00Z'), at('2027-03-15T11:00:00Z')];
    const bins = [
      bin('2027-03-08T09:15:00Z', 30), // last Monday morning's peak
      bin('2027-03-08T10:00:00Z', 4),
      bin('2027-03-15T09:00:00Z', 20, 5),
      bin('2027-03-15T09:45:00Z', 12, 1),
      bin('2027-03-15T10:30:00Z', 3),
    ];
    expect(mentionBuckets(bins, bounds, at('2027-03-01T00:00:00Z'))).toEqual([
      { start: bounds[0], end: bounds[1], count: 32, negative: 6, baseline: 30 },
      { start: bounds[1], end: bounds[2], count: 3, negative: 0, baseline: 4 },
    ]);
  });

  it('falls back on the day before, scaled to the bucket, when the history is younger than a week', () => {
    const bounds = [at('2027-03-15T09:00:00Z'), at('2027-03-15T09:05:00Z')];
    const bins = [bin('2027-03-14T10:00:00Z', 288), bin('2027-03-15T09:00:00Z', 7)];
    const [only] = mentionBuckets(bins, bounds, at('2027-03-14T10:00:00Z'));
    expect(only).toMatchObject({ count: 7, baseline: 1 });
  });

  it('counts every mention of the range exactly once, whatever the bins and bounds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ minute: fc.integer({ min: 0, max: 600 }), count: fc.integer({ min: 1, max: 50 }) }),
        ),
        fc.integer({ min: 1, max: 12 }),
        (raw, step) => {
          const origin = at('2027-03-15T00:00:00Z');
          const bins = raw.map((r) => ({ at: origin + r.minute * 5 * MINUTE, count: r.count, negative: 0 }));
          const bounds = Array.from({ length: 11 }, (_, i) => origin + i * step * 60 * MINUTE);
          const inRange = bins
            .filter((b) => b.at >= bounds[0] && b.at < bounds[bounds.length - 1])
            .reduce((n, b) => n + b.count, 0);
          const counted = mentionBuckets(bins, bounds, null).reduce((n, b) => n + b.count, 0);
          return counted === inRange;
        },
      ),
    );
  });
});
