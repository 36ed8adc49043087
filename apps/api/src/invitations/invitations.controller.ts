import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ClientInfo } from '@app/persistence';
import { Public } from '../access/access.decorators';
import { Client } from '../common/client-info';
import { Returns } from '../common/views';
import { Problems } from '../openapi';
import {
  TokenView,
  UserView,
  userView,
  WorkspaceWithRoleView,
  workspaceWithRoleView,
} from '../workspaces/workspace.views';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';
import { InvitationsService } from './invitations.service';

/** An accepted invitation: signed in, a member now. */
export class AcceptedInvitationView extends TokenView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ type: WorkspaceWithRoleView }) workspace!: WorkspaceWithRoleView;
}

@ApiTags('members')
@Public()
@Controller('v1/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post(':token/accept')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Accept an invitation from its e-mail link: choose a name and password, become a member, signed in',
  })
  @Problems(403, 410)
  @Returns(AcceptedInvitationView)
  async accept(
    @Param('token') token: string,
    @Body() dto: AcceptInvitationDto,
    @Client() client: ClientInfo,
  ): Promise<AcceptedInvitationView> {
    const { user, workspace, invitation, ...session } = await this.invitations.accept(token, dto, client);
    return { ...session, user: userView(user), workspace: workspaceWithRoleView(workspace, invitation.role) };
  }
}
