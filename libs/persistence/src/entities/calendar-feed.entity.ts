import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A secret iCalendar feed URL of a workspace; only the token's SHA-256 is kept. */
@Entity('calendar_feeds')
export class CalendarFeedEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') workspaceId!: string;
  @Column('bytea', { select: false }) tokenHash!: Buffer;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
}
