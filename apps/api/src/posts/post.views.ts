import {
  localIsoOf,
  NETWORKS,
  POST_STATUSES,
  POST_VISIBILITIES,
  type PostStatus,
  type PostVisibility,
} from '@app/domain';
import type { PostEntity, PostRevisionEntity } from '@app/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Who wrote something: a person, or an API key and the person it acts for. */
export class WriterView {
  @ApiProperty({ enum: ['user', 'api-key'] }) kind!: 'user' | 'api-key';
  @ApiProperty({ format: 'uuid', description: 'the user, or the API key' }) id!: string;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'for a key: its creator',
  })
  onBehalfOf?: string | null;
}

const writerView = (userId: string | null, apiKeyId: string | null): WriterView | null =>
  apiKeyId
    ? { kind: 'api-key', id: apiKeyId, onBehalfOf: userId }
    : userId
      ? { kind: 'user', id: userId }
      : null;

/** A person, named: who signed off, who decided. */
export class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'email' }) email!: string;
}

export class StageApprovalView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: PersonView }) user!: PersonView;
  @ApiProperty({
    type: PersonView,
    nullable: true,
    description: 'the member this sign-off was made for, by their stand-in; it counts as theirs',
  })
  onBehalfOf!: PersonView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) at!: string | null;
}

export class StageProgressView {
  @ApiProperty() name!: string;
  @ApiProperty() required!: number;
  @ApiProperty({ type: [StageApprovalView] }) approvals!: StageApprovalView[];
  @ApiProperty({ enum: ['satisfied', 'open', 'waiting'] }) state!: 'satisfied' | 'open' | 'waiting';
}

export class DecisionView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: PersonView }) user!: PersonView;
  @ApiProperty({ type: PersonView, nullable: true, description: 'the member decided for, by their stand-in' })
  onBehalfOf!: PersonView | null;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiProperty() stage!: number;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ enum: ['api', 'email'] }) via!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** Where the post's current version stands in its workflow. */
export class ReviewProgressView {
  @ApiProperty({ format: 'uuid' }) workflowId!: string;
  @ApiProperty() workflowVersion!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'index of the stage awaiting sign-offs' })
  openStage!: number | null;
  @ApiProperty({ type: [StageProgressView] }) stages!: StageProgressView[];
  @ApiProperty({ type: [DecisionView], description: 'on the current version' }) decisions!: DecisionView[];
}

export class PostView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) workspaceId!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty({ enum: POST_STATUSES }) status!: PostStatus;
  @ApiProperty({ description: 'sign-offs are pinned to it; a content change makes a new one' })
  version!: number;
  @ApiProperty() text!: string;
  @ApiProperty({ type: [String] }) mediaUrls!: string[];
  @ApiProperty({ type: [String], description: 'alt text of each media, in order ([] when none has any)' })
  mediaAlt!: string[];
  @ApiProperty({ type: String, nullable: true }) link!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the campaign it is part of' })
  campaignId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Mastodon's spoiler_text" })
  contentWarning!: string | null;
  @ApiProperty({ enum: POST_VISIBILITIES, description: 'who sees it (Mastodon; other networks: public)' })
  visibility!: PostVisibility;
  @ApiProperty({ type: String, nullable: true, description: 'BCP 47 tag; null: the network guesses' })
  language!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the mention it answers (POST .../mentions/:id/reply); a reply stays on its channel',
  })
  replyToMentionId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'UTC' }) scheduledAt!: string;
  @ApiProperty({
    example: '2027-03-28T09:30:00+02:00',
    description: "the same instant in the workspace's time zone, with its offset",
  })
  scheduledAtLocal!: string;
  @ApiProperty({ type: WriterView, nullable: true }) author!: WriterView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the network's id of the published post" })
  externalId!: string | null;
  @ApiProperty({ type: String, nullable: true }) externalUrl!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'why it was blocked, expired or failed',
  })
  outcome!: object | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({
    type: ReviewProgressView,
    nullable: true,
    description: 'stage-by-stage progress once submitted (GET post, submit, approvals)',
  })
  review?: ReviewProgressView | null;
}

