import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One person's decision on one version of a post, in one stage. */
@Entity('approvals')
export class ApprovalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') postId!: string;
  @Column('integer') version!: number;
  @Column('integer') stageIndex!: number;
  @Column('uuid') approverUserId!: string;
  /** the member the approver stood in for (their delegation in force then); counted as that member */
  @Column('uuid', { nullable: true }) onBehalfOfUserId!: string | null;
  @Column('text') decision!: 'approve' | 'reject';
  @Column('text', { nullable: true }) comment!: string | null;
  @Column('text') via!: 'api' | 'email';
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
