import { DateTime } from 'luxon';

/** How a member takes review requests: each as it comes, or once a day in one mail. */
export const MAIL_DIGESTS = ['off', 'daily'] as const;
export type MailDigest = (typeof MAIL_DIGESTS)[number];

/**
 * Only posts due further ahead than this wait for the digest. The digest goes out
 * at least once a day, so a request it holds reaches its approver more than a day
 * before the post's time, ahead of the first reminder (24 h by default).
 */
export const DIGEST_HOLDS_AFTER_MS = 48 * 3600_000;

/** Whether a review request for a post due at `scheduledAt` waits for `digest`. */
export const waitsForDigest = (digest: MailDigest, scheduledAt: Date, now: Date): boolean =>
  digest === 'daily' && scheduledAt.getTime() - now.getTime() > DIGEST_HOLDS_AFTER_MS;

/**
 * The local date (YYYY-MM-DD in `zone`) of the digest due at `now`, or null when
 * none is: one a day, from `hour` o'clock local time, unless today's went out
 * already (`lastSentOn`). A worker that was down sends the day's at its next run.
 */
export function digestDue(now: Date, zone: string, hour: number, lastSentOn: string | null): string | null {
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.toISODate();
  if (!today || local.hour < hour) return null;
  return lastSentOn !== null && lastSentOn >= today ? null : today;
}
