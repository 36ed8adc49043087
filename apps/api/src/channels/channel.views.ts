import { NETWORKS } from '@app/domain';
import type { ChannelEntity } from '@app/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ChannelPublisherView {
  @ApiProperty({ enum: ['webhook', 'log'] }) kind!: 'webhook' | 'log';
  @ApiPropertyOptional({ description: 'for a webhook; the secret is write-only and never returned' })
  url?: string;
}

export class ChannelView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: NETWORKS }) network!: string;
  @ApiProperty({ type: String, nullable: true }) handle!: string | null;
  @ApiProperty({ type: ChannelPublisherView })
  publisher!: { kind: 'webhook'; url: string } | { kind: 'log' };
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) pausedReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const channelView = (c: ChannelEntity): ChannelView => ({
  id: c.id,
  name: c.name,
  network: c.network,
  handle: c.handle,
  publisher: c.publisherKind === 'webhook' ? { kind: 'webhook', url: c.publisherUrl ?? '' } : { kind: 'log' },
  paused: c.paused,
  pausedReason: c.pausedReason,
  createdAt: c.createdAt.toISOString(),
});
