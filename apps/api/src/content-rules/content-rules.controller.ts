import { Capability, type Actor } from '@app/domain';
import { AuditRepository, ContentRulesRepository } from '@app/persistence';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Can, CurrentActor } from '../access/access.decorators';
import { auditActor } from '../audit/audit-actor';
import { ContentRulesDto } from './content-rules.dto';

@ApiTags('crisis')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/content-rules')
export class ContentRulesController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rules: ContentRulesRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Get()
  @Can(Capability.ContentRulesRead)
  get(@CurrentActor() actor: Actor) {
    return this.rules.get(actor.workspaceId);
  }

  /** Replaces the rules; checked on every submit and again by the gate at publish time. */
  @Put()
  @Can(Capability.ContentRulesManage)
  async put(@CurrentActor() actor: Actor, @Body() dto: ContentRulesDto) {
    const rules = {
      blockedTerms: dto.blockedTerms,
      blockedPatterns: dto.blockedPatterns,
      allowedLinkDomains: dto.allowedLinkDomains,
      maxLength: dto.maxLength,
    };
    await this.db.transaction(async (em) => {
      const before = await this.rules.get(actor.workspaceId, em);
      await this.rules.put(actor.workspaceId, rules, actor.kind === 'user' ? actor.userId : null, em);
      await this.audit.append(
        { ...auditActor(actor), action: 'content_rules.updated', before: { ...before }, after: rules },
        em,
      );
    });
    return rules;
  }
}
