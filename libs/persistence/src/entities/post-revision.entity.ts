import type { PostVisibility } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A post as it stood after one change: who changed what, when. */
@Entity('post_revisions')
export class PostRevisionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') postId!: string;
  @Column('integer') version!: number;
  @Column('uuid', { nullable: true }) editorUserId!: string | null;
  @Column('uuid', { nullable: true }) editorApiKeyId!: string | null;
  @Column('text', { array: true }) changed!: string[];
  @Column('uuid') channelId!: string;
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
  @Column('timestamptz') scheduledAt!: Date;
  @Column('text') contentHash!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
