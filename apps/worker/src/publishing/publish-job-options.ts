import type { AppConfig } from '@app/config';
import type { JobsOptions } from 'bullmq';

/** How the worker's jobs are added: retried with its backoff, kept a while for inspection. */
export function retriedJobOptions(config: AppConfig, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: config.publishAttempts,
    backoff: { type: 'jittered' },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** A publish job: retried and kept like the others, delayed until its post is due. */
export function publishJobOptions(config: AppConfig, delayMs: number, jobId: string): JobsOptions {
  return { ...retriedJobOptions(config, jobId), delay: Math.max(0, delayMs) };
}

/** Exponential backoff from `baseMs`, with ±30% jitter so retries of a burst spread out; at most 5 min. */
export function jitteredBackoff(baseMs: number, attemptsMade: number): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 300_000);
  return Math.round(exponential * (0.7 + Math.random() * 0.6));
}
