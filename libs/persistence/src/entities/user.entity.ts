import type { MailDigest } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A person: e-mail (stored lower-case, unique), and a password hash unless an outside reviewer. */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) passwordHash!: string | null;
  @Column('text') mailDigest!: MailDigest;
  /** when the second factor (TOTP) was turned on; null: off */
  @Column('timestamptz', { nullable: true }) totpEnabledAt!: Date | null;
  /** when the person proved they read this address's mail; null: never (signing up proves nothing) */
  @Column('timestamptz', { nullable: true }) emailVerifiedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
