import { Logger } from '@nestjs/common';
import type { Publisher, PublishRequest, PublishResult } from './publisher';

/** Publishes nowhere: logs what it would have posted. For trying Countersign out. */
export class LogPublisher implements Publisher {
  private readonly logger = new Logger('LogPublisher');

  publish(request: PublishRequest): Promise<PublishResult> {
    this.logger.log(`would publish ${request.idempotencyKey} to ${request.channel.network}: ${request.text}`);
    return Promise.resolve({ externalId: `log-${request.idempotencyKey}`, url: null, statusCode: null });
  }

  unpublish(request: { idempotencyKey: string; externalId: string | null; reason: string }): Promise<void> {
    this.logger.log(`would take down ${request.externalId ?? request.idempotencyKey}: ${request.reason}`);
    return Promise.resolve();
  }
}
