import { Capability, type Actor } from '@app/domain';
import type { Page } from '@app/persistence';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageQueryDto } from '../common/pagination.dto';
import { ApiKeysService } from './api-keys.service';
import { apiKeyView, ApiKeyView, NewApiKeyView } from './api-key.views';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { PageOf, Returns } from '../common/views';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** The key itself is in this response only; store it now. */
  @Post()
  @HttpCode(201)
  @Can(Capability.ApiKeysManage)
  @ApiOperation({ summary: 'Create an API key (shown once)' })
  @Returns(NewApiKeyView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<NewApiKeyView> {
    const { entity, key } = await this.apiKeys.create(actor, dto);
    return { ...apiKeyView(entity), key };
  }

  @Get()
  @Can(Capability.ApiKeysManage)
  @ApiOperation({ summary: 'List API keys' })
  @Returns(PageOf(ApiKeyView))
  async list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<Page<ApiKeyView>> {
    const page = await this.apiKeys.list(actor, q.limit, q.cursor);
    return { items: page.items.map(apiKeyView), nextCursor: page.nextCursor };
  }

  @Delete(':apiKeyId')
  @HttpCode(204)
  @Can(Capability.ApiKeysManage)
  @ApiOperation({ summary: 'Revoke an API key' })
  async revoke(@CurrentActor() actor: Actor, @Param('apiKeyId', NotFoundUuidPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(actor, id);
  }
}
