import { AppConfig } from '@app/config';
import { QueueName, type JobData } from '@app/queue';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { startBullWorker } from '../common/bull-worker';
import { MentionPolling } from './mention-polling';

/** Channels read at once by one process: each read waits on a network, not on this process. */
const CONCURRENCY = 4;

/** Runs the listening queue's jobs: one channel's mentions read each. */
@Injectable()
export class ListeningWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ListeningWorker.name);
  private worker: Worker<JobData<'listen-channel'>> | undefined;

  constructor(
    private readonly polling: MentionPolling,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startBullWorker<JobData<'listen-channel'>>(
      this.config,
      QueueName.Listening,
      (job) => this.polling.poll(job.data),
      this.logger,
      { concurrency: CONCURRENCY },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
