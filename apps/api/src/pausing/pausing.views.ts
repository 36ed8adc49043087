import { ApiProperty } from '@nestjs/swagger';
import { ChannelView } from '../channels/channel.views';
import { PostView } from '../posts/post.views';
import { WorkspaceView } from '../workspaces/workspace.views';

export class WorkspaceResumedView {
  @ApiProperty({ type: WorkspaceView }) workspace!: WorkspaceView;
  @ApiProperty({ type: [PostView], description: 'posts the pause stopped: reschedule or resubmit them' })
  stoppedPosts!: PostView[];
}

export class ChannelResumedView {
  @ApiProperty({ type: ChannelView }) channel!: ChannelView;
  @ApiProperty({ type: [PostView], description: 'posts the pause stopped: reschedule or resubmit them' })
  stoppedPosts!: PostView[];
}

export class LockdownView {
  @ApiProperty({ type: WorkspaceView }) workspace!: WorkspaceView;
  @ApiProperty({ type: [String], description: 'the API keys revoked' }) apiKeysRevoked!: string[];
  @ApiProperty({ type: [String], description: 'posts sent back for new sign-offs' })
  postsNeedingSignOff!: string[];
}
