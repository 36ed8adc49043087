import { DateTime } from 'luxon';

/** The bucket sizes mention stats are counted in. */
export const STATS_BUCKETS = ['5m', '1h', '1d'] as const;
export type StatsBucket = (typeof STATS_BUCKETS)[number];

/** The most buckets one stats request may span. */
export const MAX_STATS_BUCKETS = 2000;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;

/**
 * The grain counts are read in: every bucket bound falls on it (5 minutes; a
 * quarter hour for hours and days, which start on a quarter hour in every zone).
 */
export const binMinutesOf = (bucket: StatsBucket): number => (bucket === '5m' ? 5 : 15);

/**
 * The bounds of the buckets covering [from, to): 5 minutes on the clock, or the
 * hours and days of `zone` (a day is 23 or 25 hours when its clocks change). One
 * more bound than buckets; the first at or before `from`, the last at or after `to`.
 */
export function bucketBounds(from: Date, to: Date, bucket: StatsBucket, zone: string): number[] {
  if (bucket === '5m') {
    const step = 5 * MINUTE;
    const first = Math.floor(from.getTime() / step) * step;
    const bounds = [first];
    while (bounds[bounds.length - 1] < to.getTime()) bounds.push(bounds[bounds.length - 1] + step);
    return bounds.length === 1 ? [first, first + step] : bounds;
  }
  const unit = bucket === '1h' ? 'hour' : 'day';
  const first = DateTime.fromJSDate(from, { zone }).startOf(unit);
  const bounds = [first.toMillis()];
  for (let i = 1; bounds[bounds.length - 1] < to.getTime() || bounds.length === 1; i += 1) {
    bounds.push(first.plus(unit === 'hour' ? { hours: i } : { days: i }).toMillis());
  }
  return bounds;
}

/** Mentions counted in one bin (ms since the epoch of its start). */
export interface MentionBin {
  at: number;
  count: number;
  negative: number;
}

export interface MentionBucket {
  start: number;
  end: number;
  count: number;
  negative: number;
  /**
   * What the bucket would hold on an ordinary day: the same bucket a week before
   * where the history reaches back that far (a Monday-morning peak is measured
   * against last Monday morning, as the spike watch does), else the day before the
   * bucket, scaled to its length.
   */
  baseline: number;
}

/**
 * The buckets of `bounds` from counts by bin, which must reach back a week and a
 * day before the first bound for the baselines. `historyStart`: the first mention
 * of the workspace (null: none). Pure.
 */
export function mentionBuckets(
  bins: readonly MentionBin[],
  bounds: readonly number[],
  historyStart: number | null,
): MentionBucket[] {
  const sorted = [...bins].sort((a, b) => a.at - b.at);
  const counts = [0];
  const negatives = [0];
  for (const bin of sorted) {
    counts.push(counts[counts.length - 1] + bin.count);
    negatives.push(negatives[negatives.length - 1] + bin.negative);
  }
  /** How many bins start before `t`. */
  const before = (t: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].at < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const sum = (prefix: number[], from: number, to: number) => prefix[before(to)] - prefix[before(from)];
  return bounds.slice(0, -1).map((start, i) => {
    const end = bounds[i + 1];
    const weekAgo = historyStart !== null && historyStart <= start - WEEK;
    return {
      start,
      end,
      count: sum(counts, start, end),
      negative: sum(negatives, start, end),
      baseline: weekAgo
        ? sum(counts, start - WEEK, end - WEEK)
        : (sum(counts, start - DAY, start) * (end - start)) / DAY,
    };
  });
}

/** Whether a spike alert was given in each bucket. */
export const spikeFlags = (
  buckets: readonly MentionBucket[],
  spikes: ReadonlyArray<{ at: Date }>,
): boolean[] => buckets.map((b) => spikes.some((s) => s.at.getTime() >= b.start && s.at.getTime() < b.end));

/** How far back of the first bound the bins must reach for `mentionBuckets`' baselines. */
export const STATS_LOOKBACK_MS = WEEK + DAY;
