import { AppConfig } from '@app/config';
import { WebhooksRepository } from '@app/persistence';
import { OutboundHttp, PublishError, postSigned } from '@app/publishers';
import { QueueName, type JobData } from '@app/queue';
import { startBullWorker } from '../common/bull-worker';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';

/**
 * Delivers outbound webhooks: each subscribed audit event, signed like the publisher
 * webhook, with `Idempotency-Key: <subscriptionId>-<seq>`. 5xx and timeouts are
 * retried with backoff (the job is in Redis, so a worker restart does not lose it);
 * 4xx is final. Every try goes to the delivery log.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private worker: Worker<JobData<'deliver'>> | undefined;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
    private readonly http: OutboundHttp,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startBullWorker<JobData<'deliver'>>(
      this.config,
      QueueName.Webhooks,
      (job) => this.deliver(job),
      this.logger,
      {
        concurrency: 20,
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async deliver(job: Job<JobData<'deliver'>>): Promise<string> {
    const { subscriptionId, workspaceId, seq } = job.data;
    const pending = await this.webhooks.pending(subscriptionId, workspaceId, seq);
    if (!pending?.active) return 'unsubscribed';
    const { event } = pending;
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      const res = await postSigned(
        this.http,
        pending.url,
        pending.secret,
        `${subscriptionId}-${seq}`,
        {
          id: `${workspaceId}-${seq}`,
          type: event.action,
          workspaceId,
          postId: event.postId,
          version: event.version,
          actor: { kind: event.actorKind, id: event.actorId },
          before: event.before,
          after: event.after,
          at: event.at.toISOString(),
          auditHash: event.hash,
        },
        this.config.publishTimeoutMs,
        { 'x-countersign-event': event.action },
      );
      await this.webhooks.record(subscriptionId, seq, event.action, {
        status: 'delivered',
        statusCode: res.status,
        error: null,
      });
      return 'delivered';
    } catch (error) {
      const failure =
        error instanceof PublishError ? error : new PublishError((error as Error).message, true);
      const final = !failure.retryable || lastTry;
      await this.webhooks.record(subscriptionId, seq, event.action, {
        status: final ? 'failed' : 'pending',
        statusCode: failure.statusCode,
        error: failure.message,
      });
      // A 4xx is the receiver's final word: no retry storm.
      throw failure.retryable ? failure : new UnrecoverableError(failure.message);
    }
  }
}
