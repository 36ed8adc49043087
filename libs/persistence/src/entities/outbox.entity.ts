import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Work for the worker, written in the transaction of the change that calls for it. */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('text') topic!: string;
  @Column('jsonb') payload!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** One call to a publisher, and what came of it. */
@Entity('publish_attempts')
export class PublishAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid') postId!: string;
  @Column('integer') version!: number;
  @Column('integer') attempt!: number;
  @Column('text') outcome!: 'published' | 'retry' | 'failed';
  @Column('integer', { nullable: true }) statusCode!: number | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('integer') durationMs!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
