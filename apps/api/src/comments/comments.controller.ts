import { Capability, type Actor } from '@app/domain';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { Returns } from '../common/views';
import { Problems } from '../openapi';
import { CreateCommentDto, EditCommentDto } from './comment.dto';
import { CommentsView, CommentView } from './comment.views';
import { CommentsService } from './comments.service';

@ApiTags('comments')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/posts/:postId/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get()
  @Can(Capability.PostsRead)
  @ApiOperation({ summary: "A post's comments the caller may see, oldest first" })
  @Returns(CommentsView)
  async list(
    @CurrentActor() actor: Actor,
    @Param('postId', NotFoundUuidPipe) postId: string,
  ): Promise<CommentsView> {
    return { items: await this.comments.list(actor, postId) };
  }

  @Post()
  @HttpCode(201)
  @Can(Capability.PostsComment)
  @ApiOperation({ summary: 'Comment on a post, or reply to a comment (mentions: @[userId])' })
  @Returns(CommentView, HttpStatus.CREATED)
  create(
    @CurrentActor() actor: Actor,
    @Param('postId', NotFoundUuidPipe) postId: string,
    @Body() dto: CreateCommentDto,
  ): Promise<CommentView> {
    return this.comments.create(actor, postId, dto);
  }

  @Patch(':commentId')
  @Can(Capability.PostsComment)
  @ApiOperation({ summary: 'Change your comment (newly mentioned members are mailed)' })
  @Problems(409)
  @Returns(CommentView)
  edit(
    @CurrentActor() actor: Actor,
    @Param('postId', NotFoundUuidPipe) postId: string,
    @Param('commentId', NotFoundUuidPipe) commentId: string,
    @Body() dto: EditCommentDto,
  ): Promise<CommentView> {
    return this.comments.edit(actor, postId, commentId, dto);
  }

  @Delete(':commentId')
  @HttpCode(204)
  @Can(Capability.PostsComment)
  @ApiOperation({ summary: 'Delete your comment (a tombstone keeps its place in the thread)' })
  @Problems(409)
  async remove(
    @CurrentActor() actor: Actor,
    @Param('postId', NotFoundUuidPipe) postId: string,
    @Param('commentId', NotFoundUuidPipe) commentId: string,
  ): Promise<void> {
    await this.comments.remove(actor, postId, commentId);
  }
}