/** A post as the API shows it; `zone` is the workspace's, for `scheduledAtLocal`. */
export const postView = (p: PostEntity, zone: string): PostView => ({
  id: p.id,
  workspaceId: p.workspaceId,
  channelId: p.channelId,
  status: p.status,
  version: p.version,
  text: p.text,
  mediaUrls: p.mediaUrls,
  mediaAlt: p.mediaAlt,
  link: p.link,
  campaignId: p.campaignId,
  contentWarning: p.contentWarning,
  visibility: p.visibility,
  language: p.language,
  replyToMentionId: p.replyToMentionId,
  scheduledAt: p.scheduledAt.toISOString(),
  scheduledAtLocal: localIsoOf(p.scheduledAt, zone),
  author: writerView(p.authorUserId, p.authorApiKeyId),
  publishedAt: p.publishedAt?.toISOString() ?? null,
  externalId: p.externalId,
  externalUrl: p.externalUrl,
  outcome: p.outcome,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export class RevisionView {
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String], description: 'the fields this change touched' }) changed!: string[];
  @ApiProperty({ type: WriterView, nullable: true }) editor!: WriterView | null;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: [String] }) mediaUrls!: string[];
  @ApiProperty({ type: [String], description: 'alt text of each media, in order ([] when none has any)' })
  mediaAlt!: string[];
  @ApiProperty({ type: String, nullable: true }) link!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "Mastodon's spoiler_text" })
  contentWarning!: string | null;
  @ApiProperty({ enum: POST_VISIBILITIES, description: 'who sees it (Mastodon; other networks: public)' })
  visibility!: PostVisibility;
  @ApiProperty({ type: String, nullable: true, description: 'BCP 47 tag; null: the network guesses' })
  language!: string | null;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class RevisionsView {
  @ApiProperty({ type: [RevisionView] }) items!: RevisionView[];
}

export const revisionView = (r: PostRevisionEntity): RevisionView => ({
  version: r.version,
  changed: r.changed,
  editor: writerView(r.editorUserId, r.editorApiKeyId),
  channelId: r.channelId,
  text: r.text,
  mediaUrls: r.mediaUrls,
  mediaAlt: r.mediaAlt,
  link: r.link,
  contentWarning: r.contentWarning,
  visibility: r.visibility,
  language: r.language,
  scheduledAt: r.scheduledAt.toISOString(),
  at: r.createdAt.toISOString(),
});

/** The strong ETag of a post: its version. */
export const etagOf = (p: PostEntity): string => `"${p.version}"`;

class PreviewFacetView {
  @ApiProperty({ enum: ['link', 'mention', 'tag'] }) kind!: 'link' | 'mention' | 'tag';
  @ApiProperty({ description: 'the characters it covers' }) text!: string;
  @ApiProperty({ description: 'UTF-8 byte offset where it starts (as the AT Protocol counts)' })
  byteStart!: number;
  @ApiProperty() byteEnd!: number;
  @ApiPropertyOptional() uri?: string;
  @ApiPropertyOptional() handle?: string;
  @ApiPropertyOptional() tag?: string;
}

class PreviewMediaView {
  @ApiProperty() url!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'sent with it (Mastodon description, Bluesky alt)',
  })
  alt!: string | null;
}

class PreviewCardView {
  @ApiProperty() uri!: string;
}

/** What the post will look like on its network. */
export class PostPreviewView {
  @ApiProperty({ enum: NETWORKS }) network!: string;
  @ApiProperty({ description: 'the text exactly as it is sent (with the link where the network shows it)' })
  text!: string;
  @ApiProperty({ description: 'its length as the network counts it (X weighted, Bluesky graphemes, …)' })
  length!: number;
  @ApiProperty({ description: "the channel's limit (the instance's own for Mastodon)" }) limit!: number;
  @ApiProperty() fits!: boolean;
  @ApiProperty({ type: [PreviewFacetView], description: 'links, mentions and tags made live' })
  facets!: PreviewFacetView[];
  @ApiProperty({ type: [PreviewMediaView] }) media!: PreviewMediaView[];
  @ApiProperty({ type: PreviewCardView, nullable: true, description: 'a link shown as a card (Bluesky)' })
  card!: PreviewCardView | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'shown instead of the text until opened (Mastodon)',
  })
  contentWarning!: string | null;
  @ApiProperty({ enum: POST_VISIBILITIES, description: 'who will see it' }) visibility!: PostVisibility;
  @ApiProperty({ type: String, nullable: true, description: 'the language as the network is told it' })
  language!: string | null;
}
