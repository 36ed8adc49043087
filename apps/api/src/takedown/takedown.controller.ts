import { Capability, type Actor } from '@app/domain';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '../openapi';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { postView, PostView } from '../posts/post.views';
import { Returns } from '../common/views';
import { TakedownDto } from './dto/takedown.dto';
import { TakedownService } from './takedown.service';

@ApiTags('crisis')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/posts/:postId/takedown')
export class TakedownController {
  constructor(private readonly takedowns: TakedownService) {}

  @Post()
  @HttpCode(200)
  @Can(Capability.PostsTakedown)
  @ApiOperation({ summary: 'Take a published post down' })
  @Problems(409, 502)
  @Returns(PostView)
  async takeDown(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('postId', NotFoundUuidPipe) id: string,
    @Body() dto: TakedownDto,
  ): Promise<PostView> {
    return postView(await this.takedowns.takeDown(actor, id, dto), zone);
  }
}
