import { AUDIT_ACTIONS } from '@app/domain';
import type { NamedAuditEvent } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class AuditActorView {
  @ApiProperty({ enum: ['user', 'api-key', 'system'] }) kind!: 'user' | 'api-key' | 'system';
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the person, or the API key' }) name!:
    string | null;
}

const JSON_OBJECT = { type: 'object', additionalProperties: true, nullable: true } as const;

/** An audit entry with every hashed field, so a client can check the chain. */
export class AuditEventView {
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: string;
  @ApiProperty({ type: AuditActorView }) actor!: AuditActorView;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) postId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) version!: number | null;
  @ApiProperty(JSON_OBJECT) before!: object | null;
  @ApiProperty(JSON_OBJECT) after!: object | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export const auditEventView = (e: NamedAuditEvent): AuditEventView => ({
  seq: Number(e.seq),
  action: e.action,
  actor: { kind: e.actorKind, id: e.actorId, name: e.actorName },
  postId: e.postId,
  version: e.version,
  before: e.before,
  after: e.after,
  ip: e.ip,
  userAgent: e.userAgent,
  at: e.createdAt.toISOString(),
  prevHash: e.prevHash,
  hash: e.hash,
});
