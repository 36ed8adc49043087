import type { AppConfig } from '@app/config';
import type { JobsOptions, Queue } from 'bullmq';
import { publishJobId, type JobData } from './job-payloads';

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

/** Exponential backoff from `baseMs`, with ±30% jitter so retries of a burst spread out; at most 5 min. */
export function jitteredBackoff(baseMs: number, attemptsMade: number): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 300_000);
  return Math.round(exponential * (0.7 + Math.random() * 0.6));
}

const FINISHED = new Set(['completed', 'failed', 'unknown']);

/**
 * Makes sure the publish job of this post version is in Redis, due at `dueAt`.
 * A finished job is replaced (its id would make a new add a no-op); a job still
 * waiting, running or backing off is left alone, unless `moveDelayed` asks for a
 * delayed one to take the new time. Job ids are per version, so a second call is
 * harmless: the gate decides under the row lock either way.
 */
export async function ensurePublishJob(
  queue: Queue,
  config: AppConfig,
  data: JobData<'publish'>,
  dueAt: number,
  { moveDelayed }: { moveDelayed: boolean },
): Promise<'added' | 'moved' | 'alive'> {
  const jobId = publishJobId(data.postId, data.version);
  const delay = Math.max(0, dueAt - Date.now());
  const existing = await queue.getJob(jobId);
  const state = existing ? await existing.getState() : undefined;
  if (existing && state === 'delayed' && moveDelayed) {
    await existing.changeDelay(delay);
    return 'moved';
  }
  if (existing && !FINISHED.has(state!)) return 'alive';
  if (existing) await existing.remove();
  await queue.add('publish', data, { ...retriedJobOptions(config, jobId), delay });
  return 'added';
}
