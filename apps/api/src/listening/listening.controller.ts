import { Capability, DomainError, localIsoOf, type Actor } from '@app/domain';
import { MentionsRepository, type Page } from '@app/persistence';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { mentionStatsChart } from '@app/mail';
import { Can, CurrentActor, Public, WorkspaceTimezone } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageOf, Returns } from '../common/views';
import { Problems } from '../openapi';
import {
  InboundMentionsDto,
  InboundTokenDto,
  MentionsQueryDto,
  MentionReplyDto,
  MentionStatsQueryDto,
  MentionUpdateDto,
  SpikeWatchDto,
} from './listening.dto';
import { etagOf, postView, PostView } from '../posts/post.views';
import { ListeningService } from './listening.service';
import {
  InboundResultView,
  InboundTokenView,
  mentionView,
  MentionView,
  MentionStatsView,
  mentionStatsView,
  SpikeWatchView,
} from './listening.views';

const watchView = (w: Awaited<ReturnType<ListeningService['watch']>>): SpikeWatchView => ({
  ...w,
  lastAlertAt: w.lastAlertAt?.toISOString() ?? null,
});

@ApiTags('listening')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId')
export class ListeningController {
  constructor(
    private readonly listening: ListeningService,
    private readonly mentions: MentionsRepository,
  ) {}

  @Post('listening/inbound-tokens')
  @HttpCode(201)
  @Can(Capability.ListeningManage)
  @ApiOperation({
    summary: 'A token and signing secret for a listening tool to post mentions with (shown once)',
  })
  @Returns(InboundTokenView, HttpStatus.CREATED)
  async createToken(@CurrentActor() actor: Actor, @Body() dto: InboundTokenDto): Promise<InboundTokenView> {
    const made = await this.listening.createToken(actor, dto.name);
    return {
      id: made.id,
      name: made.name,
      url: made.url,
      secret: made.secret,
      createdAt: made.createdAt.toISOString(),
    };
  }

  @Get('listening/watch')
  @Can(Capability.MentionsRead)
  @ApiOperation({ summary: 'The spike watch (the defaults until one is saved)' })
  @Returns(SpikeWatchView)
  async getWatch(@CurrentActor() actor: Actor): Promise<SpikeWatchView> {
    return watchView(await this.listening.watch(actor));
  }

  @Put('listening/watch')
  @Can(Capability.ListeningManage)
  @ApiOperation({
    summary: 'Set what counts as a spike of mentions and what it does (notify, or pause publishing)',
  })
  @Returns(SpikeWatchView)
  async setWatch(@CurrentActor() actor: Actor, @Body() dto: SpikeWatchDto): Promise<SpikeWatchView> {
    return watchView(await this.listening.setWatch(actor, dto));
  }

  @Get('mentions')
  @Can(Capability.MentionsRead)
  @ApiOperation({ summary: 'The mentions inbox, newest first' })
  @Returns(PageOf(MentionView))
  async list(@CurrentActor() actor: Actor, @Query() q: MentionsQueryDto): Promise<Page<MentionView>> {
    const page = await this.mentions.list(
      {
        workspaceId: actor.workspaceId,
        status: q.status,
        channelId: q.channelId,
        postId: q.postId,
        negative: q.sentiment === 'negative' ? true : undefined,
      },
      q.limit,
      q.cursor,
    );
    return { items: page.items.map(mentionView), nextCursor: page.nextCursor };
  }

  @Get('mentions/stats')
  @Can(Capability.MentionsRead)
  @ApiOperation({
    summary:
      'Mentions counted per bucket against their baseline, the spikes alerted, the posts answered, the time to reply',
  })
  @Returns(MentionStatsView)
  async stats(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Query() q: MentionStatsQueryDto,
  ): Promise<MentionStatsView> {
    const { bucket, bounds, stats } = await this.listening.stats(actor, zone, q);
    return mentionStatsView(bucket, bounds, stats, zone);
  }

