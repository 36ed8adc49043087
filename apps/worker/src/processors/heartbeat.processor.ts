import { HEARTBEAT_EVERY_MS, QueueName, SchedulerId, type JobData } from '@app/queue';
import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';

/** Proves the worker is alive and consuming: a scheduled job every 30 s, logged. */
@Injectable()
@Processor(QueueName.Maintenance)
export class HeartbeatProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(HeartbeatProcessor.name);

  constructor(@InjectQueue(QueueName.Maintenance) private readonly queue: Queue) {
    super();
  }

  /** Idempotent: every replica upserts the same scheduler id, so it exists once. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SchedulerId.Heartbeat,
      { every: HEARTBEAT_EVERY_MS },
      {
        name: 'heartbeat',
        data: {} satisfies JobData<'heartbeat'>,
        opts: { removeOnComplete: 10, removeOnFail: 50 },
      },
    );
  }

  process(job: Job<JobData<'heartbeat'>>): Promise<{ at: string }> {
    const at = new Date().toISOString();
    this.logger.debug(`heartbeat ${job.id ?? ''} at ${at}`);
    return Promise.resolve({ at });
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error: ${error.message}`);
  }
}
