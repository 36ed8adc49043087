import { API_KEY_ROLES, ROLES, type ApiKeyRole, type Role } from '@app/domain';
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
