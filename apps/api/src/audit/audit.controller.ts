import { Capability, type Actor } from '@app/domain';
import { AuditRepository, type AuditEventEntity, type Page } from '@app/persistence';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Can, CurrentActor } from '../access/access.decorators';
import { PageQueryDto } from '../common/pagination.dto';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all') postId?: string;
}

export const auditEventView = (e: AuditEventEntity) => ({
  seq: Number(e.seq),
  action: e.action,
  actor: { kind: e.actorKind, id: e.actorId },
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

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  /** Every recorded transition and decision, in order, with the hash chain. */
  @Get()
  @Can(Capability.AuditRead)
  async list(
    @CurrentActor() actor: Actor,
    @Query() q: AuditQueryDto,
  ): Promise<Page<ReturnType<typeof auditEventView>>> {
    const page = await this.audit.list(
      { workspaceId: actor.workspaceId, postId: q.postId },
      q.limit,
      q.cursor,
    );
    return { items: page.items.map(auditEventView), nextCursor: page.nextCursor };
  }
}
