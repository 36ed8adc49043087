import { Capability, type Actor } from '@app/domain';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { ContentRulesService } from './content-rules.service';
import { ContentRulesDto } from './dto/content-rules.dto';
import { Returns } from '../common/views';

@ApiTags('crisis')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/content-rules')
export class ContentRulesController {
  constructor(private readonly rules: ContentRulesService) {}

  @Get()
  @Can(Capability.ContentRulesRead)
  @ApiOperation({ summary: 'Get the content rules' })
  @Returns(ContentRulesDto)
  get(@CurrentActor() actor: Actor) {
    return this.rules.get(actor);
  }

  /** Replaces the rules; checked on every submit and again by the gate at publish time. */
  @Put()
  @Can(Capability.ContentRulesManage)
  @ApiOperation({ summary: 'Replace the content rules' })
  @Returns(ContentRulesDto)
  async put(@CurrentActor() actor: Actor, @Body() dto: ContentRulesDto) {
    const rules = {
      blockedTerms: dto.blockedTerms,
      blockedPatterns: dto.blockedPatterns,
      allowedLinkDomains: dto.allowedLinkDomains,
      maxLength: dto.maxLength,
    };
    return this.rules.replace(actor, rules);
  }
}
