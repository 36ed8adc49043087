import { Capability, type Actor } from '@app/domain';
import type { Page } from '@app/persistence';
import { Body, Controller, Get, HttpCode, Param, Post, Query, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageQueryDto } from '../common/pagination.dto';
import { channelView, ChannelView } from './channel.views';
import { PageOf, Returns } from '../common/views';
import { ChannelsService } from './channels.service';
import { CreateChannelDto } from './dto/create-channel.dto';

@ApiTags('channels')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.ChannelsManage)
  @ApiOperation({ summary: 'Create a channel' })
  @Returns(ChannelView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateChannelDto): Promise<ChannelView> {
    return channelView(await this.channels.create(actor, dto));
  }

  @Get()
  @Can(Capability.ChannelsRead)
  @ApiOperation({ summary: 'List channels' })
  @Returns(PageOf(ChannelView))
  async list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<Page<ChannelView>> {
    const page = await this.channels.list(actor, q.limit, q.cursor);
    return { items: page.items.map(channelView), nextCursor: page.nextCursor };
  }

  @Get(':channelId')
  @Can(Capability.ChannelsRead)
  @ApiOperation({ summary: 'Get a channel' })
  @Returns(ChannelView)
  async get(
    @CurrentActor() actor: Actor,
    @Param('channelId', NotFoundUuidPipe) id: string,
  ): Promise<ChannelView> {
    return channelView(await this.channels.get(actor, id));
  }
}
