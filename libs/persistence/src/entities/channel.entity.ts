import type { ChannelAccount, Network, PublisherKind } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A social account posts go out to, with how to publish to it. The secret is never returned. */
@Entity('channels')
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') workspaceId!: string;
  @Column('text') name!: string;
  @Column('text') network!: Network;
  @Column('text', { nullable: true }) handle!: string | null;
  @Column('text') publisherKind!: PublisherKind;
  @Column('text', { nullable: true }) publisherUrl!: string | null;
  @Column('text', { nullable: true, select: false }) publisherSecret!: string | null;
  /** the network account's public side (instance, id, handle, text limit) */
  @Column('jsonb', { default: {} }) publisherConfig!: ChannelAccount;
  /** a token or an app password, and a network session: sealed JSON (CredentialsCipher) */
  @Column('text', { nullable: true, select: false }) publisherCredentials!: string | null;
  /** when the network stopped taking the credentials; posts are blocked until reconnected */
  @Column('timestamptz', { nullable: true }) needsReconnectAt!: Date | null;
  @Column('text', { nullable: true }) reconnectReason!: string | null;
  @Column('boolean', { default: false }) paused!: boolean;
  @Column('text', { nullable: true }) pausedReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
