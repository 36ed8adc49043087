import { NETWORKS, PUBLISHER_KINDS, textLimitOf, type PublisherKind } from '@app/domain';
import type { ChannelEntity } from '@app/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class NetworkAccountView {
  @ApiProperty({ description: "the network's id of the account (Mastodon account id, Bluesky DID)" })
  id!: string;
  @ApiProperty({ example: '@acme@mastodon.social' }) handle!: string;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
}

class ChannelPublisherView {
  @ApiProperty({ enum: PUBLISHER_KINDS }) kind!: PublisherKind;
  @ApiPropertyOptional({ description: 'for a webhook; the secret is write-only and never returned' })
  url?: string;
  @ApiPropertyOptional({ description: 'mastodon: the instance; bluesky: the PDS' })
  serviceUrl?: string;
  @ApiPropertyOptional({
    type: NetworkAccountView,
    description: 'mastodon and bluesky: who the channel posts as',
  })
  account?: NetworkAccountView;
}

class ChannelConnectionView {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the network stopped taking the credentials; null while it takes them',
  })
  needsReconnect!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
}

export class ChannelView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: NETWORKS }) network!: string;
  @ApiProperty({ type: String, nullable: true }) handle!: string | null;
  @ApiProperty({ type: ChannelPublisherView }) publisher!: ChannelPublisherView;
  @ApiProperty({
    description: 'the most characters a post may have here, as the network (or instance) counts',
  })
  maxCharacters!: number;
  @ApiProperty({ type: ChannelConnectionView }) connection!: ChannelConnectionView;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) pausedReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** What the publisher is, never its secret or credentials. */
function publisherView(c: ChannelEntity): ChannelPublisherView {
  if (c.publisherKind === 'webhook') return { kind: 'webhook', url: c.publisherUrl ?? '' };
  if (c.publisherKind === 'log') return { kind: 'log' };
  const { serviceUrl, accountId, handle, url } = c.publisherConfig;
  return {
    kind: c.publisherKind,
    serviceUrl,
    account: { id: accountId ?? '', handle: handle ?? '', url: url ?? null },
  };
}

export const channelView = (c: ChannelEntity): ChannelView => ({
  id: c.id,
  name: c.name,
  network: c.network,
  handle: c.handle,
  publisher: publisherView(c),
  maxCharacters: textLimitOf(c),
  connection: { needsReconnect: c.reconnectReason, since: c.needsReconnectAt?.toISOString() ?? null },
  paused: c.paused,
  pausedReason: c.pausedReason,
  createdAt: c.createdAt.toISOString(),
});
