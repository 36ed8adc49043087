import { Capability, type Actor } from '@app/domain';
import { type Page } from '@app/persistence';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  HttpStatus,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Problems } from '../openapi';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { auditEventView, AuditEventView } from '../audit/audit.views';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageQueryDto } from '../common/pagination.dto';
import { PageOf, Returns } from '../common/views';
import { ReviewProgress } from '../approvals/review-progress';
import { CreatePostDto, ListPostsQueryDto, UpdatePostDto } from './dto/post.dto';
import { assertIdempotencyKey } from './idempotency-key';
import { etagOf, postView, PostView, revisionView, RevisionsView, PostPreviewView } from './post.views';
import { PostsService } from './posts.service';
import { PublishNowService } from './publish-now.service';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/posts')
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly progress: ReviewProgress,
    private readonly publishing: PublishNowService,
  ) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.PostsWrite)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body: the same post' })
  @ApiOperation({ summary: 'Create a draft post' })
  @Problems(409)
  @Returns(PostView, HttpStatus.CREATED)
  async create(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Body() dto: CreatePostDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    assertIdempotencyKey(idempotencyKey);
    const { post, replayed } = await this.posts.create(actor, zone, dto, idempotencyKey);
    void reply
      .header('etag', etagOf(post))
      .header('location', `/v1/workspaces/${actor.workspaceId}/posts/${post.id}`);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return postView(post, zone);
  }

  @Get()
  @Can(Capability.PostsRead)
  @ApiOperation({ summary: 'List posts' })
  @Returns(PageOf(PostView))
  async list(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Query() q: ListPostsQueryDto,
  ): Promise<Page<PostView>> {
    const page = await this.posts.list(actor, q);
    return { items: page.items.map((p) => postView(p, zone)), nextCursor: page.nextCursor };
  }

  @Get(':postId')
  @Can(Capability.PostsRead)
  @ApiOperation({ summary: 'Get a post, with its review progress' })
  @Returns(PostView)
  async get(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    const post = await this.posts.get(actor, id);
    void reply.header('etag', etagOf(post));
    return this.progress.postView(post, zone);
  }

  @Patch(':postId')
  @Can(Capability.PostsWrite)
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'the ETag ("<version>") of the post being edited',
  })
  @ApiOperation({ summary: 'Edit a post (If-Match)' })
  @Problems(409, 412, 428)
  @Returns(PostView)
  async update(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdatePostDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    const post = await this.posts.update(actor, zone, id, ifMatch, dto);
    void reply.header('etag', etagOf(post));
    return postView(post, zone);
  }

  @Post(':postId/cancel')
  @HttpCode(200)
  @Can(Capability.PostsCancel)
  @ApiOperation({ summary: 'Cancel a post' })
  @Problems(409)
  @Returns(PostView)
  async cancel(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
  ): Promise<PostView> {
    return postView(await this.posts.cancel(actor, id), zone);
  }

  /** Publishes an approved post now instead of at its time; the full gate still applies (409 with its reasons). */
  @Post(':postId/publish-now')
  @HttpCode(202)
  @Can(Capability.PostsPublishNow)
  @ApiOperation({ summary: 'Publish an approved post now, through the gate' })
  @Problems(409)
  @Returns(PostView, HttpStatus.ACCEPTED)
  async publishNow(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
  ): Promise<PostView> {
    return postView(await this.publishing.publishNow(actor, id), zone);
  }

  @Get(':postId/preview')
  @Can(Capability.PostsRead)
  @ApiOperation({
    summary: 'What the post will look like on its network',
    description:
      'The text as sent, its length as the network counts it against the channel’s limit, the links, mentions and tags made live (with UTF-8 byte offsets), the media, and a link card where the network shows one. The review page shows the same.',
  })
  @Returns(PostPreviewView)
  preview(
    @CurrentActor() actor: Actor,
    @Param('postId', NotFoundUuidPipe) id: string,
  ): Promise<PostPreviewView> {
    return this.posts.preview(actor, id);
  }

  /** Every transition and decision on the post, in order (its audit trail). */
  @Get(':postId/history')
  @Can(Capability.PostsRead)
  @ApiOperation({ summary: "A post's audit trail" })
  @Returns(PageOf(AuditEventView))
  async history(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
    @Query() q: PageQueryDto,
  ) {
    const page = await this.posts.auditTrail(actor, id, q);
    return { items: page.items.map(auditEventView), nextCursor: page.nextCursor };
  }

  /** The post's content after each change: who changed what, when (what the review page diffs). */
  @Get(':postId/revisions')
  @Can(Capability.PostsRead)
  @ApiOperation({ summary: "A post's revisions" })
  @Returns(RevisionsView)
  async revisions(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
  ) {
    return { items: (await this.posts.revisions(actor, id)).map(revisionView) };
  }
}
