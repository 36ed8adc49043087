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
import { CheckChannelDto } from './dto/check-channel.dto';
import { AuthorizeUrlView, ConnectMastodonDto } from './dto/connect-mastodon.dto';
import { CreateChannelDto } from './dto/create-channel.dto';
import { NetworkAccounts } from './network-accounts';

@ApiTags('channels')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly accounts: NetworkAccounts,
  ) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.ChannelsManage)
  @ApiOperation({ summary: 'Create a channel' })
  @Returns(ChannelView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateChannelDto): Promise<ChannelView> {
    return channelView(await this.channels.create(actor, dto));
  }

  @Post('connect/mastodon')
  @HttpCode(200)
  @Can(Capability.ChannelsManage)
  @ApiOperation({
    summary: 'Connect a Mastodon account by OAuth',
    description:
      "Answers the instance's page where the person says yes; the instance then sends the browser to GET /v1/oauth/mastodon/callback, which makes the channel (or reconnects `channelId`). The link works once, for ten minutes.",
  })
  @Returns(AuthorizeUrlView)
  connectMastodon(@CurrentActor() actor: Actor, @Body() dto: ConnectMastodonDto): Promise<AuthorizeUrlView> {
    return this.accounts.startMastodon(actor, dto);
  }

  @Post(':channelId/check')
  @HttpCode(200)
  @Can(Capability.ChannelsManage)
  @ApiOperation({
    summary: "Check a channel's credentials with its network again",
    description:
      'Working credentials clear `connection.needsReconnect`; refused ones set it (its posts are then blocked at the gate). A Bluesky channel can be given a new app password here (for the same account).',
  })
  @Returns(ChannelView)
  async check(
    @CurrentActor() actor: Actor,
    @Param('channelId', NotFoundUuidPipe) id: string,
    @Body() dto: CheckChannelDto,
  ): Promise<ChannelView> {
    return channelView(await this.channels.check(actor, id, dto.appPassword));
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
