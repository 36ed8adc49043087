import type { Role } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A brand or client: its posts, members, channels and rules live under it. */
@Entity('workspaces')
export class WorkspaceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') timezone!: string;
  @Column('boolean', { default: false }) paused!: boolean;
  @Column('text', { nullable: true }) pausedReason!: string | null;
  /** sessions started before this no longer work in this workspace (lockdown)... */
  @Column('timestamptz', { nullable: true }) sessionsRevokedAt!: Date | null;
  /** ...but the one session (its `sid`) that ran the lockdown */
  @Column('uuid', { nullable: true }) sessionsRevokedExcept!: string | null;
  /** members with these roles must have signed in with a second factor to do anything here */
  @Column('text', { array: true, default: () => "'{}'" }) requireMfaFor!: Role[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
