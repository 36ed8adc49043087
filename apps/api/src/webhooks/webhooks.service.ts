import { DomainError, type Actor } from '@app/domain';
import { WebhooksRepository, type WebhookSubscription } from '@app/persistence';
import { OutboundHttp } from '@app/publishers';
import { Injectable } from '@nestjs/common';
import { assertReceiverUrl } from '../common/receiver-url';
import type { WebhookSubscriptionDto } from './dto/webhook-subscription.dto';

const DELIVERIES_SHOWN = 200;

/** A workspace's outbound webhook subscriptions and their recent deliveries. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly http: OutboundHttp,
  ) {}

  create(actor: Actor, dto: WebhookSubscriptionDto): Promise<WebhookSubscription> {
    assertReceiverUrl(this.http, 'url', dto.url);
    return this.webhooks.create(actor.workspaceId, dto.url, dto.secret, [...new Set(dto.events)]);
  }

  list(actor: Actor): Promise<WebhookSubscription[]> {
    return this.webhooks.list(actor.workspaceId);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    if (!(await this.webhooks.revoke(actor.workspaceId, id))) throw DomainError.notFound('Webhook');
  }

  async deliveries(actor: Actor, id: string) {
    if (!(await this.webhooks.exists(actor.workspaceId, id))) throw DomainError.notFound('Webhook');
    return this.webhooks.deliveries(id, DELIVERIES_SHOWN);
  }
}
