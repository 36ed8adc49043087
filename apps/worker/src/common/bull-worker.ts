import type { AppConfig } from '@app/config';
import { bullConnectionOptions, jitteredBackoff, type QueueName } from '@app/queue';
import type { Logger } from '@nestjs/common';
import { Worker, type Job, type WorkerOptions } from 'bullmq';

/**
 * A BullMQ worker on Countersign's connection and prefix, with the jittered backoff
 * its jobs ask for, and errors logged rather than thrown (an 'error' event without a
 * listener would end the process when Redis goes away).
 */
export function startBullWorker<T>(
  config: AppConfig,
  queue: QueueName,
  process: (job: Job<T>, token?: string) => Promise<unknown>,
  logger: Logger,
  options: Omit<WorkerOptions, 'connection' | 'prefix' | 'settings'> = {},
): Worker<T> {
  const worker = new Worker<T>(queue, process, {
    connection: bullConnectionOptions(config.redisUrl),
    prefix: config.queuePrefix,
    settings: {
      backoffStrategy: (attemptsMade: number) => jitteredBackoff(config.publishRetryBaseMs, attemptsMade),
    },
    ...options,
  });
  worker.on('error', (error) => logger.warn(`${queue} worker: ${error.message}`));
  return worker;
}
