import { localIsoOf, spikeFlags, STATS_BUCKETS, type StatsBucket } from '@app/domain';
import type { Mention, MentionStats } from '@app/persistence';
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
  @ApiProperty({
    description:
      'whether POST .../reply can answer it: read from a connected channel (a listening tool does not send what the network needs)',
  })
  canReply!: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when our first reply to it was published',
  })
  repliedAt!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'seconds from the mention to our first reply published',
  })
  responseSeconds!: number | null;
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
  canReply: m.channelId !== null && m.replyRef !== null,
  repliedAt: m.repliedAt?.toISOString() ?? null,
  responseSeconds: m.repliedAt
    ? Math.max(0, Math.round((m.repliedAt.getTime() - m.createdAt.getTime()) / 1000))
    : null,
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

export class MentionBucketView {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ example: '2027-03-15T09:00:00+01:00', description: "the start in the workspace's zone" })
  startLocal!: string;
  @ApiProperty() count!: number;
  @ApiProperty() negative!: number;
  @ApiProperty({ description: 'negative / count (0 when there are none)' }) negativeShare!: number;
  @ApiProperty({
    description:
      'what the bucket holds on an ordinary day: the same bucket a week before where the history reaches back that far, else the day before scaled to the bucket',
  })
  baseline!: number;
  @ApiProperty({ description: 'a spike alert was given in it' }) spike!: boolean;
}

export class MentionSpikeView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() count!: number;
  @ApiProperty() windowMinutes!: number;
  @ApiProperty() baseline!: number;
}

export class MentionedPostView {
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'mentions answering it in the range' }) mentions!: number;
  @ApiProperty() negative!: number;
}

export class MentionRepliesView {
  @ApiProperty({ description: 'mentions of the range we answered (a reply of ours published)' })
  answered!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'median seconds from a mention to our first reply',
  })
  medianResponseSeconds!: number | null;
}

export class MentionStatsView {
  @ApiProperty({ format: 'date-time', description: "the first bucket's start" }) from!: string;
  @ApiProperty({ format: 'date-time', description: "the last bucket's end" }) to!: string;
  @ApiProperty({ enum: STATS_BUCKETS }) bucket!: StatsBucket;
  @ApiProperty({ example: 'Europe/Paris' }) timezone!: string;
  @ApiProperty() total!: number;
  @ApiProperty() negative!: number;
  @ApiProperty({ type: [MentionBucketView] }) buckets!: MentionBucketView[];
  @ApiProperty({ type: [MentionSpikeView], description: 'the spike alerts given in the range' })
  spikes!: MentionSpikeView[];
  @ApiProperty({
    type: [MentionedPostView],
    description: 'our posts most answered in the range (10 at most)',
  })
  posts!: MentionedPostView[];
  @ApiProperty({ type: MentionRepliesView }) replies!: MentionRepliesView;
}

/** The stats of the buckets cut at `bounds`, their starts also in the workspace's zone. */
export function mentionStatsView(
  bucket: StatsBucket,
  bounds: readonly number[],
  stats: MentionStats,
  zone: string,
): MentionStatsView {
  const flags = spikeFlags(stats.buckets, stats.spikes);
  return {
    from: new Date(bounds[0]).toISOString(),
    to: new Date(bounds[bounds.length - 1]).toISOString(),
    bucket,
    timezone: zone,
    total: stats.buckets.reduce((n, b) => n + b.count, 0),
    negative: stats.buckets.reduce((n, b) => n + b.negative, 0),
    buckets: stats.buckets.map((b, i) => ({
      start: new Date(b.start).toISOString(),
      startLocal: localIsoOf(new Date(b.start), zone),
      count: b.count,
      negative: b.negative,
      negativeShare: b.count === 0 ? 0 : Math.round((b.negative / b.count) * 100) / 100,
      baseline: Math.round(b.baseline * 10) / 10,
      spike: flags[i],
    })),
    spikes: stats.spikes.map((s) => ({ ...s, at: s.at.toISOString() })),
    posts: stats.posts,
    replies: stats.replies,
  };
}
