import { AppConfig } from '@app/config';
import { QueueName, type JobData } from '@app/queue';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, type Worker } from 'bullmq';
import { ChannelHolds } from './channel-holds';
import { ChannelSlots } from './channel-slots';
import { startBullWorker } from '../common/bull-worker';
import { PublishService } from './publish.service';
import { PublishingLoad } from './publishing-load';

/** Jobs that may wait in line for a busy channel, per slot of the channel. */
const LINE_PER_SLOT = 3;
/**
 * How long a worker slot that turned a job away (its channel busy) rests before
 * fetching another: without the rest, slots spin on jobs of the busy channels and a
 * burst on few channels goes at half the speed (docs/benchmarks.md).
 */
const TURNED_AWAY_REST_MS = 100;

/**
 * The BullMQ worker of the publish queue, built by hand for what the decorator
 * cannot take from configuration: concurrency, lock duration, jittered backoff.
 */
@Injectable()
export class PublishWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PublishWorker.name);
  private worker: Worker<JobData<'publish'>> | undefined;
  private readonly slots: ChannelSlots;

  constructor(
    private readonly publish: PublishService,
    private readonly load: PublishingLoad,
    private readonly holds: ChannelHolds,
    private readonly config: AppConfig,
  ) {
    this.slots = new ChannelSlots(config.publishPerChannel, config.publishPerChannel * LINE_PER_SLOT);
  }

  onApplicationBootstrap(): void {
    this.worker = startBullWorker<JobData<'publish'>>(
      this.config,
      QueueName.Publish,
      (job, token) => this.process(job, token),
      this.logger,
      {
        concurrency: this.config.publishConcurrency,
        lockDuration: this.config.publishLockMs,
        stalledInterval: Math.max(1000, Math.floor(this.config.publishLockMs / 2)),
        maxStalledCount: 5,
      },
    );
  }

  /**
   * Lets in-flight publishes finish (worker.close waits for active jobs), then stops;
   * jobs waiting in a channel's line go back to the queue (they have not claimed).
   */
  async onApplicationShutdown(): Promise<void> {
    const closing = this.worker?.close();
    this.slots.close();
    await closing;
  }

  private async process(job: Job<JobData<'publish'>>, token?: string): Promise<string> {
    this.load.begin();
    try {
      return await this.publishOne(job, token);
    } finally {
      this.load.end();
    }
  }

  private async publishOne(job: Job<JobData<'publish'>>, token?: string): Promise<string> {
    const { channelId } = job.data;
    const heldUntil = await this.holds.until(channelId);
    if (heldUntil > 0) {
      await job.moveToDelayed(heldUntil, token);
      throw new DelayedError();
    }
    if (!(await this.slots.take(channelId))) {
      const ms = this.slots.stepAsideMs(channelId);
      await job.moveToDelayed(Date.now() + ms, token);
      // The slot rests a moment before it fetches again: when every job in the queue is
      // for a busy channel, fetching at once only turns the next one away too.
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, TURNED_AWAY_REST_MS)));
      throw new DelayedError();
    }
    const started = Date.now();
    try {
      const attempt = job.attemptsMade + 1;
      const outcome = await this.publish.run(job.data, attempt, attempt >= (job.opts.attempts ?? 1));
      if (outcome.kind === 'early') {
        await job.moveToDelayed(outcome.at.getTime(), token);
        throw new DelayedError();
      }
      // Thrown, so that BullMQ retries with backoff (the same idempotency key each time).
      if (outcome.kind === 'wait') {
        await job.moveToDelayed(outcome.until.getTime(), token);
        throw new DelayedError();
      }
      if (outcome.kind === 'retry') throw outcome.error;
      return outcome.kind;
    } finally {
      this.slots.release(channelId, Date.now() - started);
    }
  }
}
