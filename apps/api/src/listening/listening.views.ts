import type { Mention } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class MentionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) channelId!: string | null;
  @ApiProperty() network!: string;
  @ApiProperty() externalId!: string;
  @ApiProperty() authorHandle!: string;
  @ApiProperty({ type: String, nullable: true }) authorName!: string | null;
  @ApiProperty() text!: string;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
  @ApiProperty({ type: String, nullable: true }) language!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the network's id of our post it answers" })
  inReplyTo!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'our post it answers, when found',
  })
  postId!: string | null;
  @ApiProperty({ description: 'average sentiment per word; below 0 is negative' }) sentiment!: number;
  @ApiProperty() negative!: boolean;
  @ApiProperty({ enum: ['open', 'handled'] }) status!: 'open' | 'handled';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'when it was posted' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'when it reached Countersign' }) receivedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) handledAt!: string | null;
}

export const mentionView = (m: Mention): MentionView => ({
  id: m.id,
  channelId: m.channelId,
  network: m.network,
  externalId: m.externalId,
  authorHandle: m.authorHandle,
  authorName: m.authorName,
  text: m.text,
  url: m.url,
  language: m.language,
  inReplyTo: m.inReplyTo,
  postId: m.postId,
  sentiment: m.sentiment,
  negative: m.negative,
  status: m.status,
  assigneeId: m.assigneeId,
  createdAt: m.createdAt.toISOString(),
  receivedAt: m.receivedAt.toISOString(),
  handledAt: m.handledAt?.toISOString() ?? null,
});

export class InboundTokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'where the tool posts: shown once, kept only as a hash' }) url!: string;
  @ApiProperty({ description: 'the Standard Webhooks signing secret (whsec_…): shown once' }) secret!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class InboundResultView {
  @ApiProperty() received!: number;
  @ApiProperty({ description: 'new mentions stored' }) stored!: number;
  @ApiProperty({ description: 'seen before (same network, id and channel), skipped' }) duplicates!: number;
}

export class SpikeWatchView {
  @ApiProperty() windowMinutes!: number;
  @ApiProperty() minMentions!: number;
  @ApiProperty() factor!: number;
  @ApiProperty({ type: Number, nullable: true }) negativeShare!: number | null;
  @ApiProperty({ enum: ['notify', 'pause'] }) action!: 'notify' | 'pause';
  @ApiProperty() cooldownMinutes!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAlertAt!: string | null;
}
