import { Capability, type Actor } from '@app/domain';
import { type Page } from '@app/persistence';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { Can, CurrentActor } from '../access/access.decorators';
import { AuditService } from './audit.service';
import { auditEventView, AuditEventView } from './audit.views';
import { PageOf, Returns } from '../common/views';
import { AuditExportQueryDto, AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /**
   * Every event of the range as NDJSON, each field exactly as it was hashed, so the
   * chain can be verified offline: `node scripts/verify-audit.mjs < export.ndjson`.
   */
  @Get('export')
  @Can(Capability.AuditRead)
  @ApiOperation({ summary: 'Export the audit log (NDJSON, verifiable offline)' })
  export(@CurrentActor() actor: Actor, @Query() q: AuditExportQueryDto): StreamableFile {
    return new StreamableFile(Readable.from(this.audit.exportLines(actor, q)), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="audit-${actor.workspaceId}.ndjson"`,
    });
  }

  /** Every recorded transition and decision, in order, with the hash chain. */
  @Get()
  @Can(Capability.AuditRead)
  @ApiOperation({ summary: 'List audit events' })
  @Returns(PageOf(AuditEventView))
  async list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto): Promise<Page<AuditEventView>> {
    const page = await this.audit.list(actor, q);
    return { items: page.items.map(auditEventView), nextCursor: page.nextCursor };
  }
}
