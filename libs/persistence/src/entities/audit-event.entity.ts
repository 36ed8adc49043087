import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An append-only record of a transition or decision. `seq`, `prevHash` and `hash`
 * are set by a database trigger (the chain per workspace); rows cannot be changed.
 */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid') workspaceId!: string;
  @Column('bigint', { default: 0 }) seq!: string;
  @Column('uuid', { nullable: true }) postId!: string | null;
  @Column('text') actorKind!: 'user' | 'api-key' | 'system';
  @Column('text', { nullable: true }) actorId!: string | null;
  @Column('text') action!: string;
  @Column('integer', { nullable: true }) version!: number | null;
  @Column('jsonb', { nullable: true }) before!: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) after!: Record<string, unknown> | null;
  @Column('text', { nullable: true }) ip!: string | null;
  @Column('text', { nullable: true }) userAgent!: string | null;
  @Column('timestamptz', { default: () => 'now()' }) createdAt!: Date;
  @Column('text', { default: '' }) prevHash!: string;
  @Column('text', { default: '' }) hash!: string;
}
