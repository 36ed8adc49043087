import { Capability, type Actor } from '@app/domain';
import { Readable } from 'node:stream';
import { parseInstant } from '@app/domain';
import { AuditRepository, exportAuditEvents, type AuditEventEntity, type Page } from '@app/persistence';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { Can, CurrentActor } from '../access/access.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { IsInstant } from '../common/validators';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all') postId?: string;
}

export class AuditExportQueryDto {
  @ApiPropertyOptional({ description: 'events at or after this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'events before this instant' })
  @IsOptional()
  @IsInstant()
  to?: string;
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
  constructor(
    private readonly audit: AuditRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /**
   * Every event of the range as NDJSON, each field exactly as it was hashed, so the
   * chain can be verified offline: `node scripts/verify-audit.mjs < export.ndjson`.
   */
  @Get('export')
  @Can(Capability.AuditRead)
  export(@CurrentActor() actor: Actor, @Query() q: AuditExportQueryDto): StreamableFile {
    const from = q.from ? (parseInstant(q.from) ?? new Date(0)) : new Date(0);
    const to = q.to ? (parseInstant(q.to) ?? new Date(8.64e15)) : new Date(8.64e15);
    const lines = async function* (events: AsyncGenerator<object>) {
      for await (const event of events) yield `${JSON.stringify(event)}\n`;
    };
    return new StreamableFile(
      Readable.from(lines(exportAuditEvents(this.db.manager, actor.workspaceId, from, to))),
      {
        type: 'application/x-ndjson; charset=utf-8',
        disposition: `attachment; filename="audit-${actor.workspaceId}.ndjson"`,
      },
    );
  }

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
