import { AppConfig } from '@app/config';
import { HEARTBEAT_EVERY_MS, QueueName, SchedulerId, type CountersignJob } from '@app/queue';
import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Reconciler } from '../publishing/reconciler';
import { ReviewDigests } from '../notifications/review-digests';
import { Housekeeping } from './housekeeping';
import { Reminders } from '../notifications/reminders';
import { SpikeWatchRun } from '../listening/spike-watch';
import { MentionPolling } from '../listening/mention-polling';

/** Housekeeping has nothing urgent: once an hour. */
const HOUSEKEEPING_EVERY_MS = 3600_000;

type MaintenanceJob = Extract<CountersignJob, { queue: typeof QueueName.Maintenance }>;

/**
 * Repeatable jobs: a heartbeat, the reconciler, review reminders and digests, housekeeping, the spike watch, mention polling. The job schedulers are
 * upserted under fixed ids, so however many workers run, each job runs once per
 * interval; every worker re-upserts them now and then, so they come back by
 * themselves if Redis lost them.
 */
@Injectable()
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(MaintenanceProcessor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly reconciler: Reconciler,
    private readonly reminders: Reminders,
    private readonly digests: ReviewDigests,
    private readonly housekeeping: Housekeeping,
    private readonly spikeWatch: SpikeWatchRun,
    private readonly polling: MentionPolling,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureSchedulers();
    // Redis came back (maybe empty, after a restart): reconcile now rather than at
    // the next scheduled run, which an empty Redis no longer has anyway.
    const client = await this.queue.getBackend().client;
    let lost = false;
    client.on('close', () => (lost = true));
    client.on('ready', () => {
      if (!lost) return;
      lost = false;
      this.recover().catch((error: unknown) => this.logger.warn(`recovery: ${(error as Error).message}`));
    });
    this.timer = setInterval(() => {
      this.ensureSchedulers().catch((error: unknown) =>
        this.logger.warn(`schedulers: ${(error as Error).message}`),
      );
    }, this.config.reconcileEveryMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async process(job: Job<MaintenanceJob['data'], unknown, MaintenanceJob['name']>): Promise<unknown> {
    switch (job.name) {
      case 'heartbeat':
        this.logger.debug(`heartbeat ${job.id ?? ''}`);
        return { at: new Date().toISOString() };
      case 'reconcile':
        return this.reconciler.run();
      case 'reminders':
        return this.reminders.run();
      case 'digests':
        return this.digests.run();
      case 'housekeeping':
        return this.housekeeping.run();
      case 'spike-watch':
        return this.spikeWatch.run();
      case 'listen':
        return this.polling.run();
    }
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`maintenance worker: ${error.message}`);
  }

  private async recover(): Promise<void> {
    await this.ensureSchedulers();
    const { enqueued } = await this.reconciler.run();
    this.logger.log(`Redis is back: reconciled, ${enqueued} publish job(s) enqueued`);
  }

  private async ensureSchedulers(): Promise<void> {
    const keep = { removeOnComplete: 10, removeOnFail: 50 };
    await this.queue.upsertJobScheduler(
      SchedulerId.Heartbeat,
      { every: HEARTBEAT_EVERY_MS },
      { name: 'heartbeat', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      SchedulerId.Reconcile,
      { every: this.config.reconcileEveryMs },
      { name: 'reconcile', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      SchedulerId.Reminders,
      { every: this.config.remindersEveryMs },
      { name: 'reminders', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      SchedulerId.Digests,
      { every: this.config.remindersEveryMs },
      { name: 'digests', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      SchedulerId.Housekeeping,
      { every: HOUSEKEEPING_EVERY_MS },
      { name: 'housekeeping', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      SchedulerId.SpikeWatch,
      { every: this.config.spikeWatchEveryMs },
      { name: 'spike-watch', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      SchedulerId.Listen,
      { every: this.config.listenEveryMs },
      { name: 'listen', data: {}, opts: keep },
    );
  }
}
