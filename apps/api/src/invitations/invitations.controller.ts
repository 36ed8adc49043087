import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { ClientInfo } from '@app/persistence';
import { Public } from '../access/access.decorators';
import { Client } from '../common/client-info';
import { Problems } from '../openapi';
import {
  MfaChallengeView,
  TokenView,
  UserView,
  userView,
  WorkspaceWithRoleView,
  workspaceWithRoleView,
} from '../workspaces/workspace.views';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';
import { InvitationsService } from './invitations.service';

/** An accepted invitation: a member now, and signed in. */
export class AcceptedInvitationView extends TokenView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ type: WorkspaceWithRoleView }) workspace!: WorkspaceWithRoleView;
}

/** An accepted invitation of someone with two-factor sign-in: a member now; the login asks for a code. */
export class AcceptedInvitationMfaView extends MfaChallengeView {
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
  @ApiExtraModels(AcceptedInvitationView, AcceptedInvitationMfaView)
  @ApiOkResponse({
    description: 'a member now; signed in, or asked for the second factor (POST /v1/auth/login/mfa)',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AcceptedInvitationView) },
        { $ref: getSchemaPath(AcceptedInvitationMfaView) },
      ],
    },
  })
  async accept(
    @Param('token') token: string,
    @Body() dto: AcceptInvitationDto,
    @Client() client: ClientInfo,
  ): Promise<AcceptedInvitationView | AcceptedInvitationMfaView> {
    const { user, workspace, invitation, ...session } = await this.invitations.accept(token, dto, client);
    return { ...session, user: userView(user), workspace: workspaceWithRoleView(workspace, invitation.role) };
  }
}
