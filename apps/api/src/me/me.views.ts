import { API_KEY_ROLES, MAIL_DIGESTS, ROLES, type ApiKeyRole, type MailDigest, type Role } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';
import { UserView, WorkspaceView } from '../workspaces/workspace.views';

export class MembershipView {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: WorkspaceView }) workspace!: WorkspaceView;
}

/** `GET /v1/me` with a login token. */
export class MeUserView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ type: [MembershipView] }) memberships!: MembershipView[];
  @ApiProperty({ enum: MAIL_DIGESTS, description: 'how review requests reach me (PATCH /v1/me)' })
  mailDigest!: MailDigest;
  @ApiProperty({ description: 'two-factor sign-in (TOTP) is on' }) totpEnabled!: boolean;
}

export class KeyIdentityView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role!: ApiKeyRole;
  @ApiProperty({ type: WorkspaceView }) workspace!: WorkspaceView;
}

/** `GET /v1/me` with an API key. */
export class MeApiKeyView {
  @ApiProperty({ type: KeyIdentityView }) apiKey!: KeyIdentityView;
}
