import { Capability, type Actor } from '@app/domain';
import type { ChannelEntity, Page } from '@app/persistence';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageQueryDto } from '../common/pagination.dto';
import { ChannelsService } from './channels.service';
import { CreateChannelDto } from './dto/create-channel.dto';

export interface ChannelView {
  id: string;
  name: string;
  network: string;
  handle: string | null;
  /** the secret is write-only and never returned */
  publisher: { kind: 'webhook'; url: string } | { kind: 'log' };
  paused: boolean;
  pausedReason: string | null;
  createdAt: string;
}

export const channelView = (c: ChannelEntity): ChannelView => ({
  id: c.id,
  name: c.name,
  network: c.network,
  handle: c.handle,
  publisher: c.publisherKind === 'webhook' ? { kind: 'webhook', url: c.publisherUrl ?? '' } : { kind: 'log' },
  paused: c.paused,
  pausedReason: c.pausedReason,
  createdAt: c.createdAt.toISOString(),
});

@ApiTags('channels')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.ChannelsManage)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateChannelDto): Promise<ChannelView> {
    return channelView(await this.channels.create(actor, dto));
  }

  @Get()
  @Can(Capability.ChannelsRead)
  async list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<Page<ChannelView>> {
    const page = await this.channels.list(actor, q.limit, q.cursor);
    return { items: page.items.map(channelView), nextCursor: page.nextCursor };
  }

  @Get(':channelId')
  @Can(Capability.ChannelsRead)
  async get(
    @CurrentActor() actor: Actor,
    @Param('channelId', NotFoundUuidPipe) id: string,
  ): Promise<ChannelView> {
    return channelView(await this.channels.get(actor, id));
  }
}
