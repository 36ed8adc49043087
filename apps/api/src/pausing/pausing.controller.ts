import { Capability, type Actor } from '@app/domain';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { channelView, ChannelView } from '../channels/channel.views';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { Returns } from '../common/views';
import { postView } from '../posts/post.views';
import { workspaceView, WorkspaceView } from '../workspaces/workspace.views';
import { PauseDto } from './dto/pause.dto';
import { ChannelResumedView, LockdownView, WorkspaceResumedView } from './pausing.views';
import { PausingService } from './pausing.service';

@ApiTags('crisis')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId')
export class PausingController {
  constructor(private readonly pausing: PausingService) {}

  /** Stops every publish of the workspace that has not yet called out, at once. */
  @Post('pause')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: 'Pause all publishing of the workspace' })
  @Returns(WorkspaceView)
  async pause(@CurrentActor() actor: Actor, @Body() dto: PauseDto) {
    return workspaceView(await this.pausing.pause(actor, { kind: 'workspace' }, dto.reason));
  }

  /** Publishing goes on for posts still ahead; the ones the pause stopped are listed, not fired. */
  @Post('resume')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: 'Resume publishing of the workspace' })
  @Returns(WorkspaceResumedView)
  async resume(@CurrentActor() actor: Actor, @WorkspaceTimezone() zone: string) {
    const { target, stopped } = await this.pausing.resume(actor, { kind: 'workspace' });
    return { workspace: workspaceView(target), stoppedPosts: stopped.map((p) => postView(p, zone)) };
  }

  /** Suspected hack: pause, revoke every API key and every other session, and void earlier sign-offs. */
  @Post('lockdown')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: 'Lock the workspace down (suspected hack)' })
  @Returns(LockdownView)
  async lockdown(@CurrentActor() actor: Actor) {
    const { workspace, apiKeysRevoked, postsNeedingSignOff } = await this.pausing.lockdown(actor);
    return { workspace: workspaceView(workspace), apiKeysRevoked, postsNeedingSignOff };
  }

  @Post('channels/:channelId/pause')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: 'Pause a channel' })
  @Returns(ChannelView)
  async pauseChannel(
    @CurrentActor() actor: Actor,
    @Param('channelId', NotFoundUuidPipe) channelId: string,
    @Body() dto: PauseDto,
  ) {
    return channelView(await this.pausing.pause(actor, { kind: 'channel', channelId }, dto.reason));
  }

  @Post('channels/:channelId/resume')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: 'Resume a channel' })
  @Returns(ChannelResumedView)
  async resumeChannel(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('channelId', NotFoundUuidPipe) channelId: string,
  ) {
    const { target, stopped } = await this.pausing.resume(actor, { kind: 'channel', channelId });
    return { channel: channelView(target), stoppedPosts: stopped.map((p) => postView(p, zone)) };
  }
}
