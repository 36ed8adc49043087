import type { PostStatus, PostVisibility, ReplyRef } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A planned social-media post: content, time, status and the version sign-offs are pinned to. */
@Entity('posts')
export class PostEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') workspaceId!: string;
  @Column('uuid') channelId!: string;
  @Column('uuid', { nullable: true }) authorUserId!: string | null;
  @Column('uuid', { nullable: true }) authorApiKeyId!: string | null;
  @Column('text') status!: PostStatus;
  @Column('integer') version!: number;
  @Column('text') text!: string;
  @Column('text', { array: true }) mediaUrls!: string[];
  /** alt text of each media (same order; empty: none) */
  @Column('text', { array: true, default: () => "'{}'" }) mediaAlt!: string[];
  @Column('text', { nullable: true }) link!: string | null;
  /** Mastodon's spoiler_text */
  @Column('text', { nullable: true }) contentWarning!: string | null;
  /** Mastodon's audience */
  @Column('text', { default: 'public' }) visibility!: PostVisibility;
  /** BCP 47 tag */
  @Column('text', { nullable: true }) language!: string | null;
  /** the mention it answers (made by POST .../mentions/:id/reply; never moved to another channel) */
  @Column('uuid', { nullable: true }) replyToMentionId!: string | null;
  /** how its network references that mention: what the publisher replies to */
  @Column('jsonb', { nullable: true }) replyRef!: ReplyRef | null;
  @Column('timestamptz') scheduledAt!: Date;
  @Column('text') contentHash!: string;
  /** the campaign it is part of, if any */
  @Column('uuid', { nullable: true }) campaignId!: string | null;
  /** the workflow asked for at creation (else the channel's, else the default) */
  @Column('uuid', { nullable: true }) workflowId!: string | null;
  /** the workflow version in force at submission: the snapshot sign-offs are counted against */
  @Column('uuid', { nullable: true }) workflowVersionId!: string | null;
  @Column('timestamptz', { nullable: true }) submittedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) publishingStartedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) publishedAt!: Date | null;
  @Column('text', { nullable: true }) externalId!: string | null;
  @Column('text', { nullable: true }) externalUrl!: string | null;
  /** why the post was blocked, expired or failed; what the publisher said */
  @Column('jsonb', { nullable: true }) outcome!: object | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
