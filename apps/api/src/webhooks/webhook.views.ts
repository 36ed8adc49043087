import { AUDIT_ACTIONS } from '@app/domain';
import type { WebhookSubscription } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class WebhookSubscriptionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS, isArray: true }) events!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const subscriptionView = (s: WebhookSubscription): WebhookSubscriptionView => ({
  id: s.id,
  url: s.url,
  events: s.events,
  createdAt: new Date(s.createdAt).toISOString(),
});
