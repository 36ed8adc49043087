import type { ApiKeyRole } from '@app/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A workspace's machine credential. Only the SHA-256 of the secret is kept. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') workspaceId!: string;
  @Column('text') name!: string;
  @Column('text') role!: ApiKeyRole;
  /** The first characters of the key, shown in lists so people can tell keys apart. */
  @Column('text') prefix!: string;
  @Column('bytea', { select: false }) secretHash!: Buffer;
  /** the member the key acts for (set on every active key); revoked when they leave or stop being an admin */
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
}