  @Get('mentions/stats.svg')
  @Can(Capability.MentionsRead)
  @ApiOperation({ summary: 'The same as a chart: bars of mentions, the baseline, the spikes marked (SVG)' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({
    description: 'an SVG image',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  async chart(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Query() q: MentionStatsQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    const { bucket, bounds, stats } = await this.listening.stats(actor, zone, q);
    const span = `${localIsoOf(new Date(bounds[0]), zone).slice(0, 16)} to ${localIsoOf(new Date(bounds[bounds.length - 1]), zone).slice(0, 16)}`;
    void res
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', 'private, no-store');
    return mentionStatsChart(
      `Mentions per ${bucket}, ${span.replace(/T/g, ' ')}`,
      stats.buckets,
      stats.spikes,
      bucket,
      zone,
    );
  }

  @Get('mentions/:mentionId')
  @Can(Capability.MentionsRead)
  @ApiOperation({ summary: 'One mention (a reply post names it as replyToMentionId)' })
  @Returns(MentionView)
  async one(
    @CurrentActor() actor: Actor,
    @Param('mentionId', NotFoundUuidPipe) id: string,
  ): Promise<MentionView> {
    const mention = await this.mentions.find(actor.workspaceId, id);
    if (!mention) throw DomainError.notFound('Mention');
    return mentionView(mention);
  }

  @Patch('mentions/:mentionId')
  @Can(Capability.MentionsHandle)
  @ApiOperation({ summary: 'Mark a mention handled (or open again), or assign it' })
  @Returns(MentionView)
  async update(
    @CurrentActor() actor: Actor,
    @Param('mentionId', NotFoundUuidPipe) id: string,
    @Body() dto: MentionUpdateDto,
  ): Promise<MentionView> {
    await this.listening.assignable(actor, dto.assigneeId);
    const updated = await this.mentions.update(actor.workspaceId, id, dto);
    if (!updated) throw DomainError.notFound('Mention');
    return mentionView(updated);
  }

  @Post('mentions/:mentionId/reply')
  @HttpCode(201)
  @Can(Capability.MentionsHandle)
  @ApiOperation({
    summary:
      'Draft a reply to a mention, on its channel: a post that is submitted, signed off and gated like any other',
  })
  @Problems(409)
  @Returns(PostView, HttpStatus.CREATED)
  async reply(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('mentionId', NotFoundUuidPipe) id: string,
    @Body() dto: MentionReplyDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<PostView> {
    const post = await this.listening.reply(actor, zone, id, dto);
    void res
      .header('etag', etagOf(post))
      .header('location', `/v1/workspaces/${actor.workspaceId}/posts/${post.id}`);
    return postView(post, zone);
  }
}

/** Where listening tools post mentions: the token in the path, the body signed. */
@ApiTags('listening')
@Public()
@Controller('v1/inbound/mentions')
export class InboundMentionsController {
  constructor(private readonly listening: ListeningService) {}

  @Post(':token')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mentions from a listening tool (up to 1,000 a request), signed the Standard Webhooks way',
  })
  @Problems(401)
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({
    name: 'webhook-timestamp',
    required: true,
    description: 'seconds since the epoch, within 5 minutes',
  })
  @ApiHeader({
    name: 'webhook-signature',
    required: true,
    description: 'v1,<base64 HMAC-SHA256 of "id.timestamp.body">',
  })
  @Returns(InboundResultView, HttpStatus.ACCEPTED)
  receive(
    @Param('token') token: string,
    @Headers('webhook-id') id: string | undefined,
    @Headers('webhook-timestamp') timestamp: string | undefined,
    @Headers('webhook-signature') signature: string | undefined,
    @Req() request: { rawBody?: string },
    @Body() dto: InboundMentionsDto,
  ): Promise<InboundResultView> {
    return this.listening.receive(token, { id, timestamp, signature }, request.rawBody, dto);
  }
}
