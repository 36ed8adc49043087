/** What a workspace watches its mentions for, and what it does on a spike. */
export interface SpikeWatch {
  /** the window counted, in minutes */
  windowMinutes: number;
  /** fewer mentions than this in the window are never a spike */
  minMentions: number;
  /** a spike is at least this many times the baseline */
  factor: number;
  /** when set, a spike also needs at least this share of negative mentions (0..1) */
  negativeShare: number | null;
  action: 'notify' | 'pause';
  /** no second alert this soon after one */
  cooldownMinutes: number;
}

export const DEFAULT_WATCH: SpikeWatch = {
  windowMinutes: 10,
  minMentions: 20,
  factor: 4,
  negativeShare: null,
  action: 'notify',
  cooldownMinutes: 60,
};

/** Mentions counted for one check: the window now, and what its baseline is made of. */
export interface SpikeFigures {
  /** mentions in the window ending now */
  count: number;
  /** of those, the negative ones */
  negative: number;
  /** mentions in the hour of the week around `now - 7 days`; null when the history does not reach back that far */
  sameHourLastWeek: number | null;
  /** mentions in the 24 hours before the window */
  previousDay: number;
}

export interface SpikeCheck {
  spike: boolean;
  /** the expected count for a window like this one */
  baseline: number;
  /** the count a spike needs: max(minMentions, factor × baseline) */
  threshold: number;
  negativeShare: number;
  /** why it is no spike, when it is none */
  reason: 'below_threshold' | 'not_negative_enough' | 'cooldown' | null;
}

const HOUR = 60;
const DAY = 24 * HOUR;

/**
 * The expected count for a window of `windowMinutes`: the same hour of the week one
 * week ago where the history reaches there (so a Monday-morning peak is measured
 * against last Monday morning), else the day before, each scaled to the window.
 */
export function baselineOf(
  figures: Pick<SpikeFigures, 'sameHourLastWeek' | 'previousDay'>,
  windowMinutes: number,
): number {
  return figures.sameHourLastWeek !== null
    ? (figures.sameHourLastWeek * windowMinutes) / HOUR
    : (figures.previousDay * windowMinutes) / DAY;
}

/**
 * Whether the mentions of the window now are a spike: at least
 * max(minMentions, factor × baseline), with the negative share asked for when the
 * watch sets one, and no alert within the cooldown. Pure.
 */
export function checkSpike(
  watch: SpikeWatch,
  figures: SpikeFigures,
  now: Date,
  lastAlertAt: Date | null,
): SpikeCheck {
  const baseline = baselineOf(figures, watch.windowMinutes);
  const threshold = Math.max(watch.minMentions, watch.factor * baseline);
  const negativeShare = figures.count === 0 ? 0 : figures.negative / figures.count;
  const reason =
    figures.count < threshold
      ? 'below_threshold'
      : watch.negativeShare !== null && negativeShare < watch.negativeShare
        ? 'not_negative_enough'
        : lastAlertAt && now.getTime() - lastAlertAt.getTime() < watch.cooldownMinutes * 60_000
          ? 'cooldown'
          : null;
  return { spike: reason === null, baseline, threshold, negativeShare, reason };
}

/** One minute's mentions, for computing figures from a series (tests, stats). */
export interface MinuteCount {
  /** the minute, as milliseconds since the epoch (a multiple of 60,000) */
  at: number;
  count: number;
  negative: number;
}

/**
 * The figures of `checkSpike` from a series of per-minute counts, as the worker's
 * query computes them: `historyStart` is when the workspace's history begins.
 */
export function figuresOf(
  series: readonly MinuteCount[],
  now: Date,
  windowMinutes: number,
  historyStart: Date,
): SpikeFigures {
  const t = now.getTime();
  const sum = (from: number, to: number, pick: (m: MinuteCount) => number) =>
    series.reduce((n, m) => (m.at >= from && m.at < to ? n + pick(m) : n), 0);
  const windowStart = t - windowMinutes * 60_000;
  const lastWeek = t - 7 * DAY * 60_000;
  return {
    count: sum(windowStart, t, (m) => m.count),
    negative: sum(windowStart, t, (m) => m.negative),
    sameHourLastWeek:
      historyStart.getTime() <= lastWeek - 30 * 60_000
        ? sum(lastWeek - 30 * 60_000, lastWeek + 30 * 60_000, (m) => m.count)
        : null,
    previousDay: sum(windowStart - DAY * 60_000, windowStart, (m) => m.count),
  };
}
