import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A brand or client: its posts, members, channels and rules live under it. */
@Entity('workspaces')
export class WorkspaceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') timezone!: string;
  @Column('boolean', { default: false }) paused!: boolean;
  @Column('text', { nullable: true }) pausedReason!: string | null;
  /** login tokens issued before this no longer work in this workspace (lockdown)... */
  @Column('timestamptz', { nullable: true }) sessionsRevokedAt!: Date | null;
  /** ...except this user's (who called the lockdown) */
  /** the login session (its `sid`) that ran the lockdown, the one session it does not end */
  @Column('uuid', { nullable: true }) sessionsRevokedExcept!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
