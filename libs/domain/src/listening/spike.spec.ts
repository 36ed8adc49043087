import fc from 'fast-check';
import { checkSpike, DEFAULT_WATCH, figuresOf, type MinuteCount } from './spike';

const MINUTE = 60_000;
const NOW = new Date('2027-03-15T09:30:00Z'); // a Monday morning
const WEEK = 7 * 24 * 60;

/** Per-minute counts for the `minutes` before now, from `perMinute(minutesAgo)`. */
function series(
  minutes: number,
  perMinute: (ago: number) => { count: number; negative?: number },
): MinuteCount[] {
  const out: MinuteCount[] = [];
  for (let ago = minutes; ago >= 1; ago -= 1) {
    const { count, negative = 0 } = perMinute(ago);
    if (count > 0) out.push({ at: NOW.getTime() - ago * MINUTE, count, negative });
  }
  return out;
}
const start = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE);
const check = (
  s: MinuteCount[],
  history: number,
  at = NOW,
  lastAlert: Date | null = null,
  watch = DEFAULT_WATCH,
) => checkSpike(watch, figuresOf(s, at, watch.windowMinutes, start(history)), at, lastAlert);

describe('checkSpike', () => {
  it('stays quiet on a flat week: two mentions every ten minutes', () => {
    const flat = series(WEEK + 120, (ago) => ({ count: ago % 5 === 0 ? 1 : 0 }));
    for (let back = 0; back < 24 * 60; back += 10) {
      expect(check(flat, WEEK + 120, new Date(NOW.getTime() - back * MINUTE)).spike).toBe(false);
    }
  });

  it('stays quiet on a slow rise over a day (two to five per window)', () => {
    // One mention every five minutes a week ago, then every five down to every two over the last day.
    const every = (ago: number) =>
      ago > 24 * 60 ? 5 : Math.max(2, Math.round(5 - (3 * (24 * 60 - ago)) / (24 * 60)));
    const rising = series(WEEK + 120, (ago) => ({ count: ago % every(ago) === 0 ? 1 : 0 }));
    const result = check(rising, WEEK + 120);
    expect(result.spike).toBe(false);
    expect(result.reason).toBe('below_threshold');
  });

  it('measures a Monday-morning peak against last Monday morning, not the quiet night before', () => {
    // Every weekday from 09:00 to 10:00 UTC, three mentions a minute; otherwise one every five minutes.
    const peakAt = (ago: number) => {
      const t = new Date(NOW.getTime() - ago * MINUTE);
      const busy = t.getUTCHours() === 9 && t.getUTCDay() === 1;
      return { count: busy ? 3 : ago % 5 === 0 ? 1 : 0 };
    };
    const peaks = series(WEEK + 120, peakAt);
    const result = check(peaks, WEEK + 120);
    expect(result.baseline).toBeGreaterThanOrEqual(25);
    expect(result.spike).toBe(false);
    // Without last week's history the same morning is measured against the day before: an alert.
    const young = series(2 * 24 * 60, peakAt);
    expect(check(young, 2 * 24 * 60).spike).toBe(true);
  });

  it('alerts on sixty negative mentions in two minutes after a quiet week, and not again inside the cooldown', () => {
    const storm = series(WEEK + 120, (ago) =>
      ago <= 2 ? { count: 30, negative: 30 } : { count: ago % 5 === 0 ? 1 : 0 },
    );
    const first = check(storm, WEEK + 120);
    expect(first).toMatchObject({ spike: true, reason: null, negativeShare: 60 / 62 });
    expect(first.threshold).toBe(20);
    const again = check(storm, WEEK + 120, NOW, new Date(NOW.getTime() - 30 * MINUTE));
    expect(again).toMatchObject({ spike: false, reason: 'cooldown' });
    expect(check(storm, WEEK + 120, NOW, new Date(NOW.getTime() - 61 * MINUTE)).spike).toBe(true);
    // A watch that asks for a negative share is not moved by a cheerful flood.
    const cheerful = series(WEEK + 120, (ago) => (ago <= 2 ? { count: 30, negative: 3 } : { count: 0 }));
    expect(check(cheerful, WEEK + 120, NOW, null, { ...DEFAULT_WATCH, negativeShare: 0.5 })).toMatchObject({
      spike: false,
      reason: 'not_negative_enough',
    });
  });

  it('never alerts on a series whose every window is under minMentions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 2, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 200, maxLength: 200 }),
        fc.integer({ min: 0, max: 24 * 60 }),
        (windowMinutes, minMentions, pattern, historyAgo) => {
          // At most minMentions - 1 in any window: the counts of each window, spread over its minutes.
          const perWindow = minMentions - 1;
          const s = series(WEEK + 120, (ago) => {
            const slot = Math.floor(ago / windowMinutes);
            const inWindow = ago % windowMinutes;
            const share = Math.floor((perWindow * pattern[slot % pattern.length]) / 3);
            return {
              count: inWindow === 0 ? Math.floor(share / 2) : inWindow === 1 ? Math.ceil(share / 2) : 0,
            };
          });
          const watch = { ...DEFAULT_WATCH, windowMinutes, minMentions, factor: 1 };
          const figures = figuresOf(s, NOW, windowMinutes, start(historyAgo));
          expect(figures.count).toBeLessThan(minMentions);
          expect(checkSpike(watch, figures, NOW, null).spike).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('alerts on any step above the thresholds once the baseline has a week of history', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 5, max: 30 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (level, windowMinutes, factor, extra) => {
          const quiet = (ago: number) => ({ count: ago % 4 === 0 ? level : 0 });
          const baselineWindow = (level * windowMinutes) / 4;
          const needed = Math.ceil(Math.max(DEFAULT_WATCH.minMentions, factor * baselineWindow)) + extra;
          const s = series(WEEK + 120, (ago) =>
            ago === 1 ? { count: needed, negative: needed } : quiet(ago),
          );
          const watch = { ...DEFAULT_WATCH, windowMinutes, factor };
          expect(
            checkSpike(watch, figuresOf(s, NOW, windowMinutes, start(WEEK + 120)), NOW, null).spike,
          ).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
