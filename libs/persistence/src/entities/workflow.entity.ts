import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { WorkflowOptions, WorkflowStage } from '@app/domain';

/** A named approval workflow; its stages live in versions, so posts keep what they were submitted under. */
@Entity('workflows')
export class WorkflowEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') workspaceId!: string;
  @Column('text') name!: string;
  @Column('boolean', { default: false }) isDefault!: boolean;
  @Column('integer') currentVersion!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

/** One frozen version of a workflow's stages and options. */
@Entity('workflow_versions')
export class WorkflowVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') workflowId!: string;
  @Column('integer') version!: number;
  @Column('jsonb') stages!: WorkflowStage[];
  @Column('jsonb') options!: WorkflowOptions;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

/** A channel that follows a workflow of its own instead of the default. */
@Entity('workflow_channels')
export class WorkflowChannelEntity {
  @PrimaryColumn('uuid') channelId!: string;
  @Column('uuid') workflowId!: string;
}
