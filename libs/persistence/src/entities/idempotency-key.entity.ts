import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An Idempotency-Key seen on POST .../posts: the same key and body give back the same post. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid') workspaceId!: string;
  /** `user:<id>` or `api-key:<id>`: keys are scoped to whoever sent them. */
  @PrimaryColumn('text') principal!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text') requestHash!: string;
  @Column('uuid', { nullable: true }) postId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
