import { AUDIT_ACTIONS } from '@app/domain';
import type { WebhookDelivery, WebhookSubscription } from '@app/persistence';
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

export class WebhookDeliveryView {
  @ApiProperty({ description: 'the audit event delivered, by its sequence number' }) eventSeq!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) event!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: 'pending' | 'delivered' | 'failed';
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
}

export const deliveryView = (d: WebhookDelivery): WebhookDeliveryView => ({
  ...d,
  createdAt: new Date(d.createdAt).toISOString(),
  deliveredAt: d.deliveredAt ? new Date(d.deliveredAt).toISOString() : null,
});
