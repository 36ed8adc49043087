import { Capability, type Actor } from '@app/domain';
import { Body, Controller, Headers, HttpCode, Ip, Param, Post, Res, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Problems } from '../openapi';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { etagOf, PostView } from '../posts/post.views';
import { Returns } from '../common/views';
import { DecisionDto } from './dto/decision.dto';
import { ApprovalsService } from './approvals.service';
import { ReviewProgress } from './review-progress';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/posts/:postId')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly progress: ReviewProgress,
  ) {}

  /** Sends the post through its workflow: stage 1 opens (409 while the workspace has none). */
  @Post('submit')
  @HttpCode(200)
  @Can(Capability.PostsWrite)
  @ApiOperation({ summary: 'Submit a post for review' })
  @Problems(409, 422)
  @Returns(PostView)
  async submit(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    const post = await this.approvals.submit(actor, id);
    void reply.header('etag', etagOf(post));
    return this.progress.postView(post, zone);
  }

  /** Approve, or reject with a comment, the version you reviewed. */
  @Post('approvals')
  @HttpCode(201)
  @Can(Capability.PostsApprove)
  @ApiOperation({ summary: 'Sign off or request changes' })
  @Problems(409)
  @Returns(PostView, HttpStatus.CREATED)
  async decide(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
    @Body() dto: DecisionDto,
    @Ip() ip: string,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<PostView> {
    const post = await this.approvals.decide(actor, id, dto, { via: 'api', ip, userAgent });
    return this.progress.postView(post, zone);
  }
}
